package signing

import (
	"context"
	"errors"
	"strings"
	"testing"

	"github.com/aws/smithy-go"
	"github.com/hitl-go/docsign/cmd/signctl/internal/cli"
	"github.com/hitl-go/docsign/cmd/signctl/internal/clitest"
	"github.com/hitl-go/docsign/internal/contract"
)

func TestComplete(t *testing.T) {
	tests := []struct {
		name        string
		c           contract.CompleteInput
		lambda      *clitest.FakeLambda
		wantPayload string
		want        contract.CompleteResult
		wantCode    string
		wantExit    int
		wantMsg     string
	}{
		{
			name: "sign, default signer", c: contract.CompleteInput{DocumentID: "3", Decision: "sign"},
			lambda:      &clitest.FakeLambda{Payload: `{"documentId":"3","signer":"Bob","status":"SIGNED"}`},
			wantPayload: `{"documentId":"3","decision":"sign"}`,
			want:        contract.CompleteResult{DocumentID: "3", Signer: "Bob", Status: "SIGNED"},
		},
		{
			name: "decline with reason", c: contract.CompleteInput{DocumentID: "3", Signer: "Bob", Decision: "decline", Reason: "typo"},
			lambda:      &clitest.FakeLambda{Payload: `{"documentId":"3","signer":"Bob","status":"DECLINED"}`},
			wantPayload: `{"documentId":"3","signer":"Bob","decision":"decline","reason":"typo"}`,
			want:        contract.CompleteResult{DocumentID: "3", Signer: "Bob", Status: "DECLINED"},
		},
		{
			name: "InvalidInput", c: contract.CompleteInput{DocumentID: "3", Signer: "Alice", Decision: "sign"},
			lambda:   clitest.FnError("InvalidInput", `invalid input: signer "Alice" is not a callback signer (callback signers: [Bob])`),
			wantCode: "InvalidInput", wantExit: cli.ExitUsage,
			wantMsg: `sign 3: the request was refused as invalid (InvalidInput: invalid input: signer "Alice" is not a callback signer (callback signers: [Bob])); check the document id, --signer`,
		},
		{
			name: "SignatureRequestNotFound", c: contract.CompleteInput{DocumentID: "9", Decision: "sign"},
			lambda:   clitest.FnError("SignatureRequestNotFound", "no signature request for document 9 and signer Bob"),
			wantCode: "SignatureRequestNotFound", wantExit: cli.ExitNotFound,
			wantMsg: "sign 9: there is no signature request for this document and signer (SignatureRequestNotFound: no signature request for document 9 and signer Bob); " +
				"the document was never started, or its run has not reached this signer yet: check `signctl status 9`, or start it with `signctl start 9`",
		},
		{
			name: "SignatureAlreadyCompleted", c: contract.CompleteInput{DocumentID: "3", Decision: "decline", Reason: "late"},
			lambda:   clitest.FnError("SignatureAlreadyCompleted", "signature request 3/Bob was already SIGNED at 2026-11-22T10:00:30Z"),
			wantCode: "SignatureAlreadyCompleted", wantExit: cli.ExitCompleted,
			wantMsg: "decline 3: the signature request was already completed (SignatureAlreadyCompleted: signature request 3/Bob was already SIGNED at 2026-11-22T10:00:30Z); nothing left to do: see `signctl status 3`",
		},
		{
			name: "SignatureRequestExpired", c: contract.CompleteInput{DocumentID: "3-v2", Decision: "sign"},
			lambda:   clitest.FnError("SignatureRequestExpired", "signature request 3-v2/Bob expired"),
			wantCode: "SignatureRequestExpired", wantExit: cli.ExitExpired,
			wantMsg: "start a new signing with a new id, e.g. `signctl start 3-v3`",
		},
		{
			name: "SignatureServiceUnavailable", c: contract.CompleteInput{DocumentID: "3", Decision: "sign"},
			lambda:   clitest.FnError("SignatureServiceUnavailable", "signature request 3/Bob is being completed by another call; retry in a few seconds"),
			wantCode: "SignatureServiceUnavailable", wantExit: cli.ExitRetry, wantMsg: "; try again in a few seconds",
		},
		{
			name: "the function timed out", c: contract.CompleteInput{DocumentID: "3", Decision: "sign"},
			lambda:   clitest.FnError("Sandbox.Timedout", "Task timed out after 10.00 seconds"),
			wantCode: "Sandbox.Timedout", wantExit: cli.ExitError,
			wantMsg: "the complete-signature function failed (Sandbox.Timedout: Task timed out after 10.00 seconds); check its logs",
		},
		{
			name: "a token in an error message is hidden", c: contract.CompleteInput{DocumentID: "3", Decision: "sign"},
			lambda:   clitest.FnError("SignatureServiceUnavailable", `send {"taskToken":"`+clitest.Token+`"} failed`),
			wantCode: "SignatureServiceUnavailable", wantExit: cli.ExitRetry, wantMsg: `send {"taskToken":"<redacted>"} failed`,
		},
		{
			name: "an answer that is not a result", c: contract.CompleteInput{DocumentID: "3", Decision: "sign"},
			lambda:   &clitest.FakeLambda{Payload: `null`},
			wantCode: "BadResponse", wantExit: cli.ExitError, wantMsg: `Complete answered "null"`,
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := Complete(context.Background(), tt.lambda, "Complete", tt.c)
			if p := tt.lambda.Payloads; tt.wantPayload != "" && (len(p) != 1 || p[0] != tt.wantPayload) {
				t.Errorf("payloads = %q, want [%s]", p, tt.wantPayload)
			}
			if tt.wantCode == "" {
				if err != nil || got != tt.want {
					t.Errorf("complete = %+v, %v; want %+v", got, err, tt.want)
				}
				return
			}
			var ce *cli.Error
			if !errors.As(err, &ce) {
				t.Fatalf("err = %v, want a *cli.Error", err)
			}
			if ce.Code != tt.wantCode || ce.Exit != tt.wantExit || !strings.Contains(ce.Msg, tt.wantMsg) {
				t.Errorf("error = code %s exit %d %q\nwant code %s exit %d containing %q", ce.Code, ce.Exit, ce.Msg, tt.wantCode, tt.wantExit, tt.wantMsg)
			}
			if strings.Contains(ce.Msg, clitest.Token) {
				t.Errorf("message shows the task token: %s", ce.Msg)
			}
		})
	}
}

func TestCompleteInvokeError(t *testing.T) {
	l := &clitest.FakeLambda{Err: &smithy.GenericAPIError{Code: "ResourceNotFoundException", Message: "Function not found: Complete"}}
	_, err := Complete(context.Background(), l, "Complete", contract.CompleteInput{DocumentID: "3", Decision: "sign"})
	ce := cli.Explain(err).(*cli.Error)
	if ce.Code != "ResourceNotFoundException" || ce.Exit != cli.ExitError || !strings.Contains(ce.Msg, "invoke Complete") ||
		!strings.Contains(ce.Msg, "--outputs-file") {
		t.Errorf("explained = %+v, want ResourceNotFoundException with context and advice", ce)
	}
}

func TestCompletionErrorWordsCoverTheContract(t *testing.T) {
	// The errorType values complete-signature returns (internal/contract/errors.go).
	for _, typ := range []string{contract.ErrorInvalidInput, contract.ErrorSignatureRequestNotFound, contract.ErrorSignatureAlreadyCompleted,
		contract.ErrorSignatureRequestExpired, contract.ErrorSignatureServiceUnavailable} {
		if _, ok := completionErrorWords[typ]; !ok {
			t.Errorf("no words for errorType %s", typ)
		}
	}
	exits := map[int]string{}
	for typ, w := range completionErrorWords {
		if other, dup := exits[w.exit]; dup {
			t.Errorf("%s and %s share exit code %d", typ, other, w.exit)
		}
		exits[w.exit] = typ
	}
}
