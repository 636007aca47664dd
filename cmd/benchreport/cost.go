package main

import (
	"context"
	"encoding/json"
	"fmt"
	"strings"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/feature/dynamodb/attributevalue"
	"github.com/aws/aws-sdk-go-v2/service/dynamodb"
	ddbtypes "github.com/aws/aws-sdk-go-v2/service/dynamodb/types"
	"github.com/aws/aws-sdk-go-v2/service/sfn"
	sfntypes "github.com/aws/aws-sdk-go-v2/service/sfn/types"

	"github.com/hitl-go/docsign/internal/contract"
	"github.com/hitl-go/docsign/internal/tokenstore"
	"github.com/hitl-go/docsign/local/lambda"
)

// costDocuments is how many documents the cost is measured on.
const costDocuments = 20

// costOrder is the order a document's functions run in.
var costOrder = []string{"signdocument", "requestsignature", "completesignature"}

// placeholderToken stands in for a task token where none is needed; it is
// not secret, so the item holding it may be read whole.
const placeholderToken = "placeholder-not-a-task-token"

// costEstimate is what one signed document uses, measured locally.
type costEstimate struct {
	Documents   int
	Transitions int // state transitions: the run's *StateEntered events
	RunLambdas  int // Lambda invocations the run itself makes (TaskScheduled)
	Functions   []functionCost
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

// measureCost opens costDocuments runs with `signctl bench --pending`, then
// plays each document's three function invocations on a host of its own
// whose AWS calls go through a counting proxy — the runs succeed by them —
// and reads one run's history.
func (r *runner) measureCost(ctx context.Context, ls *localStack) (*costEstimate, error) {
	if _, err := runClient(ctx, r.cfg.signctl, ls, benchSpec{Documents: 1, Concurrency: 5, Pending: costDocuments}); err != nil {
		return nil, err
	}
	c, err := newClients(ctx, ls)
	if err != nil {
		return nil, err
	}
	ids, err := c.running(ctx)
	if err != nil {
		return nil, err
	}
	if len(ids) != costDocuments {
		return nil, fmt.Errorf("%d runs pending, want %d", len(ids), costDocuments)
	}
	est := &costEstimate{Documents: len(ids)}
	if err := r.playDocuments(ctx, ls, est, ids); err != nil {
		return est, err
	}
	if err := est.readRun(ctx, c, ids[0]); err != nil {
		return est, err
	}
	est.ItemBytes, err = itemBytesWithoutToken(ctx, c, ids[0]+"-cost")
	return est, err
}

// playDocuments invokes each document's functions in order, counting
// their AWS calls and timing the warm ones.
func (r *runner) playDocuments(ctx context.Context, ls *localStack, est *costEstimate, ids []string) error {
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
		for _, label := range costOrder {
			fn, _ := r.function(label)
			took, err := invokeForCost(ctx, h, fn.Name, costPayload(label, id))
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

func invokeForCost(ctx context.Context, h *lambda.Host, name string, payload []byte) (time.Duration, error) {
	began := time.Now()
	out, err := h.Invoke(ctx, name, payload)
	took := time.Since(began)
	if err == nil && out.FunctionError != "" {
		err = fmt.Errorf("function error %s", answerOf(out))
	}
	return took, err
}

// costPayload is what each function receives for document id: what the
// state machine and a signer send. request-signature stores a request for
// a twin document (id-cost) with a placeholder token: the run's own request
// already holds the real token, which complete-signature then uses.
func costPayload(label, id string) []byte {
	var v any
	switch label {
	case "signdocument":
		v = map[string]string{"documentId": id, "signer": "Alice"}
	case "requestsignature":
		v = map[string]any{"taskToken": placeholderToken, "documentId": id + "-cost", "signer": "Bob",
			"executionArn": "arn:aws:states:us-east-1:000000000000:execution:Cost:" + id + "-cost",
			"startedAt":    time.Now().UTC().Format(time.RFC3339), "timeoutSeconds": 300}
	default:
		v = map[string]string{"documentId": id}
	}
	b, _ := json.Marshal(v)
	return b
}

// readRun checks that every played run succeeded and counts one run's
// state transitions and Lambda invocations.
func (e *costEstimate) readRun(ctx context.Context, c *clients, id string) error {
	arn := strings.Replace(c.stateMachine, ":stateMachine:", ":execution:", 1) + ":" + id
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
