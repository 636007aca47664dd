package demo

import (
	"bytes"
	"context"
	"path/filepath"
	"strings"
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/lambda"
	"github.com/hitl-go/docsign/cmd/signctl/internal/cli"
)

func TestLateCompletionError(t *testing.T) {
	failed := func(payload string) *lambda.InvokeOutput {
		return &lambda.InvokeOutput{FunctionError: aws.String("Unhandled"), Payload: []byte(payload)}
	}
	tests := []struct {
		name    string
		out     *lambda.InvokeOutput
		wantMsg string // "" = accepted
	}{
		{"expired", failed(`{"errorType":"SignatureRequestExpired","errorMessage":"signature request d/Bob expired"}`), ""},
		{"signed", &lambda.InvokeOutput{Payload: []byte(`{"documentId":"d","signer":"Bob","status":"SIGNED"}`)},
			`complete-signature answered {"documentId":"d","signer":"Bob","status":"SIGNED"} to a completion after the timeout for d; want function error SignatureRequestExpired`},
		{"another error", failed(`{"errorType":"SignatureServiceUnavailable","errorMessage":"retry"}`),
			"complete-signature answered function error SignatureServiceUnavailable: retry to a completion after the timeout for d; want function error SignatureRequestExpired"},
		{"expired named in the message only", failed(`{"errorType":"Runtime.ExitError","errorMessage":"SignatureRequestExpired"}`),
			"complete-signature answered function error Runtime.ExitError: SignatureRequestExpired to a completion after the timeout for d; want function error SignatureRequestExpired"},
		{"undecodable error", failed(`not json`),
			"complete-signature answered function error Unhandled: not json to a completion after the timeout for d; want function error SignatureRequestExpired"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			err := lateCompletionError("d", tt.out)
			got := ""
			if err != nil {
				got = err.Error()
			}
			if got != tt.wantMsg {
				t.Errorf("lateCompletionError = %q, want %q", got, tt.wantMsg)
			}
			if ce, ok := err.(*cli.Error); err != nil && (!ok || ce.Code != "DemoFailed" || ce.Exit != cli.ExitError) {
				t.Errorf("lateCompletionError = %#v, want a DemoFailed *cli.Error", err)
			}
		})
	}
}

// TestConsoleHint: the demo's stack is gone when it ends, so its last words
// point at a stack that stays up, not at the demo's own address.
func TestConsoleHint(t *testing.T) {
	tests := []struct{ addr, want string }{
		{"127.0.0.1:4566", "The console is served by `make local` (or `signctl local`) at http://127.0.0.1:4566/ until Ctrl-C."},
		{"127.0.0.1:0", "The console is served by `make local` (or `signctl local`) at http://127.0.0.1:4566/ until Ctrl-C."},
		{"127.0.0.1:4600", "The console is served by `signctl local --addr 127.0.0.1:4600` at http://127.0.0.1:4600/ until Ctrl-C."},
	}
	for _, tt := range tests {
		if got := consoleHint(tt.addr); got != tt.want {
			t.Errorf("consoleHint(%q) = %q, want %q", tt.addr, got, tt.want)
		}
	}
}

// TestDemoReportsBadSetup: `signctl demo` without a cloud assembly exits
// with one line naming the fix, after saying it starts the stack.
func TestDemoReportsBadSetup(t *testing.T) {
	missing := filepath.Join(t.TempDir(), "cdk.out")
	var stdout, stderr bytes.Buffer
	code := cli.Execute(context.Background(), cli.NewRoot(NewCmd()), []string{"demo", "--cdk-out", missing, "--data-dir", t.TempDir()}, &stdout, &stderr)
	if want := "signctl: no cloud assembly at " + missing + ": run `make synth`\n"; code != cli.ExitError || stderr.String() != want {
		t.Errorf("exit %d, stderr %q; want exit %d, stderr %q", code, stderr.String(), cli.ExitError, want)
	}
	if !strings.Contains(stdout.String(), "starting the local stack") {
		t.Errorf("demo stdout = %q, want it to say it starts the stack", stdout.String())
	}
}
