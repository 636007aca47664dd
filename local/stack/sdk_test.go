package stack

import (
	"context"
	"fmt"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/dynamodb"
	ddbtypes "github.com/aws/aws-sdk-go-v2/service/dynamodb/types"
	"github.com/aws/aws-sdk-go-v2/service/lambda"
	"github.com/aws/aws-sdk-go-v2/service/sfn"
	"golang.org/x/sync/errgroup"
)

// testManyDocuments signs n documents at once through aws-sdk-go-v2: each
// is started, waits for Bob, is completed through the Lambda API and must
// succeed.
func testManyDocuments(t *testing.T, e *env, n int) {
	ctx, cancel := context.WithTimeout(context.Background(), 2*time.Minute)
	defer cancel()
	start := time.Now()
	g, ctx := errgroup.WithContext(ctx)
	g.SetLimit(50)
	for i := range n {
		g.Go(func() error { return signDocument(ctx, e, newDocumentID(fmt.Sprintf("bulk-%d", i))) })
	}
	if err := g.Wait(); err != nil {
		t.Fatal(err)
	}
	t.Logf("%d documents signed in %s", n, time.Since(start).Round(time.Millisecond))
}

// signDocument runs one document to SUCCEEDED through the SDK.
func signDocument(ctx context.Context, e *env, id string) error {
	started, err := e.sfn.StartExecution(ctx, &sfn.StartExecutionInput{
		StateMachineArn: aws.String(e.machine), Name: aws.String(id), Input: aws.String(startInput(id))})
	if err != nil {
		return fmt.Errorf("start %s: %w", id, err)
	}
	if err := waitForRequest(ctx, e, id); err != nil {
		return err
	}
	out, err := e.lambda.Invoke(ctx, &lambda.InvokeInput{FunctionName: aws.String(e.complete),
		Payload: fmt.Appendf(nil, `{"documentId":%q}`, id)})
	if err != nil {
		return fmt.Errorf("complete %s: %w", id, err)
	}
	if out.FunctionError != nil {
		return fmt.Errorf("complete %s: %s %s", id, aws.ToString(out.FunctionError), out.Payload)
	}
	for {
		d, err := e.sfn.DescribeExecution(ctx, &sfn.DescribeExecutionInput{ExecutionArn: started.ExecutionArn})
		if err != nil {
			return fmt.Errorf("describe %s: %w", id, err)
		}
		switch d.Status {
		case "SUCCEEDED":
			return nil
		case "RUNNING":
			if err := sleep(ctx, 200*time.Millisecond); err != nil {
				return fmt.Errorf("document %s still RUNNING: %w", id, err)
			}
		default:
			return fmt.Errorf("document %s ended %s (%s: %s), want SUCCEEDED", id, d.Status,
				aws.ToString(d.Error), aws.ToString(d.Cause))
		}
	}
}

// waitForRequest polls DynamoDB until Bob's request for the document
// exists, and records its task token.
func waitForRequest(ctx context.Context, e *env, id string) error {
	key := map[string]ddbtypes.AttributeValue{
		"documentId": &ddbtypes.AttributeValueMemberS{Value: id},
		"signer":     &ddbtypes.AttributeValueMemberS{Value: "Bob"},
	}
	for {
		got, err := e.db.GetItem(ctx, &dynamodb.GetItemInput{TableName: aws.String(e.table), Key: key,
			ConsistentRead: aws.Bool(true)})
		if err != nil {
			return fmt.Errorf("get Bob's request for %s: %w", id, err)
		}
		if tok, ok := got.Item["taskToken"].(*ddbtypes.AttributeValueMemberS); ok {
			e.tokens.add(tok.Value)
			return nil
		}
		if err := sleep(ctx, 250*time.Millisecond); err != nil {
			return fmt.Errorf("no request for Bob for %s: %w", id, err)
		}
	}
}

func sleep(ctx context.Context, d time.Duration) error {
	select {
	case <-ctx.Done():
		return ctx.Err()
	case <-time.After(d):
		return nil
	}
}
