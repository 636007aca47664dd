package signing

import (
	"context"
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws"
	sfntypes "github.com/aws/aws-sdk-go-v2/service/sfn/types"
	"github.com/aws/smithy-go"
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
			res, err := startDocument(context.Background(), f, cli.Outputs{StateMachineARN: clitest.SM}, "3", nil)
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
	_, err := startDocument(context.Background(), f, cli.Outputs{StateMachineARN: clitest.SM}, "3", nil)
	var sm *sfntypes.StateMachineDoesNotExist
	if !errors.As(err, &sm) {
		t.Fatalf("err = %v, want StateMachineDoesNotExist", err)
	}
	ce := cli.Explain(err).(*cli.Error)
	if ce.Exit != cli.ExitError || !strings.Contains(ce.Msg, "Is the stack deployed") {
		t.Errorf("explained = exit %d %q, want exit 1 with deployment advice", ce.Exit, ce.Msg)
	}

	_, err = startDocument(context.Background(), f, cli.Outputs{File: "o.json", StateMachineARN: "not-an-arn"}, "3", nil)
	if !errors.As(err, &ce) || !strings.Contains(ce.Msg, "outputs file o.json: StateMachineArn:") {
		t.Errorf("bad ARN: err = %v, want one naming StateMachineArn", err)
	}
}

// TestStartFile: --file uploads the file as documents/<id> and starts the
// run; a file that cannot be a document is refused before anything changes.
func TestStartFile(t *testing.T) {
	dir := t.TempDir()
	doc := filepath.Join(dir, "contract.txt")
	if err := os.WriteFile(doc, []byte("hello"), 0o644); err != nil {
		t.Fatal(err)
	}
	unreadable := filepath.Join(dir, "secret.txt")
	if err := os.WriteFile(unreadable, []byte("x"), 0o000); err != nil {
		t.Fatal(err)
	}
	big := filepath.Join(dir, "big.bin")
	if err := os.WriteFile(big, nil, 0o644); err != nil || os.Truncate(big, MaxDocumentSize+1) != nil {
		t.Fatal("make a big file")
	}
	const helloSHA256 = "2cf24dba5fb0a30e26e83b2ac5b9e29e1b161e5c1fa7425e73043362938b9824"
	tests := []struct {
		name       string
		args       []string
		setup      func(f *clitest.FakeSFN)
		wantCode   int
		wantOut    string
		wantErr    string
		wantPuts   int
		wantStarts int
		notRoot    bool // root reads any file
	}{
		{name: "uploads then starts", args: []string{"--file", doc}, wantPuts: 1, wantStarts: 1,
			wantOut: "Uploaded s3://" + clitest.Bucket + "/documents/3: version v1, sha256 " + helloSHA256 + ".\nStarted signing document 3.\n"},
		{name: "as JSON", args: []string{"--file", doc, "--json"}, wantPuts: 1, wantStarts: 1,
			wantOut: `"uploaded": {
    "bucket": "` + clitest.Bucket + `",
    "key": "documents/3",
    "versionId": "v1",
    "sha256": "` + helloSHA256 + `"
  }`},
		{name: "missing file", args: []string{"--file", filepath.Join(dir, "nope.pdf")}, wantCode: cli.ExitUsage,
			wantErr: "signctl: --file " + filepath.Join(dir, "nope.pdf") + ": no such file\n"},
		{name: "a directory", args: []string{"--file", dir}, wantCode: cli.ExitUsage,
			wantErr: "signctl: --file " + dir + ": is a directory, not a document\n"},
		{name: "too big", args: []string{"--file", big}, wantCode: cli.ExitUsage,
			wantErr: "signctl: --file " + big + ": is 67108865 bytes; a document is at most 64 MiB\n"},
		{name: "unreadable", args: []string{"--file", unreadable}, wantCode: cli.ExitUsage, wantErr: "cannot be read", notRoot: true},
		{name: "empty path", args: []string{"--file", ""}, wantCode: cli.ExitUsage, wantErr: "the path is empty"},
		{name: "run open already: nothing uploaded", args: []string{"--file", doc}, wantOut: "The file was not uploaded",
			setup: func(f *clitest.FakeSFN) { f.SetRun("3", sfntypes.ExecutionStatusRunning, 0, nil) }},
		{name: "run finished: nothing uploaded", args: []string{"--file", doc}, wantCode: cli.ExitCompleted, wantErr: "was already signed",
			setup: func(f *clitest.FakeSFN) { f.SetRun("3", sfntypes.ExecutionStatusSucceeded, 30, nil) }},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if tt.notRoot && os.Getuid() == 0 {
				t.Skip("root reads any file")
			}
			f, s3c := clitest.NewFakeSFN(), &clitest.FakeS3{}
			if tt.setup != nil {
				tt.setup(f)
			}
			root := cli.NewRoot(NewStartCmd(clitest.WithStorage(clitest.App(f, nil, nil), s3c, nil)))
			out, errOut, code := clitest.Run(root, append([]string{"start", "3"}, tt.args...)...)
			if code != tt.wantCode || !strings.Contains(out, tt.wantOut) || !strings.Contains(errOut, tt.wantErr) {
				t.Errorf("exit %d, stdout %q, stderr %q; want exit %d, stdout containing %q, stderr containing %q",
					code, out, errOut, tt.wantCode, tt.wantOut, tt.wantErr)
			}
			if got := len(s3c.Objects["documents/3"]); got != tt.wantPuts {
				t.Errorf("%d versions uploaded, want %d", got, tt.wantPuts)
			}
			if tt.wantPuts > 0 && string(s3c.Objects["documents/3"][0]) != "hello" {
				t.Errorf("uploaded %q, want the file's bytes", s3c.Objects["documents/3"][0])
			}
			if len(f.Started) != tt.wantStarts {
				t.Errorf("StartExecution calls = %d, want %d", len(f.Started), tt.wantStarts)
			}
		})
	}
}

// TestStartFileNeedsBucketOutput: an outputs file from before the document
// bucket refuses --file before anything changes, and still starts without it.
func TestStartFileNeedsBucketOutput(t *testing.T) {
	doc := filepath.Join(t.TempDir(), "d.txt")
	if err := os.WriteFile(doc, []byte("x"), 0o644); err != nil {
		t.Fatal(err)
	}
	f := clitest.NewFakeSFN()
	a := clitest.App(f, nil, nil)
	connect := a.Connect
	a.Connect = func(ctx context.Context, o *cli.Options) (*cli.Session, error) {
		s, err := connect(ctx, o)
		s.Outputs.File, s.Outputs.DocumentBucketName = "old.json", ""
		return s, err
	}
	_, errOut, code := clitest.Run(cli.NewRoot(NewStartCmd(a)), "start", "3", "--file", doc)
	if code != cli.ExitError || !strings.Contains(errOut, "outputs file old.json: DocumentSigningStack lacks output DocumentBucketName") || len(f.Started) != 0 {
		t.Errorf("exit %d, stderr %q, %d starts; want exit 1 naming DocumentBucketName, no start", code, errOut, len(f.Started))
	}
	if _, _, code := clitest.Run(cli.NewRoot(NewStartCmd(a)), "start", "3"); code != 0 || len(f.Started) != 1 {
		t.Errorf("start without --file: exit %d, %d starts; want 0 and 1", code, len(f.Started))
	}
}

// TestStartUploadFails: a failed upload starts nothing.
func TestStartUploadFails(t *testing.T) {
	doc := filepath.Join(t.TempDir(), "d.txt")
	if err := os.WriteFile(doc, []byte("x"), 0o644); err != nil {
		t.Fatal(err)
	}
	f := clitest.NewFakeSFN()
	s3c := &clitest.FakeS3{Err: &smithy.GenericAPIError{Code: "AccessDenied", Message: "Access Denied"}}
	_, errOut, code := clitest.Run(cli.NewRoot(NewStartCmd(clitest.WithStorage(clitest.App(f, nil, nil), s3c, nil))), "start", "3", "--file", doc)
	if code != cli.ExitError || !strings.Contains(errOut, "upload document 3: put s3://"+clitest.Bucket+"/documents/3") ||
		!strings.Contains(errOut, "Check your AWS credentials") || len(f.Started) != 0 {
		t.Errorf("exit %d, stderr %q, %d starts; want exit 1 naming the upload, no start", code, errOut, len(f.Started))
	}
}
