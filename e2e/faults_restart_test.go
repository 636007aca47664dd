//go:build linux

package e2e_test

import (
	"context"
	"errors"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/sfn"
	sfntypes "github.com/aws/aws-sdk-go-v2/service/sfn/types"

	"github.com/hitl-go/docsign/internal/logtest"
	"github.com/hitl-go/docsign/internal/proctest"
	"github.com/hitl-go/docsign/internal/stacktest"
)

// testStackRestart kills `signctl local` (SIGKILL) with runs open and starts
// it again on the same data directory. DynamoDB's data is on disk and
// survives; the engine keeps its executions in memory only, so it loses them:
// their requests stay PENDING until completed, when complete-signature finds
// the token unknown to the new engine and answers SignatureRequestExpired.
func testStackRestart(t *testing.T, cdkOut string) {
	dir, faulty := t.TempDir(), faultAssembly(t, cdkOut, "")
	ctx, cancel := context.WithTimeout(context.Background(), 3*time.Minute)
	defer cancel()
	first := stacktest.StartSignctl(t, faulty, dir, "--verbose")
	e := first.Env
	lost, again, signed := stacktest.NewDocumentID("lost"), stacktest.NewDocumentID("started-again"), stacktest.NewDocumentID("signed-before")
	arns := map[string]string{}
	for _, id := range []string{lost, again, signed} {
		arn, err := startDocument(ctx, e, id)
		if err != nil {
			t.Fatal(err)
		}
		arns[id] = arn
	}
	if got, err := complete(ctx, e, completion(signed)); err != nil || got != "SIGNED" {
		t.Fatalf("complete %s = %q, %v; want SIGNED", signed, got, err)
	}
	checkSignedOnce(t, ctx, e, signed, arns[signed])
	before := map[string]map[string]string{lost: mustItem(t, ctx, e, lost), again: mustItem(t, ctx, e, again)}

	killSignctl(t, first)
	second := stacktest.StartSignctl(t, faulty, dir, "--verbose")
	if !strings.Contains(second.Out.String(), "cleared the DynamoDB lock left by a run that was killed") {
		t.Errorf("the restart does not say it cleared the killed run's lock:\n%s", lastLines(second.Out.String(), 30))
	}
	e2 := second.Env
	for _, tok := range e.Tokens.List() {
		e2.Tokens.Add(tok)
	}
	checkDataSurvived(t, ctx, e2, before, signed)
	checkEngineForgot(t, ctx, e2, arns[lost], before[lost]["taskToken"])

	// A lost run's request: its completion finds the token unknown.
	if got, err := complete(ctx, e2, completion(lost)); err != nil || got != "SignatureRequestExpired" {
		t.Errorf("completing %s after the restart = %q, %v; want SignatureRequestExpired", lost, got, err)
	}
	if it := mustItem(t, ctx, e2, lost); it["status"] != "EXPIRED" || it["taskToken"] != "" {
		t.Errorf("%s after its completion = %v, want EXPIRED without its token", lost, redactItem(it))
	}
	startAgain(t, ctx, e2, again, arns[again], before[again]["taskToken"])

	if err := second.Cmd.Process.Signal(syscall.SIGINT); err != nil {
		t.Fatal(err)
	}
	if err := second.Cmd.Wait(); err != nil {
		t.Errorf("signctl local after SIGINT: %v\n%s", err, lastLines(second.Out.String(), 20))
	}
	e2.Log = &logtest.Buffer{}
	e2.Log.Write([]byte(first.Out.String() + second.Out.String()))
	testNoTokenInLog(t, e2)
}

// killSignctl kills `signctl local` with SIGKILL and checks that none of its
// children (dynalite, function instances) outlives it.
func killSignctl(t *testing.T, s *stacktest.Signctl) {
	t.Helper()
	children := proctest.Children(s.Cmd.Process.Pid)
	proctest.WantChildren(t, children, "dynalite", "bootstrap")
	if err := s.Cmd.Process.Signal(syscall.SIGKILL); err != nil {
		t.Fatal(err)
	}
	s.Cmd.Wait()
	proctest.WaitEnded(t, 10*time.Second, children...)
	t.Logf("killed signctl local; its %d child processes ended with it", len(children))
}

// checkDataSurvived checks that the open requests kept their tokens and
// the signed one its audit record.
func checkDataSurvived(t *testing.T, ctx context.Context, e *stacktest.Env, open map[string]map[string]string, signed string) {
	t.Helper()
	for id, was := range open {
		it := mustItem(t, ctx, e, id)
		if it["status"] != "PENDING" || it["taskToken"] != was["taskToken"] || it["expiresAt"] != was["expiresAt"] {
			t.Errorf("after the restart, %s = %v, want it as it was: %v", id, redactItem(it), redactItem(was))
		}
	}
	if it := mustItem(t, ctx, e, signed); it["status"] != "SIGNED" {
		t.Errorf("after the restart, %s = %v, want SIGNED", signed, redactItem(it))
	}
}

// checkEngineForgot checks what the engine keeps across a restart: nothing.
// It knows neither the run nor, as its token key is new, the run's token.
func checkEngineForgot(t *testing.T, ctx context.Context, e *stacktest.Env, arn, token string) {
	t.Helper()
	list, err := e.SFN.ListExecutions(ctx, &sfn.ListExecutionsInput{StateMachineArn: aws.String(e.Machine)})
	if err != nil {
		t.Fatal(err)
	}
	if len(list.Executions) != 0 {
		t.Errorf("after the restart the engine lists %d runs, want none (it keeps runs in memory)", len(list.Executions))
	}
	_, err = e.SFN.DescribeExecution(ctx, &sfn.DescribeExecutionInput{ExecutionArn: aws.String(arn)})
	var gone *sfntypes.ExecutionDoesNotExist
	if !errors.As(err, &gone) {
		t.Errorf("DescribeExecution of a run from before the restart = %v, want ExecutionDoesNotExist", err)
	}
	_, err = e.SFN.SendTaskHeartbeat(ctx, &sfn.SendTaskHeartbeatInput{TaskToken: aws.String(token)})
	var invalid *sfntypes.InvalidToken
	if !errors.As(err, &invalid) {
		t.Errorf("SendTaskHeartbeat with a token from before the restart = %v, want InvalidToken", err)
	}
}

// startAgain starts a lost run again under its name (the restarted engine
// does not remember it): request-signature replaces the PENDING request's
// token, and the new run can be signed. The document is not uploaded
// again: the bucket's data, on disk, survived the restart.
func startAgain(t *testing.T, ctx context.Context, e *stacktest.Env, id, oldARN, oldToken string) {
	t.Helper()
	out, err := e.SFN.StartExecution(ctx, &sfn.StartExecutionInput{StateMachineArn: aws.String(e.Machine),
		Name: aws.String(id), Input: aws.String(stacktest.StartInput(id))})
	if err != nil {
		t.Fatalf("start %s again after the restart: %v", id, err)
	}
	if arn := aws.ToString(out.ExecutionArn); arn != oldARN {
		t.Errorf("started again as %s, want the same ARN %s", arn, oldARN)
	}
	stacktest.Eventually(t, 30*time.Second, 200*time.Millisecond, "a new token for "+id, func() (bool, error) {
		it, err := e.RequestItem(ctx, id)
		return it != nil && it["taskToken"] != "" && it["taskToken"] != oldToken, err
	})
	if got, err := complete(ctx, e, completion(id)); err != nil || got != "SIGNED" {
		t.Fatalf("complete %s started again = %q, %v; want SIGNED", id, got, err)
	}
	checkSignedOnce(t, ctx, e, id, oldARN)
}
