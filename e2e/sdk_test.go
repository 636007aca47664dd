package e2e_test

import (
	"context"
	"encoding/json"
	"fmt"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/lambda"
	"golang.org/x/sync/errgroup"

	"github.com/hitl-go/docsign/internal/stacktest"
)

// testManyDocuments signs n documents at once through aws-sdk-go-v2: each
// is started, waits for Bob, is completed through the Lambda API and must
// succeed.
func testManyDocuments(t *testing.T, e *stacktest.Env, n int) {
	ctx, cancel := context.WithTimeout(context.Background(), 2*time.Minute)
	defer cancel()
	start := time.Now()
	g, ctx := errgroup.WithContext(ctx)
	g.SetLimit(50)
	for i := range n {
		g.Go(func() error { return signDocument(ctx, e, stacktest.NewDocumentID(fmt.Sprintf("bulk-%d", i))) })
	}
	if err := g.Wait(); err != nil {
		t.Fatal(err)
	}
	t.Logf("%d documents signed in %s", n, time.Since(start).Round(time.Millisecond))
}

// signDocument runs one document to SUCCEEDED through the SDK.
func signDocument(ctx context.Context, e *stacktest.Env, id string) error {
	arn, err := e.StartDocument(ctx, id)
	if err != nil {
		return err
	}
	if err := e.WaitForRequest(ctx, id); err != nil {
		return err
	}
	out, err := e.Lambda.Invoke(ctx, &lambda.InvokeInput{FunctionName: aws.String(e.Complete),
		Payload: fmt.Appendf(nil, `{"documentId":%q}`, id)})
	if err != nil {
		return fmt.Errorf("complete %s: %w", id, err)
	}
	if out.FunctionError != nil {
		return fmt.Errorf("complete %s: %s %s", id, aws.ToString(out.FunctionError), out.Payload)
	}
	d, err := e.WaitExecution(ctx, arn)
	if err != nil {
		return fmt.Errorf("document %s: %w", id, err)
	}
	if d.Status != "SUCCEEDED" {
		return fmt.Errorf("document %s ended %s (%s: %s), want SUCCEEDED", id, d.Status,
			aws.ToString(d.Error), aws.ToString(d.Cause))
	}
	return nil
}

// completion is complete-signature's payload that signs the document as Bob.
func completion(id string) string { return fmt.Sprintf(`{"documentId":%q}`, id) }

// complete invokes complete-signature and returns the request's status
// (e.g. SIGNED) or, when the invocation failed, its errorType.
func complete(ctx context.Context, e *stacktest.Env, payload string) (string, error) {
	out, err := e.Lambda.Invoke(ctx, &lambda.InvokeInput{FunctionName: aws.String(e.Complete), Payload: []byte(payload)})
	if err != nil {
		return "", fmt.Errorf("invoke %s: %w", e.Complete, err)
	}
	var body struct {
		Status    string `json:"status"`
		ErrorType string `json:"errorType"`
	}
	if err := json.Unmarshal(out.Payload, &body); err != nil {
		return "", fmt.Errorf("invoke %s: payload %q: %w", e.Complete, out.Payload, err)
	}
	if out.FunctionError != nil {
		return body.ErrorType, nil
	}
	return body.Status, nil
}
