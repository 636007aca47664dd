package bench

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"maps"
	"slices"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/dynamodb"
	ddbtypes "github.com/aws/aws-sdk-go-v2/service/dynamodb/types"
	"github.com/aws/aws-sdk-go-v2/service/lambda"
	"github.com/aws/aws-sdk-go-v2/service/s3"
	"github.com/aws/aws-sdk-go-v2/service/sfn"
	sfntypes "github.com/aws/aws-sdk-go-v2/service/sfn/types"
	"github.com/hitl-go/docsign/cmd/signctl/internal/cli"
	"github.com/hitl-go/docsign/cmd/signctl/internal/clitest"
	"github.com/hitl-go/docsign/internal/contract"
)

// benchFake plays the workflow for `signctl bench`: a started document's
// request turns PENDING after a few reads, complete-signature ends its run
// a set latency after the invocation began (on a fake clock).
type benchFake struct {
	mu           sync.Mutex
	clock        time.Time
	pendingAfter int                             // GetItem calls before the request is PENDING
	latency      func(n int) time.Duration       // by document number
	outcome      func(n int) (fnErr, end string) // function errorType, or how the run ends
	never        map[int]bool                    // documents whose request never appears
	gets         map[string]int
	ended        map[string]sfntypes.HistoryEvent
	started      []string
	uploaded     map[string]bool
	projections  []string
}

func newBenchFake() *benchFake {
	return &benchFake{clock: clitest.T0, pendingAfter: 2, never: map[int]bool{},
		latency: func(int) time.Duration { return 5 * time.Millisecond },
		outcome: func(int) (string, string) { return "", "ExecutionSucceeded" },
		gets:    map[string]int{}, ended: map[string]sfntypes.HistoryEvent{}, uploaded: map[string]bool{}}
}

// now advances the clock a millisecond per call.
func (f *benchFake) now() time.Time {
	f.mu.Lock()
	defer f.mu.Unlock()
	f.clock = f.clock.Add(time.Millisecond)
	return f.clock
}

func docNumber(id string) int {
	n, _ := strconv.Atoi(id[strings.LastIndexAny(id, "-p")+1:])
	return n
}

func (f *benchFake) PutObject(_ context.Context, in *s3.PutObjectInput, _ ...func(*s3.Options)) (*s3.PutObjectOutput, error) {
	f.mu.Lock()
	defer f.mu.Unlock()
	f.uploaded[aws.ToString(in.Key)] = true
	return &s3.PutObjectOutput{VersionId: aws.String("v1")}, nil
}

// StartExecution fails a run whose document was not uploaded, as the
// workflow's first state does (DocumentNotFound).
func (f *benchFake) StartExecution(_ context.Context, in *sfn.StartExecutionInput, _ ...func(*sfn.Options)) (*sfn.StartExecutionOutput, error) {
	f.mu.Lock()
	defer f.mu.Unlock()
	if !f.uploaded[contract.DocumentKey(aws.ToString(in.Name))] {
		return nil, fmt.Errorf("document %s was not uploaded before its run started", aws.ToString(in.Name))
	}
	f.started = append(f.started, aws.ToString(in.Name))
	return &sfn.StartExecutionOutput{ExecutionArn: aws.String(clitest.ARN(aws.ToString(in.Name))), StartDate: aws.Time(f.clock)}, nil
}

func (f *benchFake) DescribeStateMachine(context.Context, *sfn.DescribeStateMachineInput, ...func(*sfn.Options)) (*sfn.DescribeStateMachineOutput, error) {
	return &sfn.DescribeStateMachineOutput{}, nil
}

func (f *benchFake) GetItem(_ context.Context, in *dynamodb.GetItemInput, _ ...func(*dynamodb.Options)) (*dynamodb.GetItemOutput, error) {
	f.mu.Lock()
	defer f.mu.Unlock()
	id := in.Key["documentId"].(*ddbtypes.AttributeValueMemberS).Value
	f.projections = append(f.projections, aws.ToString(in.ProjectionExpression)+" "+fmt.Sprint(in.ExpressionAttributeNames))
	f.gets[id]++
	if f.never[docNumber(id)] || f.gets[id] <= f.pendingAfter {
		return &dynamodb.GetItemOutput{}, nil
	}
	return &dynamodb.GetItemOutput{Item: map[string]ddbtypes.AttributeValue{"status": &ddbtypes.AttributeValueMemberS{Value: string(contract.StatusPending)}}}, nil
}

func (f *benchFake) Invoke(_ context.Context, in *lambda.InvokeInput, _ ...func(*lambda.Options)) (*lambda.InvokeOutput, error) {
	var c contract.CompleteInput
	if err := json.Unmarshal(in.Payload, &c); err != nil {
		return nil, err
	}
	f.mu.Lock()
	defer f.mu.Unlock()
	n := docNumber(c.DocumentID)
	fnErr, end := f.outcome(n)
	if fnErr != "" {
		return &lambda.InvokeOutput{FunctionError: aws.String("Unhandled"), Payload: []byte(`{"errorType":"` + fnErr + `"}`)}, nil
	}
	// The clock stands at the invocation's start: the fake's now() is only
	// called just before Invoke.
	f.ended[clitest.ARN(c.DocumentID)] = sfntypes.HistoryEvent{Type: sfntypes.HistoryEventType(end), Timestamp: aws.Time(f.clock.Add(f.latency(n)))}
	return &lambda.InvokeOutput{Payload: []byte(`{"documentId":"` + c.DocumentID + `","signer":"Bob","status":"SIGNED"}`)}, nil
}

func (f *benchFake) GetExecutionHistory(_ context.Context, in *sfn.GetExecutionHistoryInput, _ ...func(*sfn.Options)) (*sfn.GetExecutionHistoryOutput, error) {
	f.mu.Lock()
	defer f.mu.Unlock()
	if !in.ReverseOrder || in.MaxResults != 1 {
		return nil, fmt.Errorf("want the last event only, got reverseOrder %v maxResults %d", in.ReverseOrder, in.MaxResults)
	}
	ev, ok := f.ended[aws.ToString(in.ExecutionArn)]
	if !ok {
		ev = sfntypes.HistoryEvent{Type: sfntypes.HistoryEventTypeTaskSubmitted, Timestamp: aws.Time(f.clock)}
	}
	return &sfn.GetExecutionHistoryOutput{Events: []sfntypes.HistoryEvent{ev}}, nil
}

func (f *benchFake) bencher() *bencher {
	return &bencher{outputs: cli.Outputs{StateMachineARN: clitest.SM, TableName: clitest.Table, CompleteSignatureFunctionName: clitest.Fn,
		DocumentBucketName: clitest.Bucket}, sfn: f, db: f, fn: f, s3: f, now: f.now, wait: time.Second, pollMin: time.Microsecond, pollMax: time.Microsecond}
}

func TestBenchLatencyPercentiles(t *testing.T) {
	f := newBenchFake()
	f.latency = func(n int) time.Duration { return time.Duration(n+1) * time.Millisecond } // 1…100 ms
	b := f.bencher()
	outcomes, _ := b.run(context.Background(), newBenchIDs(clitest.T0).list("", 100), 1)
	got := summarize(outcomes, 2*time.Second)
	want := contract.BenchResult{Documents: 100, Failed: 0, Seconds: 2, DocsPerSec: 50, P50MS: 50, P99MS: 99}
	if got != want {
		t.Errorf("summarize = %+v, want %+v", got, want)
	}
}

func TestBenchCountsFailures(t *testing.T) {
	f := newBenchFake()
	f.outcome = func(n int) (string, string) {
		switch n % 4 {
		case 1:
			return "SignatureRequestNotFound", ""
		case 2:
			return "", "ExecutionFailed"
		}
		return "", "ExecutionSucceeded"
	}
	f.never[3] = true
	b := f.bencher()
	b.wait = 50 * time.Millisecond
	outcomes, _ := b.run(context.Background(), newBenchIDs(clitest.T0).list("", 8), 3)
	if got := summarize(outcomes, time.Second); got.Documents != 8 || got.Failed != 5 {
		t.Errorf("documents %d failed %d, want 8 and 5 (2 declined, 2 runs failed, 1 never pending)", got.Documents, got.Failed)
	}
	var stderr bytes.Buffer
	reportFailures(&stderr, outcomes)
	for _, want := range []string{
		"2 document(s) failed: complete: SignatureRequestNotFound",
		"2 document(s) failed: wait for the end: run ended with ExecutionFailed",
		"1 document(s) failed: wait for Bob: no answer within --wait",
	} {
		if !strings.Contains(stderr.String(), want) {
			t.Errorf("stderr lacks %q:\n%s", want, stderr.String())
		}
	}
}

func TestBenchReadsStatusOnly(t *testing.T) {
	f := newBenchFake()
	f.bencher().run(context.Background(), newBenchIDs(clitest.T0).list("", 3), 2)
	if len(f.projections) == 0 {
		t.Fatal("no GetItem")
	}
	for _, p := range f.projections {
		if p != "#s map[#s:status]" {
			t.Errorf("GetItem projection %q, want the status only (never the task token)", p)
		}
	}
}

func TestBenchOpenPending(t *testing.T) {
	f := newBenchFake()
	ids := newBenchIDs(clitest.T0).list("p", 7)
	if err := f.bencher().openPending(context.Background(), ids, 3); err != nil {
		t.Fatal(err)
	}
	if got := slices.Sorted(slices.Values(f.started)); !slices.Equal(got, slices.Sorted(slices.Values(ids))) {
		t.Errorf("started %v, want %v", got, ids)
	}
	for _, id := range ids {
		if f.gets[id] != f.pendingAfter+1 {
			t.Errorf("%s read %d times, want %d (until PENDING)", id, f.gets[id], f.pendingAfter+1)
		}
	}
	if len(f.ended) != 0 {
		t.Errorf("pending documents were completed: %v", slices.Collect(maps.Keys(f.ended)))
	}
}

func TestBenchIDsAreFreshAndValid(t *testing.T) {
	a := newBenchIDs(clitest.T0).list("", 3)
	b := newBenchIDs(clitest.T0.Add(time.Nanosecond)).list("", 3)
	p := newBenchIDs(clitest.T0).list("p", 3)
	seen := map[string]bool{}
	for _, id := range slices.Concat(a, b, p) {
		if err := cli.CheckDocumentID(id); err != nil {
			t.Errorf("id %q: %v", id, err)
		}
		if seen[id] {
			t.Errorf("id %q twice", id)
		}
		seen[id] = true
	}
}

func TestBenchJSONKeys(t *testing.T) {
	data, err := json.Marshal(contract.BenchResult{})
	if err != nil {
		t.Fatal(err)
	}
	var m map[string]any
	if err := json.Unmarshal(data, &m); err != nil {
		t.Fatal(err)
	}
	got := slices.Sorted(maps.Keys(m))
	want := []string{"docs_per_sec", "documents", "failed", "p50_ms", "p99_ms", "seconds"}
	if !slices.Equal(got, want) {
		t.Errorf("keys %v, want %v", got, want)
	}
}

func TestPercentile(t *testing.T) {
	tests := []struct {
		sorted []float64
		p      float64
		want   float64
	}{
		{nil, 50, 0},
		{[]float64{7}, 99, 7},
		{[]float64{1, 2}, 50, 1},
		{[]float64{1, 2, 3, 4}, 99, 4},
		{[]float64{1, 2, 3, 4}, 50, 2},
	}
	for _, tt := range tests {
		if got := percentile(tt.sorted, tt.p); got != tt.want {
			t.Errorf("percentile(%v, %v) = %v, want %v", tt.sorted, tt.p, got, tt.want)
		}
	}
}

func TestBenchFlagErrors(t *testing.T) {
	tests := []struct {
		args []string
		want string
	}{
		{[]string{"--documents", "0"}, "--documents must be at least 1"},
		{[]string{"--concurrency", "0"}, "--concurrency must be at least 1"},
		{[]string{"--pending", "-1"}, "--pending must not be negative"},
		{[]string{"--wait", "0s"}, "--wait must be positive"},
	}
	for _, tt := range tests {
		var stdout, stderr bytes.Buffer
		code := cli.Execute(context.Background(), cli.NewRoot(NewCmd()), append([]string{"bench"}, tt.args...), &stdout, &stderr)
		if code != cli.ExitUsage || !strings.Contains(stderr.String(), tt.want) {
			t.Errorf("bench %v: exit %d, stderr %q; want exit %d and %q", tt.args, code, stderr.String(), cli.ExitUsage, tt.want)
		}
	}
}
