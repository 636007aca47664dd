// Package bench holds `signctl bench`: documents signed end to end, C at a
// time, with the throughput and completion latency measured.
package bench

import (
	"context"
	"errors"
	"fmt"
	"io"
	"math"
	"net/http"
	"sort"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/aws/ratelimit"
	"github.com/aws/aws-sdk-go-v2/aws/retry"
	awshttp "github.com/aws/aws-sdk-go-v2/aws/transport/http"
	"github.com/aws/aws-sdk-go-v2/service/dynamodb"
	"github.com/aws/aws-sdk-go-v2/service/lambda"
	"github.com/aws/aws-sdk-go-v2/service/sfn"
	"github.com/aws/smithy-go"
	"github.com/spf13/cobra"

	"github.com/hitl-go/docsign/cmd/signctl/internal/cli"
	"github.com/hitl-go/docsign/internal/contract"
	"github.com/hitl-go/docsign/internal/documents"
)

// benchOptions are the flags of `signctl bench`.
type benchOptions struct {
	aws         cli.Options
	documents   int
	concurrency int
	pending     int
	wait        time.Duration
	asJSON      bool
}

// NewCmd is `signctl bench`.
func NewCmd() *cobra.Command {
	o := benchOptions{documents: 100, concurrency: 10, wait: time.Minute}
	cmd := &cobra.Command{
		Use:   "bench --documents N --concurrency C [--json]",
		Short: "Measure signed documents per second and completion latency",
		Long: `Sign N fresh documents end to end, C at a time, and measure. Per document:
upload a small document as documents/<id> to the document bucket (S3
PutObject; output DocumentBucketName), StartExecution, wait until Bob's
request is PENDING in DynamoDB, invoke complete-signature through the Lambda
API, and wait for the run to end.

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
		GroupID: cli.GroupLocal,
		Args:    cobra.NoArgs,
		RunE:    func(cmd *cobra.Command, _ []string) error { return runBench(cmd, o) },
	}
	o.aws.AddFlags(cmd)
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
		return cli.UsageError("--documents must be at least 1")
	case o.concurrency < 1:
		return cli.UsageError("--concurrency must be at least 1")
	case o.pending < 0:
		return cli.UsageError("--pending must not be negative")
	case o.wait <= 0:
		return cli.UsageError("--wait must be positive")
	}
	ctx := cmd.Context()
	b, err := connectBench(ctx, &o.aws, o.concurrency)
	if err != nil {
		return err
	}
	b.wait = o.wait
	if _, err := b.sfn.DescribeStateMachine(ctx, &sfn.DescribeStateMachineInput{StateMachineArn: aws.String(b.outputs.StateMachineARN)}); err != nil {
		return cli.Wrapf(err, "describe state machine %s", b.outputs.StateMachineARN)
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
	return cli.Output(cmd, o.asJSON, res, func(w io.Writer) { printBench(w, res, o) })
}

// connectBench builds clients that keep a connection per worker alive and
// let the SDK retry throttles without a client-side retry budget, which a
// benchmark would exhaust.
func connectBench(ctx context.Context, o *cli.Options, concurrency int) (*bencher, error) {
	outputs, _, cfg, err := o.Target(ctx)
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
	if _, err := outputs.Require(contract.OutputDocumentBucketName); err != nil {
		return nil, err
	}
	return &bencher{outputs: outputs, sfn: sfn.NewFromConfig(cfg), db: dynamodb.NewFromConfig(cfg),
		fn: lambda.NewFromConfig(cfg), s3: documents.NewClient(cfg), now: time.Now, pollMin: 5 * time.Millisecond, pollMax: 50 * time.Millisecond}, nil
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

// summarize computes the result from the outcomes.
func summarize(outcomes []benchOutcome, elapsed time.Duration) contract.BenchResult {
	var ms []float64
	for _, o := range outcomes {
		if o.err == nil {
			ms = append(ms, float64(o.latency.Microseconds())/1000)
		}
	}
	sort.Float64s(ms)
	secs := elapsed.Seconds()
	res := contract.BenchResult{Documents: len(outcomes), Failed: len(outcomes) - len(ms), Seconds: round(secs, 3),
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
		return cli.RedactTokens(err.Error())
	}
	var ce *cli.Error
	var api smithy.APIError
	switch {
	case errors.As(err, &ce):
		return step.Step + ": " + ce.Code
	case errors.As(err, &api):
		return step.Step + ": " + api.ErrorCode() + ": " + cli.RedactTokens(api.ErrorMessage())
	case errors.Is(err, context.DeadlineExceeded):
		return step.Step + ": no answer within --wait"
	}
	return cli.RedactTokens(err.Error())
}

func printBench(w io.Writer, r contract.BenchResult, o benchOptions) {
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
