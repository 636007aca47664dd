package bench

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"sync"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/feature/dynamodb/attributevalue"
	"github.com/aws/aws-sdk-go-v2/service/dynamodb"
	ddbtypes "github.com/aws/aws-sdk-go-v2/service/dynamodb/types"
	"github.com/aws/aws-sdk-go-v2/service/sfn"
	sfntypes "github.com/aws/aws-sdk-go-v2/service/sfn/types"

	"github.com/hitl-go/docsign/cmd/signctl/internal/cli"
	"github.com/hitl-go/docsign/cmd/signctl/internal/signing"
	"github.com/hitl-go/docsign/internal/contract"
	"github.com/hitl-go/docsign/internal/documents"
	"github.com/hitl-go/docsign/internal/runs"
	"github.com/hitl-go/docsign/internal/tokenstore"
)

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
	outputs cli.Outputs
	sfn     benchSFN
	db      benchDB
	fn      signing.FunctionInvoker
	s3      documents.Putter // the document bucket
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

// openDocument uploads a small document, starts its run and waits until
// Bob's request is PENDING; it returns the run's ARN.
func (b *bencher) openDocument(ctx context.Context, id string) (string, error) {
	if _, err := signing.Upload(ctx, b.s3, b.outputs, id, benchDocument(id)); err != nil {
		return "", &benchStepError{Step: "upload", Err: err}
	}
	out, err := runs.Start(ctx, b.sfn, b.outputs.StateMachineARN, id)
	if err != nil {
		return "", &benchStepError{Step: "start", Err: err}
	}
	if err := b.waitPending(ctx, id); err != nil {
		return "", &benchStepError{Step: "wait for Bob", Err: err}
	}
	return aws.ToString(out.ExecutionArn), nil
}

// benchDocument is the bytes bench uploads as document id.
func benchDocument(id string) []byte {
	return []byte("signctl bench document " + id + "\n")
}

// waitPending polls Bob's item until it is PENDING. It reads the status
// only: the task token stays in the table.
func (b *bencher) waitPending(ctx context.Context, id string) error {
	key, err := attributevalue.MarshalMap(tokenstore.Key{DocumentID: id, Signer: contract.DefaultSigner})
	if err != nil {
		return err
	}
	in := &dynamodb.GetItemInput{
		TableName: aws.String(b.outputs.TableName), ConsistentRead: aws.Bool(true), Key: key,
		ProjectionExpression: aws.String("#s"), ExpressionAttributeNames: map[string]string{"#s": contract.AttrStatus},
	}
	began := b.now()
	err = b.poll(ctx, "Bob's request", b.toPending.firstPoll(), func() (bool, error) {
		out, err := b.db.GetItem(ctx, in)
		if err != nil || out.Item == nil {
			return false, err
		}
		s, _ := out.Item[contract.AttrStatus].(*ddbtypes.AttributeValueMemberS)
		if s == nil || contract.Status(s.Value) != contract.StatusPending {
			return false, fmt.Errorf("Bob's request is %v, not %s", out.Item[contract.AttrStatus], contract.StatusPending)
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
	_, err := signing.Complete(ctx, b.fn, b.outputs.CompleteSignatureFunctionName,
		contract.CompleteInput{DocumentID: id, Decision: contract.DecisionSign})
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
