package main

import (
	"context"
	"encoding/json"
	"fmt"
	"slices"
	"strings"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/feature/dynamodb/attributevalue"
	"github.com/aws/aws-sdk-go-v2/service/dynamodb"
	ddbtypes "github.com/aws/aws-sdk-go-v2/service/dynamodb/types"
	"github.com/aws/aws-sdk-go-v2/service/sfn"
	sfntypes "github.com/aws/aws-sdk-go-v2/service/sfn/types"

	"github.com/hitl-go/docsign/internal/contract"
	"github.com/hitl-go/docsign/internal/signature"
	"github.com/hitl-go/docsign/internal/tokenstore"
	"github.com/hitl-go/docsign/local/lambda"
)

// costDocuments is how many documents the cost is measured on.
const costDocuments = 20

// costOrder is the order a document's functions run in: the run pins the
// document, then signs for Alice and asks Bob, who signs with
// complete-signature.
var costOrder = []string{"pindocument", "signdocument", "requestsignature", "completesignature"}

// placeholderToken stands in for a task token where none is needed; it is
// not secret, so the item holding it may be read whole.
const placeholderToken = "placeholder-not-a-task-token"

// costEstimate is what one signed document uses, measured locally.
type costEstimate struct {
	Documents   int
	Transitions int // state transitions: the run's *StateEntered events
	RunLambdas  int // Lambda invocations the run itself makes (TaskScheduled)
	Functions   []functionCost
	// Uploads are the S3 calls `signctl bench` made over UploadDocuments
	// documents: the upload before each run.
	Uploads         map[string]int
	UploadDocuments int
	// ItemBytes is the token-table item's size without its task token.
	ItemBytes int
}

// functionCost is one function's measured invocations.
type functionCost struct {
	Label     string
	MemoryMB  int
	Durations []time.Duration // warm invocations, measured around Invoke
	Calls     map[string]int  // AWS API calls it made, by operation, over all documents
}

// measureCost opens costDocuments runs with `signctl bench --pending`
// through a counting proxy (the uploads), then plays each document's four
// function invocations on a host of its own whose AWS calls go through
// another — the runs succeed by them — and reads one run's history.
func (r *runner) measureCost(ctx context.Context, ls *localStack, c *clients) (*costEstimate, error) {
	est := &costEstimate{Documents: costDocuments, UploadDocuments: costDocuments + 1} // --pending 20 and one document signed
	ids, uploads, err := r.openRuns(ctx, ls, c, costDocuments, true)
	if err != nil {
		return nil, err
	}
	for op, n := range uploads {
		if strings.HasPrefix(op, s3Prefix) {
			if est.Uploads == nil {
				est.Uploads = map[string]int{}
			}
			est.Uploads[op] += n
		}
	}
	if err := r.playDocuments(ctx, ls, c, est, ids); err != nil {
		return est, err
	}
	if err := est.readRun(ctx, c, ids[0]); err != nil {
		return est, err
	}
	est.ItemBytes, err = itemBytesWithoutToken(ctx, c, ids[0]+"-cost")
	return est, err
}

// openRuns has `signctl bench --pending n` open n runs that wait on Bob
// (and sign one document) and returns their names; counted, the client's
// calls go through a counting proxy and are returned by operation.
func (r *runner) openRuns(ctx context.Context, ls *localStack, c *clients, n int, counted bool) ([]string, map[string]int, error) {
	before, err := c.running(ctx)
	if err != nil {
		return nil, nil, err
	}
	spec := benchSpec{Documents: 1, Concurrency: 10, Pending: n}
	var proxy *counter
	if counted {
		if proxy, err = startCounter(ls.Endpoint()); err != nil {
			return nil, nil, err
		}
		defer proxy.Close()
		spec.Endpoint = proxy.URL
	}
	if _, err := runClient(ctx, r.cfg.signctl, ls, spec); err != nil {
		return nil, nil, err
	}
	open, err := c.running(ctx)
	if err != nil {
		return nil, nil, err
	}
	ids := slices.DeleteFunc(open, func(id string) bool { return slices.Contains(before, id) })
	if len(ids) != n {
		return nil, nil, fmt.Errorf("%d new runs waiting on Bob, want %d", len(ids), n)
	}
	var calls map[string]int
	if proxy != nil {
		calls = proxy.take()
	}
	return ids, calls, nil
}

// playDocuments invokes each document's functions in order, counting
// their AWS calls and timing the warm ones.
func (r *runner) playDocuments(ctx context.Context, ls *localStack, c *clients, est *costEstimate, ids []string) error {
	proxy, err := startCounter(ls.Endpoint())
	if err != nil {
		return err
	}
	defer proxy.Close()
	h := lambda.NewHost(lambda.Options{Env: functionEnv(proxy.URL)})
	defer h.Close()
	costs := map[string]*functionCost{}
	for _, label := range costOrder {
		fn, ok := r.function(label)
		if !ok {
			return fmt.Errorf("no function %s in %s", label, r.cfg.cdkOut)
		}
		if err := h.Register(lambda.FunctionConfig{Name: fn.Name, Executable: r.bins[label], Env: fn.Environment,
			Timeout: fn.Timeout, MemoryMB: fn.MemorySize}); err != nil {
			return err
		}
		costs[label] = &functionCost{Label: label, MemoryMB: fn.MemorySize, Calls: map[string]int{}}
	}
	for i, id := range ids {
		var pinned pinOutput
		for _, label := range costOrder {
			fn, _ := r.function(label)
			out, took, err := invokeForCost(ctx, h, fn.Name, costPayload(label, id, pinned.Document, c.executionARN))
			if err == nil && label == "pindocument" {
				err = json.Unmarshal(out, &pinned)
			}
			if err != nil {
				return fmt.Errorf("%s for %s: %w", label, id, err)
			}
			fc := costs[label]
			if i > 0 { // the first invocation starts the instance
				fc.Durations = append(fc.Durations, took)
			}
			for op, n := range proxy.take() {
				fc.Calls[op] += n
			}
		}
	}
	for _, label := range costOrder {
		est.Functions = append(est.Functions, *costs[label])
	}
	return nil
}

// pinOutput is what pin-document answers (lambdas/pindocument/handler.go).
type pinOutput struct {
	DocumentID string             `json:"documentId"`
	Document   signature.Document `json:"document"`
}

func invokeForCost(ctx context.Context, h *lambda.Host, name string, payload []byte) ([]byte, time.Duration, error) {
	began := time.Now()
	out, err := h.Invoke(ctx, name, payload)
	took := time.Since(began)
	if err != nil {
		return nil, took, err
	}
	if out.FunctionError != "" {
		return nil, took, fmt.Errorf("function error %s", answerOf(out))
	}
	return out.Payload, took, nil
}

// costPayload is what each function receives for document id, pinned as
// doc: what the state machine and a signer send, in the run named id
// (executionARN gives its ARN). sign-document signs for Alice again, in the
// same run (tokenstore.Store.Record accepts that); request-signature stores
// a request for a twin document (id-cost) with a placeholder token: the
// run's own request already holds the real token, which complete-signature
// then uses.
func costPayload(label, id string, doc signature.Document, executionARN func(string) string) []byte {
	var v any
	switch label {
	case "pindocument":
		v = map[string]string{"documentId": id, "executionName": id}
	case "signdocument":
		v = map[string]any{"documentId": id, "document": doc, "signer": "Alice", "executionArn": executionARN(id)}
	case "requestsignature":
		v = requestEvent(id+"-cost", twinDocument(doc, id+"-cost"), executionARN(id+"-cost"))
	default:
		v = contract.CompleteInput{DocumentID: id}
	}
	b, _ := json.Marshal(v)
	return b
}

// readRun checks that every played run succeeded and counts one run's
// state transitions and Lambda invocations.
func (e *costEstimate) readRun(ctx context.Context, c *clients, id string) error {
	arn := c.executionARN(id)
	if open, err := c.running(ctx); err != nil || len(open) > 0 {
		return fmt.Errorf("runs still open after their completion: %d (%v)", len(open), err)
	}
	p := sfn.NewGetExecutionHistoryPaginator(c.sfn, &sfn.GetExecutionHistoryInput{ExecutionArn: aws.String(arn)})
	var last sfntypes.HistoryEventType
	for p.HasMorePages() {
		page, err := p.NextPage(ctx)
		if err != nil {
			return fmt.Errorf("history of %s: %w", id, err)
		}
		for _, ev := range page.Events {
			if strings.HasSuffix(string(ev.Type), "StateEntered") {
				e.Transitions++
			}
			if ev.Type == sfntypes.HistoryEventTypeTaskScheduled || ev.Type == sfntypes.HistoryEventTypeLambdaFunctionScheduled {
				e.RunLambdas++
			}
			last = ev.Type
		}
	}
	if last != sfntypes.HistoryEventTypeExecutionSucceeded {
		return fmt.Errorf("run %s ended with %s, want ExecutionSucceeded", id, last)
	}
	return nil
}

// itemBytesWithoutToken sizes the twin request's item as DynamoDB does
// (attribute names plus values), less its placeholder token.
func itemBytesWithoutToken(ctx context.Context, c *clients, id string) (int, error) {
	key, err := attributevalue.MarshalMap(tokenstore.Key{DocumentID: id, Signer: contract.DefaultSigner})
	if err != nil {
		return 0, err
	}
	out, err := c.db.GetItem(ctx, &dynamodb.GetItemInput{TableName: aws.String(c.table), ConsistentRead: aws.Bool(true), Key: key})
	if err != nil || out.Item == nil {
		return 0, fmt.Errorf("read the request for %s: found %v (%v)", id, out != nil && out.Item != nil, err)
	}
	size := 0
	for name, v := range out.Item {
		size += len(name)
		switch v := v.(type) {
		case *ddbtypes.AttributeValueMemberS:
			size += len(v.Value)
		case *ddbtypes.AttributeValueMemberN:
			size += (len(strings.TrimLeft(v.Value, "-0"))+1)/2 + 1
		default:
			size++
		}
	}
	return size - len(placeholderToken), nil
}
