package stacktest

import (
	"context"
	"encoding/json"
	"fmt"
	"sync/atomic"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/dynamodb"
	ddbtypes "github.com/aws/aws-sdk-go-v2/service/dynamodb/types"
	"github.com/aws/aws-sdk-go-v2/service/sfn"
	sfntypes "github.com/aws/aws-sdk-go-v2/service/sfn/types"

	"github.com/hitl-go/docsign/internal/contract"
)

// docSeq numbers documents so that ids are fresh within a run; the time
// makes them fresh across runs.
var docSeq atomic.Int64

// NewDocumentID returns a document id no earlier run used.
func NewDocumentID(what string) string {
	return fmt.Sprintf("e2e-%d-%d-%s", time.Now().Unix(), docSeq.Add(1), what)
}

// StartInput is the execution input for a document: the state machine
// reads $.documentId (constructs/signingworkflow/states.go). The run pins
// documents/<id> first: upload it (Env.PrepareInput, Env.StartDocument).
func StartInput(id string) string {
	b, _ := json.Marshal(map[string]string{"documentId": id})
	return string(b)
}

// RequestItem returns Bob's request for the document as attribute → value
// (nil if there is none), recording its task token.
func (e *Env) RequestItem(ctx context.Context, id string) (map[string]string, error) {
	out, err := e.DB.GetItem(ctx, &dynamodb.GetItemInput{TableName: aws.String(e.Table), ConsistentRead: aws.Bool(true),
		Key: map[string]ddbtypes.AttributeValue{
			contract.AttrDocumentID: &ddbtypes.AttributeValueMemberS{Value: id},
			contract.AttrSigner:     &ddbtypes.AttributeValueMemberS{Value: "Bob"},
		}})
	if err != nil || out.Item == nil {
		return nil, err
	}
	flat := map[string]string{}
	for name, v := range out.Item {
		switch v := v.(type) {
		case *ddbtypes.AttributeValueMemberS:
			flat[name] = v.Value
		case *ddbtypes.AttributeValueMemberN:
			flat[name] = v.Value
		}
	}
	e.Tokens.Add(flat[contract.AttrTaskToken])
	return flat, nil
}

// WaitForRequest polls DynamoDB until Bob's request for the document holds
// a task token, and records it.
func (e *Env) WaitForRequest(ctx context.Context, id string) error {
	for {
		it, err := e.RequestItem(ctx, id)
		if err != nil {
			return fmt.Errorf("get Bob's request for %s: %w", id, err)
		}
		if it[contract.AttrTaskToken] != "" {
			return nil
		}
		if err := Sleep(ctx, 250*time.Millisecond); err != nil {
			return fmt.Errorf("no request for Bob for %s: %w", id, err)
		}
	}
}

// WaitExecution polls the run until it is no longer RUNNING.
func (e *Env) WaitExecution(ctx context.Context, arn string) (*sfn.DescribeExecutionOutput, error) {
	for {
		d, err := e.SFN.DescribeExecution(ctx, &sfn.DescribeExecutionInput{ExecutionArn: aws.String(arn)})
		if err != nil {
			return nil, fmt.Errorf("describe %s: %w", arn, err)
		}
		if d.Status != sfntypes.ExecutionStatusRunning {
			return d, nil
		}
		if err := Sleep(ctx, 200*time.Millisecond); err != nil {
			return nil, fmt.Errorf("%s still RUNNING: %w", arn, err)
		}
	}
}

// Eventually polls cond every interval until it reports done, failing the
// test after timeout.
func Eventually(t testing.TB, timeout, interval time.Duration, what string, cond func() (bool, error)) {
	t.Helper()
	deadline := time.Now().Add(timeout)
	for {
		done, err := cond()
		if done {
			return
		}
		if time.Now().After(deadline) {
			t.Fatalf("%s: not after %s (last error: %v)", what, timeout, err)
		}
		time.Sleep(interval)
	}
}

// Sleep waits d, or until ctx ends.
func Sleep(ctx context.Context, d time.Duration) error {
	select {
	case <-ctx.Done():
		return ctx.Err()
	case <-time.After(d):
		return nil
	}
}
