//go:build linux

package stack

import (
	"context"
	"encoding/json"
	"errors"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/sfn"
	sfntypes "github.com/aws/aws-sdk-go-v2/service/sfn/types"
)

// faultSignctl is a `signctl local` child process of a fault test.
type faultSignctl struct {
	cmd *exec.Cmd
	out *lockedBuffer
	env *env
}

// startFaultSignctl runs `signctl local` on the cloud assembly cdkOut with
// its data in dir and waits until it is ready.
func startFaultSignctl(t *testing.T, app faultApp, cdkOut, dir string) *faultSignctl {
	t.Helper()
	outputs := filepath.Join(dir, "outputs.json")
	s := &faultSignctl{out: &lockedBuffer{}}
	s.cmd = exec.Command(signctlBinary(t), "local", "--cdk-out", cdkOut, "--addr", "127.0.0.1:0",
		"--data-dir", dir, "--outputs-file", outputs, "--verbose")
	s.cmd.Dir = app.root
	s.cmd.Stdout, s.cmd.Stderr = s.out, s.out
	s.cmd.SysProcAttr = &syscall.SysProcAttr{Pdeathsig: syscall.SIGKILL} // if this test dies
	if err := s.cmd.Start(); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() {
		if s.cmd.ProcessState == nil {
			s.cmd.Process.Kill()
			s.cmd.Wait()
		}
	})
	endpoint := waitReady(t, s.out)
	data, err := os.ReadFile(outputs)
	if err != nil {
		t.Fatalf("outputs file after ready: %v", err)
	}
	var out map[string]map[string]string
	if err := json.Unmarshal(data, &out); err != nil {
		t.Fatalf("outputs file: %v\n%s", err, data)
	}
	s.env = newEnv(endpoint, out[appStack], nil, s.out)
	return s
}

// testStackRestart kills `signctl local` (SIGKILL) with runs open and starts
// it again on the same data directory. DynamoDB's data is on disk and
// survives; the engine keeps its executions in memory only, so it loses them:
// their requests stay PENDING until completed, when complete-signature finds
// the token unknown to the new engine and answers SignatureRequestExpired.
func testStackRestart(t *testing.T, app faultApp) {
	dir, cdkOut := t.TempDir(), faultAssembly(t, app.cdkOut, "")
	ctx, cancel := context.WithTimeout(context.Background(), 3*time.Minute)
	defer cancel()
	first := startFaultSignctl(t, app, cdkOut, dir)
	e := first.env
	lost, again, signed := newDocumentID("lost"), newDocumentID("started-again"), newDocumentID("signed-before")
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
	second := startFaultSignctl(t, app, cdkOut, dir)
	if !strings.Contains(second.out.String(), "cleared the DynamoDB lock left by a run that was killed") {
		t.Errorf("the restart does not say it cleared the killed run's lock:\n%s", lastLines(second.out.String(), 30))
	}
	e2 := second.env
	for _, tok := range e.tokens.list() {
		e2.tokens.add(tok)
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

	if err := second.cmd.Process.Signal(syscall.SIGINT); err != nil {
		t.Fatal(err)
	}
	if err := second.cmd.Wait(); err != nil {
		t.Errorf("signctl local after SIGINT: %v\n%s", err, lastLines(second.out.String(), 20))
	}
	e2.log = &lockedBuffer{}
	e2.log.Write([]byte(first.out.String() + second.out.String()))
	testNoTokenInLog(t, e2)
}

// killSignctl kills `signctl local` with SIGKILL and checks that none of its
// children (dynalite, function instances) outlives it.
func killSignctl(t *testing.T, s *faultSignctl) {
	t.Helper()
	children := childProcesses(s.cmd.Process.Pid)
	wantChildren(t, children, "dynalite", "bootstrap")
	if err := s.cmd.Process.Signal(syscall.SIGKILL); err != nil {
		t.Fatal(err)
	}
	s.cmd.Wait()
	waitForChildren(t, children, 10*time.Second)
	t.Logf("killed signctl local; its %d child processes ended with it", len(children))
}

// checkDataSurvived checks that the open requests kept their tokens and
// the signed one its audit record.
func checkDataSurvived(t *testing.T, ctx context.Context, e *env, open map[string]map[string]string, signed string) {
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
func checkEngineForgot(t *testing.T, ctx context.Context, e *env, arn, token string) {
	t.Helper()
	list, err := e.sfn.ListExecutions(ctx, &sfn.ListExecutionsInput{StateMachineArn: aws.String(e.machine)})
	if err != nil {
		t.Fatal(err)
	}
	if len(list.Executions) != 0 {
		t.Errorf("after the restart the engine lists %d runs, want none (it keeps runs in memory)", len(list.Executions))
	}
	_, err = e.sfn.DescribeExecution(ctx, &sfn.DescribeExecutionInput{ExecutionArn: aws.String(arn)})
	var gone *sfntypes.ExecutionDoesNotExist
	if !errors.As(err, &gone) {
		t.Errorf("DescribeExecution of a run from before the restart = %v, want ExecutionDoesNotExist", err)
	}
	_, err = e.sfn.SendTaskHeartbeat(ctx, &sfn.SendTaskHeartbeatInput{TaskToken: aws.String(token)})
	var invalid *sfntypes.InvalidToken
	if !errors.As(err, &invalid) {
		t.Errorf("SendTaskHeartbeat with a token from before the restart = %v, want InvalidToken", err)
	}
}

// startAgain starts a lost run again under its name (the restarted engine
// does not remember it): request-signature replaces the PENDING request's
// token, and the new run can be signed.
func startAgain(t *testing.T, ctx context.Context, e *env, id, oldARN, oldToken string) {
	t.Helper()
	out, err := e.sfn.StartExecution(ctx, &sfn.StartExecutionInput{StateMachineArn: aws.String(e.machine),
		Name: aws.String(id), Input: aws.String(startInput(id))})
	if err != nil {
		t.Fatalf("start %s again after the restart: %v", id, err)
	}
	if arn := aws.ToString(out.ExecutionArn); arn != oldARN {
		t.Errorf("started again as %s, want the same ARN %s", arn, oldARN)
	}
	eventually(t, 30*time.Second, 200*time.Millisecond, "a new token for "+id, func() (bool, error) {
		it, err := requestItem(ctx, e, id)
		return it != nil && it["taskToken"] != "" && it["taskToken"] != oldToken, err
	})
	if got, err := complete(ctx, e, completion(id)); err != nil || got != "SIGNED" {
		t.Fatalf("complete %s started again = %q, %v; want SIGNED", id, got, err)
	}
	checkSignedOnce(t, ctx, e, id, oldARN)
}
