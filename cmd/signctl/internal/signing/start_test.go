package signing

import (
	"context"
	"errors"
	"strings"
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws"
	sfntypes "github.com/aws/aws-sdk-go-v2/service/sfn/types"
	"github.com/hitl-go/docsign/cmd/signctl/internal/cli"
	"github.com/hitl-go/docsign/cmd/signctl/internal/clitest"
	"github.com/hitl-go/docsign/internal/contract"
)

func TestStartDocument(t *testing.T) {
	tests := []struct {
		name        string
		setup       func(f *clitest.FakeSFN)
		wantStarted bool
		wantStatus  string
		wantStarts  int    // StartExecution calls
		wantExit    int    // of finishedError
		wantMsg     string // part of finishedError's message
	}{
		{name: "new document", wantStarted: true, wantStatus: "RUNNING", wantStarts: 1},
		{name: "open run", wantStatus: "RUNNING",
			setup: func(f *clitest.FakeSFN) { f.SetRun("3", sfntypes.ExecutionStatusRunning, 0, nil) }},
		{name: "signed", wantStatus: "SUCCEEDED", wantExit: cli.ExitCompleted,
			wantMsg: "document 3 was already signed (run SUCCEEDED at 2026-11-22T10:00:30Z); a document is signed once: " +
				"to sign it again, start a new signing with a new id, e.g. `signctl start 3-v2`",
			setup: func(f *clitest.FakeSFN) { f.SetRun("3", sfntypes.ExecutionStatusSucceeded, 30, nil) }},
		{name: "declined", wantStatus: "FAILED", wantExit: cli.ExitCompleted,
			wantMsg: "document 3 was declined at 2026-11-22T10:00:40Z (reason: wrong amount)",
			setup: func(f *clitest.FakeSFN) {
				f.SetRun("3", sfntypes.ExecutionStatusFailed, 40, nil)
				f.Execs[clitest.ARN("3")].Error, f.Execs[clitest.ARN("3")].Cause = aws.String(contract.ErrorSignatureDeclined), aws.String("wrong amount")
			}},
		{name: "expired", wantStatus: "TIMED_OUT", wantExit: cli.ExitCompleted,
			wantMsg: "document 3 expired at 2026-11-22T10:01:00Z before every signer signed",
			setup:   func(f *clitest.FakeSFN) { f.SetRun("3", sfntypes.ExecutionStatusTimedOut, 60, nil) }},
		{name: "stopped", wantStatus: "ABORTED", wantExit: cli.ExitCompleted, wantMsg: "had its run stopped",
			setup: func(f *clitest.FakeSFN) { f.SetRun("3", sfntypes.ExecutionStatusAborted, 5, nil) }},
		{name: "failed otherwise", wantStatus: "FAILED", wantExit: cli.ExitCompleted,
			wantMsg: "had its run end FAILED at 2026-11-22T10:00:05Z (States.TaskFailed: boom)",
			setup: func(f *clitest.FakeSFN) {
				f.SetRun("3", sfntypes.ExecutionStatusFailed, 5, nil)
				f.Execs[clitest.ARN("3")].Error, f.Execs[clitest.ARN("3")].Cause = aws.String("States.TaskFailed"), aws.String("boom")
			}},
		{name: "lost a race with another start", wantStatus: "RUNNING", wantStarts: 1,
			setup: func(f *clitest.FakeSFN) {
				f.StartErr = &sfntypes.ExecutionAlreadyExists{Message: aws.String("Execution Already Exists")}
				f.OnRead = func(f *clitest.FakeSFN, n int) {
					if n == 2 { // the other start lands between our two reads
						f.SetRun("3", sfntypes.ExecutionStatusRunning, 0, nil)
					}
				}
			}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			f := clitest.NewFakeSFN()
			if tt.setup != nil {
				tt.setup(f)
			}
			res, err := startDocument(context.Background(), f, cli.Outputs{StateMachineARN: clitest.SM}, "3")
			if err != nil {
				t.Fatal(err)
			}
			if res.Started != tt.wantStarted || res.Status != tt.wantStatus || res.ExecutionARN != clitest.ARN("3") {
				t.Errorf("result = %+v, want started=%v status=%s arn=%s", res, tt.wantStarted, tt.wantStatus, clitest.ARN("3"))
			}
			if len(f.Started) != tt.wantStarts {
				t.Errorf("StartExecution calls = %d, want %d", len(f.Started), tt.wantStarts)
			}
			for _, in := range f.Started {
				if got, want := aws.ToString(in.Input), `{"documentId":"3"}`; got != want || aws.ToString(in.Name) != "3" {
					t.Errorf("StartExecution name %q input %s, want 3 and %s", aws.ToString(in.Name), got, want)
				}
			}
			err = finishedError(res)
			var ce *cli.Error
			if tt.wantExit == 0 {
				if err != nil {
					t.Errorf("finishedError = %v, want nil", err)
				}
				return
			}
			if !errors.As(err, &ce) || ce.Exit != tt.wantExit || !strings.Contains(ce.Msg, tt.wantMsg) {
				t.Errorf("finishedError = %v, want exit %d and a message containing %q", err, tt.wantExit, tt.wantMsg)
			}
		})
	}
}

func TestStartDocumentErrors(t *testing.T) {
	f := clitest.NewFakeSFN()
	f.StartErr = &sfntypes.StateMachineDoesNotExist{Message: aws.String("State Machine Does Not Exist")}
	_, err := startDocument(context.Background(), f, cli.Outputs{StateMachineARN: clitest.SM}, "3")
	var sm *sfntypes.StateMachineDoesNotExist
	if !errors.As(err, &sm) {
		t.Fatalf("err = %v, want StateMachineDoesNotExist", err)
	}
	ce := cli.Explain(err).(*cli.Error)
	if ce.Exit != cli.ExitError || !strings.Contains(ce.Msg, "Is the stack deployed") {
		t.Errorf("explained = exit %d %q, want exit 1 with deployment advice", ce.Exit, ce.Msg)
	}

	_, err = startDocument(context.Background(), f, cli.Outputs{File: "o.json", StateMachineARN: "not-an-arn"}, "3")
	if !errors.As(err, &ce) || !strings.Contains(ce.Msg, "outputs file o.json: StateMachineArn:") {
		t.Errorf("bad ARN: err = %v, want one naming StateMachineArn", err)
	}
}
