//go:build linux

package e2e_test

import (
	"context"
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/dynamodb"
	"github.com/aws/aws-sdk-go-v2/service/sfn"
	sfntypes "github.com/aws/aws-sdk-go-v2/service/sfn/types"
	"github.com/aws/smithy-go"

	"github.com/hitl-go/docsign/internal/proctest"
	"github.com/hitl-go/docsign/internal/stacktest"
)

// testDynaliteRestart kills dynalite (SIGKILL) in the middle of runs and
// has the stack start it again on the same data, as it does on its own after
// a crash (held back here until the test has seen the stack without it).
// Meanwhile DynamoDB answers ServiceUnavailable. Two requests wait for Bob: one untouched ("waiting"), one
// whose completion has just been accepted by the engine when dynalite dies
// ("in flight"), so its outcome cannot be recorded. While dynalite is down,
// completions answer SignatureServiceUnavailable and a run is started
// ("started while down"). After the restart both requests and their tokens
// are intact, each completes exactly once, and the run started meanwhile
// waits for Bob.
func testDynaliteRestart(t *testing.T, cdkOut string) {
	proxy := newFaultProxy(t)
	dataDir := t.TempDir()
	e := stacktest.StartApp(t, faultAssembly(t, cdkOut, proxy.URL()), dataDir, false)
	proxy.setUpstream(e.Endpoint)
	lease := claimLease(t, e)
	ctx, cancel := context.WithTimeout(context.Background(), faultTimeout+30*time.Second)
	defer cancel()
	waiting, inFlight := stacktest.NewDocumentID("db-waiting"), stacktest.NewDocumentID("db-in-flight")
	arns := map[string]string{}
	before := map[string]map[string]string{}
	for _, id := range []string{waiting, inFlight} {
		arn, err := startDocument(ctx, e, id)
		if err != nil {
			t.Fatal(err)
		}
		arns[id], before[id] = arn, mustItem(t, ctx, e, id)
	}

	plan := proxy.plan(inFlight, holdAfterEngine)
	defer plan.end()
	claimedFrom := time.Now()
	inFlightAnswer := completeAsync(ctx, e, inFlight)
	select {
	case <-plan.held:
	case <-time.After(30 * time.Second):
		t.Fatal("complete-signature sent no SendTaskSuccess within 30 s")
	}
	down := time.Now()
	killDynalite(t, dataDir)
	plan.end() // the function learns its send went through, then cannot record it
	if got := <-inFlightAnswer; got != "SignatureServiceUnavailable" {
		t.Errorf("in-flight completion with dynalite down = %s, want SignatureServiceUnavailable", got)
	}
	if got, err := complete(ctx, e, completion(waiting)); err != nil || got != "SignatureServiceUnavailable" {
		t.Errorf("completion with dynalite down = %q, %v; want SignatureServiceUnavailable", got, err)
	}
	checkDynamoDBUnavailable(t, ctx, e)
	startedWhileDown := stacktest.NewDocumentID("db-started-while-down")
	arns[startedWhileDown] = startWhileDown(t, ctx, e, startedWhileDown)

	restartDynalite(t, ctx, e)
	t.Logf("dynalite was down for %s", time.Since(down).Round(time.Millisecond))
	for _, id := range []string{waiting, inFlight} {
		it := mustItem(t, ctx, e, id)
		if it["status"] != "PENDING" || it["taskToken"] == "" || it["taskToken"] != before[id]["taskToken"] {
			t.Errorf("after the restart, %s = %v, want PENDING with the token it had", id, redactItem(it))
		}
	}
	if got, err := complete(ctx, e, completion(waiting)); err != nil || got != "SIGNED" {
		t.Errorf("completion after the restart = %q, %v; want SIGNED", got, err)
	}
	checkSignedOnce(t, ctx, e, waiting, arns[waiting])
	completeAfterLease(t, ctx, e, inFlight, claimedFrom, lease)
	checkSignedOnce(t, ctx, e, inFlight, arns[inFlight])
	checkSends(t, proxy.sendsFor(inFlight), 2)
	checkStartedWhileDown(t, ctx, e, startedWhileDown, arns[startedWhileDown])
	checkNoneRunning(t, e)
	testNoTokenInLog(t, e)
}

// killDynalite kills the stack's dynalite, found by its data directory, and
// waits for it to end.
func killDynalite(t *testing.T, dataDir string) {
	t.Helper()
	procs := proctest.ChildrenRunning(os.Getpid(), "--path "+filepath.Join(dataDir, "dynamodb"))
	if len(procs) != 1 {
		t.Fatalf("found %d dynalite processes for %s, want 1: %+v", len(procs), dataDir, procs)
	}
	if err := kill9(procs[0]); err != nil {
		t.Fatal(err)
	}
	proctest.WaitEnded(t, 10*time.Second, procs...)
	t.Logf("killed dynalite (process %d)", procs[0].PID)
}

// restartDynalite has the stack start dynalite again on the killed one's
// data, now rather than after its restart delay.
func restartDynalite(t *testing.T, ctx context.Context, e *stacktest.Env) {
	t.Helper()
	cleared, err := e.Stack.RestartDynamoDB(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if !cleared {
		t.Errorf("restarting dynalite found no lock of the killed one to clear")
	}
	if !strings.Contains(e.Log.String(), "dynalite exited unexpectedly") {
		t.Errorf("the log does not say dynalite exited")
	}
}

// checkDynamoDBUnavailable: with dynalite down, the stack's DynamoDB API
// answers ServiceUnavailable, not an InternalServerError that looks like a
// server that is up.
func checkDynamoDBUnavailable(t *testing.T, ctx context.Context, e *stacktest.Env) {
	t.Helper()
	// One attempt: the SDK's retries would eat into the claim lease the
	// rest of the test counts on.
	_, err := e.DB.ListTables(ctx, &dynamodb.ListTablesInput{}, func(o *dynamodb.Options) { o.RetryMaxAttempts = 1 })
	var apiErr smithy.APIError
	if !errors.As(err, &apiErr) || apiErr.ErrorCode() != "ServiceUnavailable" {
		t.Errorf("ListTables with dynalite down = %v, want ServiceUnavailable", err)
	}
}

// startWhileDown starts a run while dynalite is down and waits until its
// request-signature task has failed at least once.
func startWhileDown(t *testing.T, ctx context.Context, e *stacktest.Env, id string) string {
	t.Helper()
	arn, err := e.StartDocument(ctx, id) // S3 is up: only DynamoDB is down
	if err != nil {
		t.Fatalf("start %s with dynalite down: %v", id, err)
	}
	stacktest.Eventually(t, 30*time.Second, 200*time.Millisecond, "request-signature to fail with dynalite down", func() (bool, error) {
		types, err := historyTypes(ctx, e, arn)
		return count(types, "TaskFailed") > 0, err
	})
	return arn
}

// checkStartedWhileDown checks the run started while dynalite was down: the
// workflow retries request-signature's SignatureServiceUnavailable, so once
// dynalite is back the run waits for Bob and can be signed.
func checkStartedWhileDown(t *testing.T, ctx context.Context, e *stacktest.Env, id, arn string) {
	t.Helper()
	var ended *sfn.DescribeExecutionOutput
	stacktest.Eventually(t, 30*time.Second, 200*time.Millisecond, "Bob's request for "+id, func() (bool, error) {
		if it, err := e.RequestItem(ctx, id); it != nil || err != nil {
			return it != nil, err
		}
		d, err := e.SFN.DescribeExecution(ctx, &sfn.DescribeExecutionInput{ExecutionArn: aws.String(arn)})
		if err == nil && d.Status != sfntypes.ExecutionStatusRunning {
			ended = d
		}
		return ended != nil, err
	})
	if ended != nil {
		t.Fatalf("the run started while dynalite was down ended %s (%s: %s); want it to wait for Bob once dynalite is back",
			ended.Status, aws.ToString(ended.Error), aws.ToString(ended.Cause))
	}
	if got, err := complete(ctx, e, completion(id)); err != nil || got != "SIGNED" {
		t.Fatalf("completing the run started while dynalite was down = %q, %v; want SIGNED", got, err)
	}
	checkSignedOnce(t, ctx, e, id, arn)
	types, err := historyTypes(ctx, e, arn)
	if err != nil {
		t.Fatal(err)
	}
	t.Logf("the run started while dynalite was down was signed after %d failed request-signature attempts", count(types, "TaskFailed"))
}
