package main

import (
	"math"
	"slices"
	"strings"
	"time"
)

// AWS list prices, us-east-1, checked on 2026-11-22 against stored copies
// of the pricing pages (this machine has no internet): Step Functions
// https://aws.amazon.com/step-functions/pricing/ ; Lambda
// https://aws.amazon.com/lambda/pricing/ (Arm, first 7.5 billion GB-s a
// month) ; DynamoDB https://aws.amazon.com/dynamodb/pricing/on-demand/
// (on-demand, after the November 2024 price cut). Free tiers are left out.
const (
	priceTransition   = 0.025 / 1000 // Step Functions Standard, per state transition
	priceLambdaGBs    = 0.0000133334 // Lambda arm64, per GB-second
	priceLambdaCall   = 0.20 / 1e6   // Lambda, per request
	priceWriteUnit    = 0.625 / 1e6  // DynamoDB on-demand, per write request unit
	priceReadUnit     = 0.125 / 1e6  // DynamoDB on-demand, per read request unit
	pricesChecked     = "2026-11-22"
	dynamoItemUnit    = 1024 // bytes per write request unit
	awsTaskTokenBytes = 1024 // a task token's length on AWS, as the estimate assumes
)

// S3 and KMS list prices, us-east-1, added on 2026-12-06 with the pinned
// document and the KMS signatures: S3 Standard requests
// https://aws.amazon.com/s3/pricing/ (PUT, COPY, POST, LIST $0.005 per
// 1,000; GET, SELECT and all other requests $0.0004 per 1,000) ; KMS
// https://aws.amazon.com/kms/pricing/ (asymmetric requests except RSA 2048,
// which Sign with the ECC_NIST_P256 key is, $0.15 per 10,000; the key
// itself $1 a month, not per document). The stored copies of those pages
// found here lack their request tables, so the figures are AWS's as last
// read, cross-checked against secondary summaries of them. Free tiers are
// left out.
const (
	priceS3Put        = 0.005 / 1000 // S3 Standard, per PUT request
	priceS3Get        = 0.0004 / 1000
	priceKMSAsym      = 0.15 / 10000 // KMS, per request with an asymmetric (non-RSA-2048) key
	storagePricesRead = "2026-12-06"
)

// costLine is one component of a document's cost.
type costLine struct {
	What      string
	Quantity  float64 // per document
	Unit      string  // of Quantity, plural
	Price     float64 // per unit
	PriceText string  // as AWS lists it
}

// Per1000 is the line's cost for 1,000 documents.
func (l costLine) Per1000() float64 { return l.Quantity * l.Price * 1000 }

// lines prices one document. Durations are billed rounded up to the
// millisecond, at the function's memory size. Each DynamoDB write is
// priced at the write units of the item with an AWS-sized task token (the
// item is largest then; an update is billed by the larger of the item
// before and after).
func (e *costEstimate) lines() []costLine {
	return e.linesWithToken(awsTaskTokenBytes)
}

// linesWithToken prices one document with a task token of tokenBytes.
func (e *costEstimate) linesWithToken(tokenBytes int) []costLine {
	n := float64(e.Documents)
	writeUnits := math.Ceil(float64(e.ItemBytes+tokenBytes) / dynamoItemUnit)
	var calls, gbs float64
	per := map[string]float64{} // requests per document by requestKind
	for _, f := range e.Functions {
		calls++
		gbs += float64(f.MemoryMB) / 1024 * math.Ceil(median(f.Durations).Seconds()*1000) / 1000
		for op, c := range f.Calls {
			per[requestKind(op)] += float64(c) / n
		}
	}
	for op, c := range e.Uploads {
		per[requestKind(op)] += float64(c) / float64(max(e.UploadDocuments, 1))
	}
	return []costLine{
		{What: "Step Functions state transitions", Quantity: float64(e.Transitions), Unit: "transitions",
			Price: priceTransition, PriceText: "$0.025 per 1,000"},
		{What: "Lambda requests", Quantity: calls, Unit: "requests", Price: priceLambdaCall, PriceText: "$0.20 per million"},
		{What: "Lambda compute (arm64)", Quantity: gbs, Unit: "GB-s", Price: priceLambdaGBs, PriceText: "$0.0000133334 per GB-s"},
		{What: "DynamoDB writes", Quantity: per[kindDynamoWrite] * writeUnits, Unit: "write units", Price: priceWriteUnit,
			PriceText: "$0.625 per million"},
		{What: "DynamoDB reads (strongly consistent, ≤ 4 KB)", Quantity: per[kindDynamoRead], Unit: "read units",
			Price: priceReadUnit, PriceText: "$0.125 per million"},
		{What: "S3 PUT requests (the upload)", Quantity: per[kindS3Put], Unit: "requests", Price: priceS3Put,
			PriceText: "$0.005 per 1,000"},
		{What: "S3 GET requests (pin, and each signer's check)", Quantity: per[kindS3Get], Unit: "requests", Price: priceS3Get,
			PriceText: "$0.0004 per 1,000"},
		{What: "KMS requests (Sign, ECC key)", Quantity: per[kindKMS], Unit: "requests", Price: priceKMSAsym,
			PriceText: "$0.15 per 10,000"},
	}
}

// Kinds of request the cost model prices.
const (
	kindDynamoWrite = "DynamoDB write"
	kindDynamoRead  = "DynamoDB read"
	kindS3Put       = "S3 PUT"
	kindS3Get       = "S3 GET"
	kindKMS         = "KMS"
)

// requestKind classifies an operation (as operation names it) by how it
// is priced; "" for what is free (Step Functions calls, DeleteObject) or
// priced otherwise (the transitions).
func requestKind(op string) string {
	switch {
	case strings.HasPrefix(op, dynamoPrefix):
		name := strings.TrimPrefix(op, dynamoPrefix)
		switch {
		case slices.Contains([]string{"PutItem", "UpdateItem", "DeleteItem", "BatchWriteItem", "TransactWriteItems"}, name):
			return kindDynamoWrite
		case slices.Contains([]string{"GetItem", "Query", "Scan", "BatchGetItem", "TransactGetItems"}, name):
			return kindDynamoRead
		}
	case op == s3Prefix+"PutObject":
		return kindS3Put
	case op == s3Prefix+"GetObject", op == s3Prefix+"HeadObject":
		return kindS3Get
	case strings.HasPrefix(op, kmsPrefix):
		return kindKMS // every request with the signing key, an asymmetric one
	}
	return ""
}

func median(ds []time.Duration) time.Duration {
	if len(ds) == 0 {
		return 0
	}
	s := slices.Clone(ds)
	slices.Sort(s)
	return s[len(s)/2]
}
