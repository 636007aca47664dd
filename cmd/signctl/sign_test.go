package main

import (
	"context"
	"errors"
	"strings"
	"testing"

	"github.com/aws/smithy-go"
)

func TestComplete(t *testing.T) {
	tests := []struct {
		name        string
		c           completion
		lambda      *fakeLambda
		wantPayload string
		want        completionResult
		wantCode    string
		wantExit    int
		wantMsg     string
	}{
		{
			name: "sign, default signer", c: completion{DocumentID: "3", Decision: "sign"},
			lambda:      &fakeLambda{payload: `{"documentId":"3","signer":"Bob","status":"SIGNED"}`},
			wantPayload: `{"documentId":"3","decision":"sign"}`,
			want:        completionResult{DocumentID: "3", Signer: "Bob", Status: "SIGNED"},
		},
		{
			name: "decline with reason", c: completion{DocumentID: "3", Signer: "Bob", Decision: "decline", Reason: "typo"},
			lambda:      &fakeLambda{payload: `{"documentId":"3","signer":"Bob","status":"DECLINED"}`},
			wantPayload: `{"documentId":"3","signer":"Bob","decision":"decline","reason":"typo"}`,
			want:        completionResult{DocumentID: "3", Signer: "Bob", Status: "DECLINED"},
		},
		{
			name: "InvalidInput", c: completion{DocumentID: "3", Signer: "Alice", Decision: "sign"},
			lambda:   fnError("InvalidInput", `invalid input: signer "Alice" is not a callback signer (callback signers: [Bob])`),
			wantCode: "InvalidInput", wantExit: exitUsage,
			wantMsg: `sign 3: the request was refused as invalid (InvalidInput: invalid input: signer "Alice" is not a callback signer (callback signers: [Bob])); check the document id, --signer`,
		},
		{
			name: "SignatureRequestNotFound", c: completion{DocumentID: "9", Decision: "sign"},
			lambda:   fnError("SignatureRequestNotFound", "no signature request for document 9 and signer Bob"),
			wantCode: "SignatureRequestNotFound", wantExit: exitNotFound,
			wantMsg: "sign 9: there is no signature request for this document and signer (SignatureRequestNotFound: no signature request for document 9 and signer Bob); " +
				"the document was never started, or its run has not reached this signer yet: check `signctl status 9`, or start it with `signctl start 9`",
		},
		{
			name: "SignatureAlreadyCompleted", c: completion{DocumentID: "3", Decision: "decline", Reason: "late"},
			lambda:   fnError("SignatureAlreadyCompleted", "signature request 3/Bob was already SIGNED at 2026-11-22T10:00:30Z"),
			wantCode: "SignatureAlreadyCompleted", wantExit: exitCompleted,
			wantMsg: "decline 3: the signature request was already completed (SignatureAlreadyCompleted: signature request 3/Bob was already SIGNED at 2026-11-22T10:00:30Z); nothing left to do: see `signctl status 3`",
		},
		{
			name: "SignatureRequestExpired", c: completion{DocumentID: "3-v2", Decision: "sign"},
			lambda:   fnError("SignatureRequestExpired", "signature request 3-v2/Bob expired"),
			wantCode: "SignatureRequestExpired", wantExit: exitExpired,
			wantMsg: "start a new signing with a new id, e.g. `signctl start 3-v3`",
		},
		{
			name: "SignatureServiceUnavailable", c: completion{DocumentID: "3", Decision: "sign"},
			lambda:   fnError("SignatureServiceUnavailable", "signature request 3/Bob is being completed by another call; retry in a few seconds"),
			wantCode: "SignatureServiceUnavailable", wantExit: exitRetry, wantMsg: "; try again in a few seconds",
		},
		{
			name: "the function timed out", c: completion{DocumentID: "3", Decision: "sign"},
			lambda:   fnError("Sandbox.Timedout", "Task timed out after 10.00 seconds"),
			wantCode: "Sandbox.Timedout", wantExit: exitError,
			wantMsg: "the complete-signature function failed (Sandbox.Timedout: Task timed out after 10.00 seconds); check its logs",
		},
		{
			name: "a token in an error message is hidden", c: completion{DocumentID: "3", Decision: "sign"},
			lambda:   fnError("SignatureServiceUnavailable", `send {"taskToken":"`+testToken+`"} failed`),
			wantCode: "SignatureServiceUnavailable", wantExit: exitRetry, wantMsg: `send {"taskToken":"<redacted>"} failed`,
		},
		{
			name: "an answer that is not a result", c: completion{DocumentID: "3", Decision: "sign"},
			lambda:   &fakeLambda{payload: `null`},
			wantCode: "BadResponse", wantExit: exitError, wantMsg: `Complete answered "null"`,
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := complete(context.Background(), tt.lambda, "Complete", tt.c)
			if p := tt.lambda.payloads; tt.wantPayload != "" && (len(p) != 1 || p[0] != tt.wantPayload) {
				t.Errorf("payloads = %q, want [%s]", p, tt.wantPayload)
			}
			if tt.wantCode == "" {
				if err != nil || got != tt.want {
					t.Errorf("complete = %+v, %v; want %+v", got, err, tt.want)
				}
				return
			}
			var ce *cliError
			if !errors.As(err, &ce) {
				t.Fatalf("err = %v, want a *cliError", err)
			}
			if ce.Code != tt.wantCode || ce.Exit != tt.wantExit || !strings.Contains(ce.Msg, tt.wantMsg) {
				t.Errorf("error = code %s exit %d %q\nwant code %s exit %d containing %q", ce.Code, ce.Exit, ce.Msg, tt.wantCode, tt.wantExit, tt.wantMsg)
			}
			if strings.Contains(ce.Msg, testToken) {
				t.Errorf("message shows the task token: %s", ce.Msg)
			}
		})
	}
}

func fnError(errorType, message string) *fakeLambda {
	return &fakeLambda{fnError: "Unhandled", payload: mustJSON(map[string]string{"errorType": errorType, "errorMessage": message})}
}

func TestCompleteInvokeError(t *testing.T) {
	l := &fakeLambda{err: &smithy.GenericAPIError{Code: "ResourceNotFoundException", Message: "Function not found: Complete"}}
	_, err := complete(context.Background(), l, "Complete", completion{DocumentID: "3", Decision: "sign"})
	ce := explain(err).(*cliError)
	if ce.Code != "ResourceNotFoundException" || ce.Exit != exitError || !strings.Contains(ce.Msg, "invoke Complete") ||
		!strings.Contains(ce.Msg, "--outputs-file") {
		t.Errorf("explained = %+v, want ResourceNotFoundException with context and advice", ce)
	}
}

func TestCompletionErrorWordsCoverTheContract(t *testing.T) {
	// DESIGN.md: the errorType values complete-signature returns.
	for _, typ := range []string{"InvalidInput", "SignatureRequestNotFound", "SignatureAlreadyCompleted",
		"SignatureRequestExpired", "SignatureServiceUnavailable"} {
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
