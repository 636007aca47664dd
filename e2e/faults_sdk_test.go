//go:build linux

package e2e_test

import (
	"context"
	"fmt"
	"strconv"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/sfn"
	sfntypes "github.com/aws/aws-sdk-go-v2/service/sfn/types"

	"github.com/hitl-go/docsign/internal/stacktest"
)

// startDocument uploads the document, starts its run and waits for Bob's request.
func startDocument(ctx context.Context, e *stacktest.Env, id string) (string, error) {
	arn, err := e.StartDocument(ctx, id)
	if err != nil {
		return "", err
	}
	return arn, e.WaitForRequest(ctx, id)
}

// completeAsync completes the document in the background; the channel
// receives what complete returns, or its error's text.
func completeAsync(ctx context.Context, e *stacktest.Env, id string) <-chan string {
	answer := make(chan string, 1)
	go func() {
		got, err := complete(ctx, e, completion(id))
		if err != nil {
			got = err.Error()
		}
		answer <- got
	}()
	return answer
}

// mustItem is requestItem that fails the test on an error or no item.
func mustItem(t *testing.T, ctx context.Context, e *stacktest.Env, id string) map[string]string {
	t.Helper()
	it, err := e.RequestItem(ctx, id)
	if err != nil || it == nil {
		t.Fatalf("Bob's request for %s: %v, %v", id, it, err)
	}
	return it
}

// historyTypes returns the types of the run's events, in order.
func historyTypes(ctx context.Context, e *stacktest.Env, arn string) ([]string, error) {
	var types []string
	pages := sfn.NewGetExecutionHistoryPaginator(e.SFN, &sfn.GetExecutionHistoryInput{ExecutionArn: aws.String(arn)})
	for pages.HasMorePages() {
		page, err := pages.NextPage(ctx)
		if err != nil {
			return nil, fmt.Errorf("history of %s: %w", arn, err)
		}
		for _, ev := range page.Events {
			types = append(types, string(ev.Type))
		}
	}
	return types, nil
}

// checkSignedOnce checks that the document's run ended as signed exactly
// once: SUCCEEDED within its timeout with both signatures, one
// TaskSucceeded for the pin and one per branch, the request kept as a SIGNED audit record
// without its token or claim, and a further completion answered
// SignatureAlreadyCompleted.
func checkSignedOnce(t *testing.T, ctx context.Context, e *stacktest.Env, id, arn string) {
	t.Helper()
	d, err := e.WaitExecution(ctx, arn)
	if err != nil {
		t.Fatal(err)
	}
	if d.Status != sfntypes.ExecutionStatusSucceeded {
		t.Fatalf("run %s = %s (%s: %s), want SUCCEEDED", id, d.Status, aws.ToString(d.Error), aws.ToString(d.Cause))
	}
	if took := d.StopDate.Sub(*d.StartDate); took >= faultTimeout {
		t.Errorf("run %s took %s, longer than its timeout %s", id, took, faultTimeout)
	}
	checkSignatures(t, id, aws.ToString(d.Output))
	types, err := historyTypes(ctx, e, arn)
	if err != nil {
		t.Fatal(err)
	}
	if n := count(types, "TaskSucceeded"); n != 3 {
		t.Errorf("history of %s has %d TaskSucceeded, want 3 (the pin's, Alice's and Bob's): %v", id, n, types)
	}
	it := mustItem(t, ctx, e, id)
	if it["status"] != "SIGNED" || it["taskToken"] != "" || it["claimId"] != "" || it["expiresAt"] != "" {
		t.Errorf("Bob's request = %v, want SIGNED without token, claim or expiresAt", redactItem(it))
	}
	if got, err := complete(ctx, e, completion(id)); err != nil || got != "SignatureAlreadyCompleted" {
		t.Errorf("completing %s again = %q, %v; want SignatureAlreadyCompleted", id, got, err)
	}
}

// epochOf parses an epoch-seconds attribute.
func epochOf(t *testing.T, it map[string]string, name string) time.Time {
	t.Helper()
	n, err := strconv.ParseInt(it[name], 10, 64)
	if err != nil {
		t.Fatalf("attribute %s = %q: %v", name, it[name], err)
	}
	return time.Unix(n, 0)
}
