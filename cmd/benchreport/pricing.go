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
	out := []costLine{{What: "Step Functions state transitions", Quantity: float64(e.Transitions), Unit: "transitions",
		Price: priceTransition, PriceText: "$0.025 per 1,000"}}
	writeUnits := math.Ceil(float64(e.ItemBytes+tokenBytes) / dynamoItemUnit)
	var calls, gbs, writes, reads float64
	for _, f := range e.Functions {
		calls++
		gbs += float64(f.MemoryMB) / 1024 * math.Ceil(median(f.Durations).Seconds()*1000) / 1000
		for op, c := range f.Calls {
			switch dynamoKind(op) {
			case "write":
				writes += float64(c) / n
			case "read":
				reads += float64(c) / n
			}
		}
	}
	return append(out,
		costLine{What: "Lambda requests", Quantity: calls, Unit: "requests", Price: priceLambdaCall, PriceText: "$0.20 per million"},
		costLine{What: "Lambda compute (arm64)", Quantity: gbs, Unit: "GB-s", Price: priceLambdaGBs, PriceText: "$0.0000133334 per GB-s"},
		costLine{What: "DynamoDB writes", Quantity: writes * writeUnits, Unit: "write units", Price: priceWriteUnit,
			PriceText: "$0.625 per million"},
		costLine{What: "DynamoDB reads (strongly consistent, ≤ 4 KB)", Quantity: reads, Unit: "read units", Price: priceReadUnit,
			PriceText: "$0.125 per million"})
}

// dynamoKind classifies a DynamoDB operation as a write or a read.
func dynamoKind(op string) string {
	name, ok := strings.CutPrefix(op, "DynamoDB_20120810.")
	switch {
	case !ok:
		return ""
	case slices.Contains([]string{"PutItem", "UpdateItem", "DeleteItem", "BatchWriteItem", "TransactWriteItems"}, name):
		return "write"
	case slices.Contains([]string{"GetItem", "Query", "Scan", "BatchGetItem", "TransactGetItems"}, name):
		return "read"
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
