package main

import (
	"maps"
	"math"
	"slices"
	"strconv"
	"strings"
)

func costSection(m *md, r *report) {
	m.f("\n## 5. What a signed document costs on AWS\n\n")
	e := r.Cost
	if e == nil || e.Documents == 0 {
		m.f("Not measured (see *Notes*).\n")
		return
	}
	m.f("Measured on %d documents: `signctl bench --pending %d` uploaded each document (S3 PutObject through a counting "+
		"proxy: %s) and opened its run (pinned, Alice signed, Bob's request stored by the stack's own functions), then each "+
		"document's %d functions ran on a Lambda host of this program whose AWS calls went through a counting proxy: "+
		"pin-document, sign-document and request-signature with the payloads the state machine sends (sign-document for Alice "+
		"again in the same run, request-signature for a twin document), complete-signature with `{\"documentId\"}` — which "+
		"completed every run. Transitions are the `…StateEntered` events of one run's history (%d; the run itself invokes %d "+
		"Lambda functions, complete-signature is one more).\n\n", e.Documents, costDocuments,
		callsPerDoc(e.Uploads, e.UploadDocuments), len(e.Functions), e.Transitions, e.RunLambdas)
	m.f("| function | memory | warm duration (median) | AWS calls per document |\n|---|---|---|---|\n")
	for _, f := range e.Functions {
		m.f("| %s | %d MB | %.1f ms | %s |\n", f.Label, f.MemoryMB, msOf(median(f.Durations)), callsPerDoc(f.Calls, e.Documents))
	}
	m.f("\nPrices: AWS list prices for us-east-1 as published on the pricing pages for "+
		"[Step Functions](https://aws.amazon.com/step-functions/pricing/), [Lambda](https://aws.amazon.com/lambda/pricing/) "+
		"(Arm) and [DynamoDB on-demand](https://aws.amazon.com/dynamodb/pricing/on-demand/) (after the November 2024 "+
		"on-demand price cut), read on %s from stored copies (this machine has no internet access); "+
		"[S3 Standard requests](https://aws.amazon.com/s3/pricing/) and [KMS](https://aws.amazon.com/kms/pricing/) "+
		"requests with an asymmetric key other than RSA 2048, added on %s: the stored copies of those two pages lack their "+
		"request tables, so these are AWS's figures as last read, cross-checked against secondary summaries of the pages. "+
		"Free tiers left out. Not per document, so not below: the signing key's $1 a month, and the documents' storage. "+
		"The bucket encrypts with SSE-KMS under the AWS managed key with an S3 Bucket Key, so S3's own KMS requests are "+
		"shared by many objects and left out. Lambda "+
		"durations are the local warm ones rounded up to the millisecond (AWS bills per ms; its S3, KMS and DynamoDB round trips "+
		"are slower than a loopback's, so expect longer durations there). The token-table item is %d bytes without its task "+
		"token; priced with a %d-byte AWS task token, each write is %.0f write unit(s).\n\n",
		pricesChecked, storagePricesRead, e.ItemBytes, awsTaskTokenBytes, float64((e.ItemBytes+awsTaskTokenBytes+dynamoItemUnit-1)/dynamoItemUnit))
	m.f("| component | per document | unit price | per 1,000 documents |\n|---|---|---|---|\n")
	lines := e.lines()
	for _, l := range lines {
		m.f("| %s | %.4g %s | %s | $%.6f |\n", l.What, l.Quantity, l.Unit, l.PriceText, l.Per1000())
	}
	m.f("| **total** | | | **$%.4f** |\n", total(lines))
	if short := dynamoItemUnit - e.ItemBytes; short > 0 {
		m.f("\nWith a task token under %d bytes each write is one unit: $%.4f per 1,000 documents. Step Functions' state "+
			"transitions are %.0f%% of the cost.\n", short, total(e.linesWithToken(0)), 100*lines[0].Per1000()/total(lines))
	}
}

// callsPerDoc lists AWS calls per document, e.g.
// "DynamoDB UpdateItem ×2, Step Functions SendTaskSuccess ×1".
func callsPerDoc(calls map[string]int, docs int) string {
	if len(calls) == 0 {
		return "none"
	}
	var parts []string
	for _, op := range slices.Sorted(maps.Keys(calls)) {
		name := strings.NewReplacer(dynamoPrefix, "DynamoDB ", sfnPrefix, "Step Functions ", s3Prefix, "S3 ", kmsPrefix, "KMS ").Replace(op)
		parts = append(parts, name+" ×"+trimFloat(float64(calls[op])/float64(docs)))
	}
	return strings.Join(parts, ", ")
}

// trimFloat shows x to at most two decimals: 2, 1.5, 0.33.
func trimFloat(x float64) string { return strconv.FormatFloat(math.Round(x*100)/100, 'f', -1, 64) }

func microSection(m *md, r *report) {
	if r.Micro == nil {
		return
	}
	m.f("\n## Go benchmarks of the local services\n\n`%s`:\n\n```\n%s\n```\n", strings.Join(microCommand, " "), r.Micro.Output)
}
