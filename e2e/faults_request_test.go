//go:build linux

package e2e_test

import (
	"context"
	"testing"
	"time"

	sfntypes "github.com/aws/aws-sdk-go-v2/service/sfn/types"

	"github.com/hitl-go/docsign/internal/stacktest"
)

// testRequestKilled kills request-signature after its PutItem stored the
// run's token and before it answers. The engine fails the task
// (Runtime.ExitError) and the state machine retries it; the retry stores a
// new token in the same item. Completions meanwhile are told to retry, never
// that the request expired, and the document is then signed exactly once.
func testRequestKilled(t *testing.T, e *stacktest.Env, proxy *faultProxy) {
	ctx, cancel := context.WithTimeout(context.Background(), faultTimeout+30*time.Second)
	defer cancel()
	id := stacktest.NewDocumentID("request-killed")
	plan := proxy.planPut(id, holdAfterEngine)
	defer plan.end()
	arn, err := e.StartDocument(ctx, id)
	if err != nil {
		t.Fatal(err)
	}
	killHeldCaller(t, proxy, plan, e.Request)
	plan.end()
	if it := mustItem(t, ctx, e, id); it["status"] != "PENDING" || it["taskToken"] == "" {
		t.Fatalf("Bob's request after the kill = %v, want PENDING with a token", redactItem(it))
	}
	answers := map[string]int{}
	stacktest.Eventually(t, faultTimeout/2, 300*time.Millisecond, "a completion to sign "+id, func() (bool, error) {
		got, err := complete(ctx, e, completion(id))
		if err != nil {
			return false, err // the invocation itself failed: try again
		}
		answers[got]++
		if got != "SIGNED" && got != "SignatureServiceUnavailable" {
			t.Fatalf("completion after request-signature was killed = %q; want SIGNED or SignatureServiceUnavailable (answers so far %v)",
				got, answers)
		}
		return got == "SIGNED", nil
	})
	t.Logf("completions until signed: %v", answers)
	checkSignedOnce(t, ctx, e, id, arn)
	types, err := historyTypes(ctx, e, arn)
	if err != nil {
		t.Fatal(err)
	}
	// The pin's task, Alice's, Bob's first (killed) and one more for each
	// failure: the kill, and a retry refused while a completion held the first token.
	if failed := count(types, "TaskFailed"); failed < 1 || count(types, "TaskScheduled") != failed+3 {
		t.Errorf("history of %s = %v, want Bob's task failed (the killed process) and scheduled again after each failure", id, types)
	}
}

// testAbandoned kills complete-signature mid-invocation and never retries
// the completion: the run must end TIMED_OUT at its deadline, not hang, and a
// late completion then answers SignatureRequestExpired and marks the request
// EXPIRED.
func testAbandoned(t *testing.T, e *stacktest.Env, proxy *faultProxy) {
	ctx, cancel := context.WithTimeout(context.Background(), faultTimeout+30*time.Second)
	defer cancel()
	id := stacktest.NewDocumentID("abandoned")
	arn, err := startDocument(ctx, e, id)
	if err != nil {
		t.Fatal(err)
	}
	plan := proxy.plan(id, holdBeforeEngine)
	defer plan.end()
	first := completeAsync(ctx, e, id)
	killHeldCaller(t, proxy, plan, e.Complete)
	t.Logf("the killed completion answered %s", <-first)
	d, err := e.WaitExecution(ctx, arn)
	if err != nil {
		t.Fatal(err)
	}
	took := d.StopDate.Sub(*d.StartDate)
	if d.Status != sfntypes.ExecutionStatusTimedOut || took < faultTimeout || took > faultTimeout+5*time.Second {
		t.Fatalf("abandoned run %s = %s after %s, want TIMED_OUT after its %s timeout", id, d.Status, took, faultTimeout)
	}
	if got, err := complete(ctx, e, completion(id)); err != nil || got != "SignatureRequestExpired" {
		t.Errorf("completing %s after its timeout = %q, %v; want SignatureRequestExpired", id, got, err)
	}
	if it := mustItem(t, ctx, e, id); it["status"] != "EXPIRED" || it["taskToken"] != "" {
		t.Errorf("Bob's request after the timeout = %v, want EXPIRED without its token", redactItem(it))
	}
}
