package main

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"math"
	"net/http"
	"slices"
	"sort"
	"sync"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/aws/ratelimit"
	"github.com/aws/aws-sdk-go-v2/aws/retry"
	awshttp "github.com/aws/aws-sdk-go-v2/aws/transport/http"
	"github.com/aws/aws-sdk-go-v2/service/dynamodb"
	ddbtypes "github.com/aws/aws-sdk-go-v2/service/dynamodb/types"
	"github.com/aws/aws-sdk-go-v2/service/lambda"
	"github.com/aws/aws-sdk-go-v2/service/sfn"
	sfntypes "github.com/aws/aws-sdk-go-v2/service/sfn/types"
	"github.com/aws/smithy-go"
	"github.com/spf13/cobra"
)

func init() { registerCommand(newBenchCmd) }

// benchOptions are the flags of `signctl bench`.
type benchOptions struct {
	aws         awsOptions
	documents   int
	concurrency int
	pending     int
	wait        time.Duration
	asJSON      bool
}

// benchResult is what `signctl bench --json` prints (DESIGN.md contract).
type benchResult struct {
	Documents  int     `json:"documents"`
	Failed     int     `json:"failed"`
	Seconds    float64 `json:"seconds"`
	DocsPerSec float64 `json:"docs_per_sec"`
	P50MS      float64 `json:"p50_ms"`
	P99MS      float64 `json:"p99_ms"`
}

func newBenchCmd() *cobra.Command {
	o := benchOptions{documents: 100, concurrency: 10, wait: time.Minute}
	cmd := &cobra.Command{
		Use:   "bench --documents N --concurrency C [--json]",
		Short: "Measure signed documents per second and completion latency",
		Long: `Sign N fresh documents end to end, C at a time, and measure. Per document:
StartExecution, wait until Bob's request is PENDING in DynamoDB, invoke
complete-signature through the Lambda API, and wait for the run to end.

Latency is from the start of the complete-signature invocation to the
run's own ExecutionSucceeded event timestamp (not when polling sees it);
p50/p99 are over the documents that succeeded, documents/s is their count
over the wall time of the whole batch. "failed" counts documents whose run
did not end SUCCEEDED (or could not be started or completed); their reasons
go to stderr.

--pending P first starts P more documents and leaves them waiting on Bob,
to measure completion with that many runs open. Against AWS those runs
stay open until the state machine's timeout, and every run is billed.

Document ids are bench-<unix nanoseconds>-<n>: fresh on every run.`,
		Example: `  signctl bench --endpoint http://127.0.0.1:4566 --outputs-file cdk-outputs.local.json \
      --documents 1000 --concurrency 50 --json
  signctl bench --documents 100 --pending 1000`,
		GroupID: groupLocal,
		Args:    cobra.NoArgs,
		RunE:    func(cmd *cobra.Command, _ []string) error { return runBench(cmd, o) },
	}
	o.aws.addFlags(cmd)
	f := cmd.Flags()
	f.IntVar(&o.documents, "documents", o.documents, "documents to sign (`N`)")
	f.IntVar(&o.concurrency, "concurrency", o.concurrency, "documents in flight at once (`C`)")
	f.IntVar(&o.pending, "pending", 0, "runs to leave waiting on Bob before measuring (`P`)")
	f.DurationVar(&o.wait, "wait", o.wait, "longest a document may take before it counts as failed")
	f.BoolVar(&o.asJSON, "json", false, `print {"documents","failed","seconds","docs_per_sec","p50_ms","p99_ms"}`)
	return cmd
}

func runBench(cmd *cobra.Command, o benchOptions) error {
	switch {
	case o.documents < 1:
		return usageError("--documents must be at least 1")
	case o.concurrency < 1:
		return usageError("--concurrency must be at least 1")
	case o.pending < 0:
		return usageError("--pending must not be negative")
	case o.wait <= 0:
		return usageError("--wait must be positive")
	}
	ctx := cmd.Context()
	b, err := connectBench(ctx, &o.aws, o.concurrency)
	if err != nil {
		return err
	}
	b.wait = o.wait
	if _, err := b.sfn.DescribeStateMachine(ctx, &sfn.DescribeStateMachineInput{StateMachineArn: aws.String(b.outputs.StateMachineARN)}); err != nil {
		return wrapf(err, "describe state machine %s", b.outputs.StateMachineARN)
	}
	ids := newBenchIDs(time.Now())
	if o.pending > 0 {
		if err := b.openPending(ctx, ids.list("p", o.pending), o.concurrency); err != nil {
			return err
		}
	}
	outcomes, elapsed := b.run(ctx, ids.list("", o.documents), o.concurrency)
	if err := ctx.Err(); err != nil {
		return err
	}
	res := summarize(outcomes, elapsed)
	reportFailures(cmd.ErrOrStderr(), outcomes)
	return output(cmd, o.asJSON, res, func(w io.Writer) { printBench(w, res, o) })
}

// Step Functions and DynamoDB calls of `signctl bench`.
type (
	benchSFN interface {
		StartExecution(context.Context, *sfn.StartExecutionInput, ...func(*sfn.Options)) (*sfn.StartExecutionOutput, error)
		GetExecutionHistory(context.Context, *sfn.GetExecutionHistoryInput, ...func(*sfn.Options)) (*sfn.GetExecutionHistoryOutput, error)
		DescribeStateMachine(context.Context, *sfn.DescribeStateMachineInput, ...func(*sfn.Options)) (*sfn.DescribeStateMachineOutput, error)
	}
	benchDB interface {
		GetItem(context.Context, *dynamodb.GetItemInput, ...func(*dynamodb.Options)) (*dynamodb.GetItemOutput, error)
	}
)

// bencher signs documents end to end and times their completion.
type bencher struct {
	outputs stackOutputs
	sfn     benchSFN
	db      benchDB
	fn      functionInvoker
	now     func() time.Time
	wait    time.Duration // per document
	// pollMin and pollMax bound the backoff between polls.
	pollMin, pollMax time.Duration
	// toPending learns how long a run takes to reach Bob, so that most
	// documents are polled once: every poll is load on the system measured.
	toPending ewma
}

// ewma is a moving average of durations, safe for concurrent use.
type ewma struct {
	mu  sync.Mutex
	avg time.Duration
}

func (e *ewma) add(d time.Duration) {
	e.mu.Lock()
	defer e.mu.Unlock()
	if e.avg == 0 {
		e.avg = d
	} else {
		e.avg += (d - e.avg) / 8
	}
}

// firstPoll is when to poll first: a little before the average, at most a second.
func (e *ewma) firstPoll() time.Duration {
	e.mu.Lock()
	defer e.mu.Unlock()
	return min(e.avg*7/10, time.Second)
}

// connectBench builds clients that keep a connection per worker alive and
// let the SDK retry throttles without a client-side retry budget, which a
// benchmark would exhaust.
func connectBench(ctx context.Context, o *awsOptions, concurrency int) (*bencher, error) {
	outputs, err := readOutputs(o.outputsFile)
	if err != nil {
		return nil, err
	}
	where := *o
	if where.effectiveEndpoint() == "" && arnAccount(outputs.StateMachineARN) == localAccountID {
		where.endpoint = localEndpoint
	}
	cfg, err := where.awsConfig(ctx, arnRegion(outputs.StateMachineARN))
	if err != nil {
		return nil, err
	}
	conns := 2 * concurrency
	cfg.HTTPClient = awshttp.NewBuildableClient().WithTransportOptions(func(t *http.Transport) {
		t.MaxIdleConns, t.MaxIdleConnsPerHost = conns, conns
	})
	cfg.Retryer = func() aws.Retryer {
		return retry.NewStandard(func(so *retry.StandardOptions) { so.RateLimiter = ratelimit.None })
	}
	return &bencher{outputs: outputs, sfn: sfn.NewFromConfig(cfg), db: dynamodb.NewFromConfig(cfg),
		fn: lambda.NewFromConfig(cfg), now: time.Now, pollMin: 5 * time.Millisecond, pollMax: 50 * time.Millisecond}, nil
}

// benchIDs names one bench run's documents bench-<unix nanoseconds>-<n>,
// and the runs it leaves pending bench-<unix nanoseconds>-p<n>.
type benchIDs struct{ run int64 }

func newBenchIDs(now time.Time) benchIDs { return benchIDs{run: now.UnixNano()} }

// list returns n ids with the given prefix before their number.
func (ids benchIDs) list(prefix string, n int) []string {
	out := make([]string, n)
	for i := range out {
		out[i] = fmt.Sprintf("bench-%d-%s%d", ids.run, prefix, i)
	}
	return out
}

// benchOutcome is one document's result: its latency, or why it failed.
type benchOutcome struct {
	latency time.Duration
	err     error
}

// benchStepError says which step of a document failed.
type benchStepError struct {
	Step string // start, wait for Bob, complete, wait for the end
	Err  error
}

func (e *benchStepError) Error() string { return e.Step + ": " + e.Err.Error() }
func (e *benchStepError) Unwrap() error { return e.Err }

// errNotRun marks documents a cancelled bench never reached.
var errNotRun = errors.New("not run: the bench was interrupted")

// run signs docs with concurrency workers and returns each outcome and
// the batch's wall time.
func (b *bencher) run(ctx context.Context, docs []string, concurrency int) ([]benchOutcome, time.Duration) {
	outcomes := make([]benchOutcome, len(docs))
	for i := range outcomes {
		outcomes[i].err = errNotRun
	}
	begin := b.now()
	b.each(ctx, len(docs), concurrency, func(i int) {
		lat, err := b.document(ctx, docs[i])
		outcomes[i] = benchOutcome{latency: lat, err: err}
	})
	return outcomes, b.now().Sub(begin)
}

// openPending starts the documents ids and waits until each waits on Bob.
func (b *bencher) openPending(ctx context.Context, ids []string, concurrency int) error {
	var mu sync.Mutex
	var first error
	b.each(ctx, len(ids), concurrency, func(i int) {
		dctx, cancel := context.WithTimeout(ctx, b.wait)
		defer cancel()
		id := ids[i]
		_, err := b.openDocument(dctx, id)
		mu.Lock()
		defer mu.Unlock()
		if err != nil && first == nil {
			first = fmt.Errorf("open pending document %s: %w", id, err)
		}
	})
	if first == nil {
		first = ctx.Err()
	}
	return first
}

// each calls do(i) for i in [0,n) on concurrency goroutines.
func (b *bencher) each(ctx context.Context, n, concurrency int, do func(i int)) {
	next := make(chan int)
	var wg sync.WaitGroup
	for range min(concurrency, n) {
		wg.Go(func() {
			for i := range next {
				do(i)
			}
		})
	}
	for i := 0; i < n && ctx.Err() == nil; i++ {
		next <- i
	}
	close(next)
	wg.Wait()
}

// document signs one document and returns its completion latency.
func (b *bencher) document(ctx context.Context, id string) (time.Duration, error) {
	ctx, cancel := context.WithTimeout(ctx, b.wait)
	defer cancel()
	arn, err := b.openDocument(ctx, id)
	if err != nil {
		return 0, err
	}
	began := b.now()
	if err := b.complete(ctx, id); err != nil {
		return 0, &benchStepError{Step: "complete", Err: err}
	}
	end, err := b.waitEnd(ctx, arn)
	if err != nil {
		return 0, &benchStepError{Step: "wait for the end", Err: err}
	}
	if end.Type != sfntypes.HistoryEventTypeExecutionSucceeded {
		return 0, &benchStepError{Step: "wait for the end", Err: fmt.Errorf("run ended with %s", end.Type)}
	}
	return max(0, aws.ToTime(end.Timestamp).Sub(began)), nil
}

// openDocument starts the document's run and waits until Bob's request is
// PENDING; it returns the run's ARN.
func (b *bencher) openDocument(ctx context.Context, id string) (string, error) {
	input, _ := json.Marshal(map[string]string{"documentId": id})
	out, err := b.sfn.StartExecution(ctx, &sfn.StartExecutionInput{StateMachineArn: aws.String(b.outputs.StateMachineARN),
		Name: aws.String(id), Input: aws.String(string(input))})
	if err != nil {
		return "", &benchStepError{Step: "start", Err: err}
	}
	if err := b.waitPending(ctx, id); err != nil {
		return "", &benchStepError{Step: "wait for Bob", Err: err}
	}
	return aws.ToString(out.ExecutionArn), nil
}

// waitPending polls Bob's item until it is PENDING. It reads the status
// only: the task token stays in the table.
func (b *bencher) waitPending(ctx context.Context, id string) error {
	in := &dynamodb.GetItemInput{
		TableName: aws.String(b.outputs.TableName), ConsistentRead: aws.Bool(true),
		Key: map[string]ddbtypes.AttributeValue{
			"documentId": &ddbtypes.AttributeValueMemberS{Value: id},
			"signer":     &ddbtypes.AttributeValueMemberS{Value: demoSigner},
		},
		ProjectionExpression: aws.String("#s"), ExpressionAttributeNames: map[string]string{"#s": "status"},
	}
	began := b.now()
	err := b.poll(ctx, "Bob's request", b.toPending.firstPoll(), func() (bool, error) {
		out, err := b.db.GetItem(ctx, in)
		if err != nil || out.Item == nil {
			return false, err
		}
		s, _ := out.Item["status"].(*ddbtypes.AttributeValueMemberS)
		if s == nil || s.Value != itemPending {
			return false, fmt.Errorf("Bob's request is %v, not %s", out.Item["status"], itemPending)
		}
		return true, nil
	})
	if err == nil {
		b.toPending.add(b.now().Sub(began))
	}
	return err
}

// complete invokes complete-signature for Bob's signature.
func (b *bencher) complete(ctx context.Context, id string) error {
	_, err := complete(ctx, b.fn, b.outputs.CompleteSignatureFunctionName, completion{DocumentID: id, Decision: "sign"})
	return err
}

// waitEnd polls the run's last history event until it is the run's end.
func (b *bencher) waitEnd(ctx context.Context, arn string) (sfntypes.HistoryEvent, error) {
	var last sfntypes.HistoryEvent
	in := &sfn.GetExecutionHistoryInput{ExecutionArn: aws.String(arn), ReverseOrder: true, MaxResults: 1}
	err := b.poll(ctx, "the end of the run", 0, func() (bool, error) {
		out, err := b.sfn.GetExecutionHistory(ctx, in)
		if err != nil || len(out.Events) == 0 {
			return false, err
		}
		last = out.Events[0]
		return runEnded(last.Type), nil
	})
	return last, err
}

func runEnded(t sfntypes.HistoryEventType) bool {
	return slices.Contains([]sfntypes.HistoryEventType{sfntypes.HistoryEventTypeExecutionSucceeded,
		sfntypes.HistoryEventTypeExecutionFailed, sfntypes.HistoryEventTypeExecutionTimedOut,
		sfntypes.HistoryEventTypeExecutionAborted}, t)
}

// poll calls check, first after the pause first, then with a growing pause
// until it reports done, fails, or ctx ends.
func (b *bencher) poll(ctx context.Context, what string, first time.Duration, check func() (bool, error)) error {
	if err := sleep(ctx, first); err != nil {
		return fmt.Errorf("waiting for %s: %w", what, err)
	}
	pause := b.pollMin
	for {
		done, err := check()
		if done || err != nil {
			return err
		}
		if err := sleep(ctx, pause); err != nil {
			return fmt.Errorf("waiting for %s: %w", what, err)
		}
		pause = min(pause*3/2, b.pollMax)
	}
}

func sleep(ctx context.Context, d time.Duration) error {
	if d <= 0 {
		return ctx.Err()
	}
	t := time.NewTimer(d)
	defer t.Stop()
	select {
	case <-ctx.Done():
		return ctx.Err()
	case <-t.C:
		return nil
	}
}

// summarize computes the result from the outcomes.
func summarize(outcomes []benchOutcome, elapsed time.Duration) benchResult {
	var ms []float64
	for _, o := range outcomes {
		if o.err == nil {
			ms = append(ms, float64(o.latency.Microseconds())/1000)
		}
	}
	sort.Float64s(ms)
	secs := elapsed.Seconds()
	res := benchResult{Documents: len(outcomes), Failed: len(outcomes) - len(ms), Seconds: round(secs, 3),
		P50MS: round(percentile(ms, 50), 1), P99MS: round(percentile(ms, 99), 1)}
	if secs > 0 {
		res.DocsPerSec = round(float64(len(ms))/secs, 1)
	}
	return res
}

// percentile is the nearest-rank p-th percentile of sorted; 0 when empty.
func percentile(sorted []float64, p float64) float64 {
	if len(sorted) == 0 {
		return 0
	}
	rank := int(math.Ceil(p / 100 * float64(len(sorted))))
	return sorted[min(max(rank, 1), len(sorted))-1]
}

func round(x float64, digits int) float64 {
	scale := math.Pow(10, float64(digits))
	return math.Round(x*scale) / scale
}

// reportFailures prints each distinct failure reason once, with its count.
func reportFailures(w io.Writer, outcomes []benchOutcome) {
	counts := map[string]int{}
	var reasons []string
	for _, o := range outcomes {
		if o.err == nil {
			continue
		}
		msg := failureReason(o.err)
		if counts[msg] == 0 {
			reasons = append(reasons, msg)
		}
		counts[msg]++
	}
	for _, r := range reasons {
		fmt.Fprintf(w, "signctl: bench: %d document(s) failed: %s\n", counts[r], r)
	}
}

// failureReason words a document's failure without what differs between
// documents (ids, request ids), so that equal causes count together.
func failureReason(err error) string {
	var step *benchStepError
	if !errors.As(err, &step) {
		return redactTokens(err.Error())
	}
	var ce *cliError
	var api smithy.APIError
	switch {
	case errors.As(err, &ce):
		return step.Step + ": " + ce.Code
	case errors.As(err, &api):
		return step.Step + ": " + api.ErrorCode() + ": " + redactTokens(api.ErrorMessage())
	case errors.Is(err, context.DeadlineExceeded):
		return step.Step + ": no answer within --wait"
	}
	return redactTokens(err.Error())
}

func printBench(w io.Writer, r benchResult, o benchOptions) {
	fmt.Fprintf(w, "Signed %d of %d documents (concurrency %d", r.Documents-r.Failed, r.Documents, o.concurrency)
	if o.pending > 0 {
		fmt.Fprintf(w, ", %d more runs pending", o.pending)
	}
	fmt.Fprintf(w, ") in %.2f s: %.1f documents/s.\n", r.Seconds, r.DocsPerSec)
	fmt.Fprintf(w, "  completion latency (complete-signature invoked → ExecutionSucceeded): p50 %.1f ms, p99 %.1f ms\n", r.P50MS, r.P99MS)
	if r.Failed > 0 {
		fmt.Fprintf(w, "  failed: %d (reasons on stderr)\n", r.Failed)
	}
}
