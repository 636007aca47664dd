package main

import (
	"net/http/httptest"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/hitl-go/docsign/internal/contract"
	"github.com/hitl-go/docsign/internal/signature"
)

func TestDecodeBench(t *testing.T) {
	tests := []struct {
		out     string
		want    benchResult
		wantErr string
	}{
		{out: `{"documents":1000,"failed":2,"seconds":8.5,"docs_per_sec":117.4,"p50_ms":12.5,"p99_ms":48}`,
			want: benchResult{Documents: 1000, Failed: 2, Seconds: 8.5, DocsPerSec: 117.4, P50MS: 12.5, P99MS: 48}},
		{out: `{"documents":1,"failed":0,"seconds":1,"docs_per_sec":1,"p50_ms":1}`, wantErr: "want exactly"},
		{out: `{"documents":1,"failed":0,"seconds":1,"docs_per_sec":1,"p50_ms":1,"p99_ms":1,"extra":1}`, wantErr: "want exactly"},
		{out: `not json`, wantErr: "printed"},
	}
	for _, tt := range tests {
		got, err := decodeBench([]byte(tt.out))
		switch {
		case tt.wantErr != "" && (err == nil || !strings.Contains(err.Error(), tt.wantErr)):
			t.Errorf("decodeBench(%s) error %v, want one containing %q", tt.out, err, tt.wantErr)
		case tt.wantErr == "" && (err != nil || got != tt.want):
			t.Errorf("decodeBench(%s) = %+v, %v; want %+v", tt.out, got, err, tt.want)
		}
	}
}

func TestParseBenchmarks(t *testing.T) {
	out := `goos: linux
BenchmarkInvokeQueued-2   	     642	   1812166 ns/op	       474.7 max-ms	         3.515 p50-ms	       260.8 p99-ms	    7239 B/op
BenchmarkOpenExecution-2      	   10000	    113813 ns/op	      7425 bytes/open-execution
PASS`
	got := parseBenchmarks(out)
	tests := []struct {
		name, unit string
		want       float64
	}{
		{"BenchmarkInvokeQueued", "p99-ms", 260.8},
		{"BenchmarkInvokeQueued", "ns/op", 1812166},
		{"BenchmarkOpenExecution", "bytes/open-execution", 7425},
	}
	for _, tt := range tests {
		if v := got[tt.name][tt.unit]; v != tt.want {
			t.Errorf("%s %s = %v, want %v", tt.name, tt.unit, v, tt.want)
		}
	}
}

func TestSmallParsers(t *testing.T) {
	durations := []struct {
		in   string
		want time.Duration
	}{{"1.20s", 1200 * time.Millisecond}, {"10ms", 10 * time.Millisecond}, {"1.5mins", 90 * time.Second}, {"2hrs", 2 * time.Hour}}
	for _, tt := range durations {
		if got, err := pprofDuration(tt.in); err != nil || got != tt.want {
			t.Errorf("pprofDuration(%q) = %v, %v; want %v", tt.in, got, err, tt.want)
		}
	}
	if got := hexPort("0100007F:1F90"); got != 8080 {
		t.Errorf("hexPort = %d, want 8080", got)
	}
	lists := []struct {
		in      string
		want    []int
		wantErr bool
	}{{"100,1000", []int{100, 1000}, false}, {"10", []int{10}, false}, {"1000,100", nil, true}, {"0", nil, true}, {"a", nil, true}}
	for _, tt := range lists {
		got, err := intList(tt.in)
		if (err != nil) != tt.wantErr || !slices.Equal(got, tt.want) {
			t.Errorf("intList(%q) = %v, %v; want %v (error %v)", tt.in, got, err, tt.want, tt.wantErr)
		}
	}
}

func TestSourceOf(t *testing.T) {
	tests := []struct{ function, url, want string }{
		{"peg$parse", "file:///w/node_modules/dynalite/db/conditionParser.js", "dynalite/db/conditionParser.js"},
		{"decode", "file:///w/node_modules/level-transcoder/lib/formats.js", "level-transcoder (npm)"},
		{"Socket", "node:net", "node:net"},
		{"(garbage collector)", "", "(garbage collector)"},
	}
	for _, tt := range tests {
		if got := sourceOf(tt.function, tt.url); got != tt.want {
			t.Errorf("sourceOf(%q, %q) = %q, want %q", tt.function, tt.url, got, tt.want)
		}
	}
}

func TestCostLines(t *testing.T) {
	e := &costEstimate{Documents: 2, Transitions: 4, ItemBytes: 206, UploadDocuments: 4,
		Uploads: map[string]int{"S3.PutObject": 4},
		Functions: []functionCost{
			{Label: "pindocument", MemoryMB: 128, Durations: []time.Duration{1200 * time.Microsecond},
				Calls: map[string]int{"S3.GetObject": 2}},
			{Label: "signdocument", MemoryMB: 128, Durations: []time.Duration{300 * time.Microsecond},
				Calls: map[string]int{"S3.GetObject": 2, "TrentService.Sign": 2, "DynamoDB_20120810.PutItem": 2}},
			{Label: "requestsignature", MemoryMB: 128, Durations: []time.Duration{3400 * time.Microsecond},
				Calls: map[string]int{"DynamoDB_20120810.PutItem": 2}},
			{Label: "completesignature", MemoryMB: 128, Durations: []time.Duration{4 * time.Millisecond},
				Calls: map[string]int{"DynamoDB_20120810.UpdateItem": 4, "AWSStepFunctions.SendTaskSuccess": 2,
					"DynamoDB_20120810.GetItem": 1, "S3.GetObject": 2, "TrentService.Sign": 2}},
		}}
	got := map[string]float64{}
	for _, l := range e.lines() {
		got[l.What] = l.Quantity
	}
	want := map[string]float64{
		"Step Functions state transitions":               4,
		"Lambda requests":                                4,
		"Lambda compute (arm64)":                         0.125 * (0.002 + 0.001 + 0.004 + 0.004), // billed ms rounded up
		"DynamoDB writes":                                4 * 2,                                   // 4 writes per document, 2 units each with a 1 KiB token
		"DynamoDB reads (strongly consistent, ≤ 4 KB)":   0.5,
		"S3 PUT requests (the upload)":                   1, // over the client's documents
		"S3 GET requests (pin, and each signer's check)": 3,
		"KMS requests (Sign, ECC key)":                   2,
	}
	if len(got) != len(want) {
		t.Errorf("lines = %v, want %d", got, len(want))
	}
	for what, q := range want {
		if d := got[what] - q; d > 1e-12 || d < -1e-12 {
			t.Errorf("%s = %v, want %v", what, got[what], q)
		}
	}
	if tot := total(e.linesWithToken(0)); tot >= total(e.lines()) {
		t.Errorf("a short token should cost less: %v vs %v", tot, total(e.lines()))
	}
}

func TestOperation(t *testing.T) {
	tests := []struct {
		method, path, amzTarget, want string
	}{
		{"POST", "/", "TrentService.Sign", "TrentService.Sign"},
		{"POST", "/", "DynamoDB_20120810.PutItem", "DynamoDB_20120810.PutItem"},
		{"GET", "/docs-bucket/documents/3?versionId=v1&x-id=GetObject", "", "S3.GetObject"},
		{"PUT", "/docs-bucket/documents/3?x-id=PutObject", "", "S3.PutObject"},
		{"HEAD", "/docs-bucket/documents/3", "", "S3.HeadObject"},
		{"GET", "/docs-bucket?list-type=2", "", "GET /docs-bucket"},
		{"POST", "/2015-03-31/functions/f/invocations", "", "POST /2015-03-31/functions/f/invocations"},
	}
	for _, tt := range tests {
		r := httptest.NewRequest(tt.method, tt.path, nil)
		if tt.amzTarget != "" {
			r.Header.Set("X-Amz-Target", tt.amzTarget)
		}
		if got := operation(r); got != tt.want {
			t.Errorf("operation(%s %s) = %q, want %q", tt.method, tt.path, got, tt.want)
		}
	}
	kinds := map[string]string{"S3.PutObject": kindS3Put, "S3.GetObject": kindS3Get, "TrentService.Sign": kindKMS,
		"DynamoDB_20120810.UpdateItem": kindDynamoWrite, "DynamoDB_20120810.GetItem": kindDynamoRead,
		"AWSStepFunctions.SendTaskSuccess": "", "S3.DeleteObject": ""}
	for op, want := range kinds {
		if got := requestKind(op); got != want {
			t.Errorf("requestKind(%q) = %q, want %q", op, got, want)
		}
	}
}

func TestColdPayloads(t *testing.T) {
	doc := signature.Document{Bucket: "docs", Key: "documents/cold-start", VersionID: "v1", SHA256: strings.Repeat("a", 64)}
	in := &coldInputs{documentID: "cold-start", document: doc, pending: []string{"bench-1-p0"}}
	tests := []struct {
		label    string
		kind     coldKind
		want     string
		contains []string
	}{
		{"pindocument", coldWork, "success", []string{`"documentId":"cold-start"`}},
		{"signdocument", coldWork, "success", []string{`"key":"documents/cold-start"`, `"executionArn":"` + coldExecutionARN}},
		{"requestsignature", coldWork, "success", []string{`"key":"documents/cold-x"`, `"documentId":"cold-x"`}},
		{"completesignature", coldWork, "success", []string{`{"documentId":"bench-1-p0"}`}},
		{"pindocument", coldNoIO, contract.ErrorInvalidInput, []string{`"decision":"maybe"`}},
		{"signpage", coldWork, "success", []string{`"routeKey":"GET /sign/{documentId}/{signer}"`, `"rawPath":"/sign/cold-start/Bob"`}},
		{"documentsapi", coldWork, "success", []string{`"routeKey":"GET /documents/{documentId}"`, `"userArn":"arn:aws:iam::000000000000:user/local"`}},
		{"signpage", coldNoIO, "success", []string{`"routeKey":"GET /nowhere"`}},
		{"documentsapi", coldNoIO, "success", []string{`"routeKey":"GET /nowhere"`}},
	}
	for _, tt := range tests {
		b, want, err := in.payload(tt.label, tt.kind, "cold-x")
		if err != nil || want != tt.want {
			t.Errorf("payload(%s) answer %q, %v; want %q", tt.label, want, err, tt.want)
		}
		for _, c := range tt.contains {
			if !strings.Contains(string(b), c) {
				t.Errorf("payload(%s) = %s, want it to contain %s", tt.label, b, c)
			}
		}
	}
	if _, _, err := in.payload("completesignature", coldWork, "cold-y"); err == nil {
		t.Errorf("a second complete-signature payload without a run left: no error")
	}
}

func TestRenderReportVerdicts(t *testing.T) {
	r := &report{Config: config{concurrency: 50, coldSamples: 1, cdkOut: "cdk.out.bench"}, Start: time.Unix(0, 0),
		E2E: []benchRun{{Command: "signctl bench", Result: benchResult{Documents: 1000, DocsPerSec: 600, P50MS: 5, P99MS: 80}}},
		Cold: []coldStart{{Function: "signdocument", ZipBytes: 6 << 20, Starts: []time.Duration{4 * time.Millisecond},
			Warm: []time.Duration{time.Millisecond}, PeakRSS: []int64{7 << 20}}},
		Problems: []string{"scale: boom"}}
	out := renderReport(r)
	for _, want := range []string{
		"| documents/s, 1000 documents at concurrency 50 | ≥ 500 | 600.0 | ✓ |",
		"| p99 completion latency, same run | ≤ 50 ms | 80.0 ms (p50 5.0 ms) | ✗ missed |",
		"| signdocument cold start (median of 1) | ≤ 10 ms | 4.00 ms | ✓ |",
		"| signdocument arm64 bootstrap, zipped | ≤ 5 MiB | 6.00 MiB | ✗ missed |",
		"**Not measured**: scale: boom",
	} {
		if !strings.Contains(out, want) {
			t.Errorf("report lacks %q", want)
		}
	}
}

// TestRenderReportFloor: the floor function's cold start explains a missed
// cold-start target, and only a missed one.
func TestRenderReportFloor(t *testing.T) {
	floor := "the floor function (`./internal/event/testdata/floor`: aws-lambda-go with an empty handler, no AWS SDK) takes 12.0 ms"
	tests := []struct {
		name  string
		start time.Duration
		want  bool
	}{
		{"target missed", 25 * time.Millisecond, true},
		{"target met", 4 * time.Millisecond, false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			r := &report{Config: config{concurrency: 50, coldSamples: 1}, Start: time.Unix(0, 0),
				Cold: []coldStart{{Function: "signdocument", Starts: []time.Duration{tt.start}, StartsNoIO: []time.Duration{tt.start},
					Warm: []time.Duration{time.Millisecond}, PeakRSS: []int64{7 << 20}}},
				Floor: []time.Duration{11 * time.Millisecond, 12 * time.Millisecond, 13 * time.Millisecond}}
			out := renderReport(r)
			if got := strings.Contains(out, floor); got != tt.want {
				t.Errorf("explains the miss with the floor: %v, want %v\n%s", got, tt.want, out)
			}
			if !strings.Contains(out, "answers its first invocation in 12.0 ms (median of 3; min 11.0 ms, max 13.0 ms)") {
				t.Errorf("section 3 lacks the floor's cold starts:\n%s", out)
			}
		})
	}
}
