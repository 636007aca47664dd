package completion

import (
	"context"
	"encoding/json"
	"errors"
	"strings"
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/lambda"

	"github.com/hitl-go/docsign/internal/contract"
)

// fakeInvoker answers Invoke with out or err and keeps the payload.
type fakeInvoker struct {
	out     *lambda.InvokeOutput
	err     error
	payload []byte
}

func (f *fakeInvoker) Invoke(_ context.Context, in *lambda.InvokeInput, _ ...func(*lambda.Options)) (*lambda.InvokeOutput, error) {
	f.payload = in.Payload
	return f.out, f.err
}

func TestRemoteCompleteByLink(t *testing.T) {
	failed := func(payload string) *lambda.InvokeOutput {
		return &lambda.InvokeOutput{FunctionError: aws.String("Unhandled"), Payload: []byte(payload)}
	}
	tests := []struct {
		name    string
		f       *fakeInvoker
		want    contract.Status
		wantErr string
	}{
		{"signed", &fakeInvoker{out: &lambda.InvokeOutput{Payload: []byte(`{"documentId":"3","signer":"Bob","status":"SIGNED"}`)}},
			contract.StatusSigned, ""},
		{"link invalid", &fakeInvoker{out: failed(`{"errorType":"SignatureLinkInvalid","errorMessage":"not valid"}`)},
			"", contract.ErrorSignatureLinkInvalid},
		{"expired", &fakeInvoker{out: failed(`{"errorType":"SignatureRequestExpired","errorMessage":"expired"}`)},
			"", contract.ErrorSignatureRequestExpired},
		{"document changed", &fakeInvoker{out: failed(`{"errorType":"DocumentChanged","errorMessage":"changed"}`)},
			"", contract.ErrorDocumentChanged},
		{"the function crashed", &fakeInvoker{out: failed(`{"errorType":"Runtime.ExitError","errorMessage":"exit status 2"}`)},
			"", contract.ErrorSignatureServiceUnavailable},
		{"the function timed out", &fakeInvoker{out: failed(`{"errorMessage":"Task timed out after 10.00 seconds"}`)},
			"", contract.ErrorSignatureServiceUnavailable},
		{"the invocation failed", &fakeInvoker{err: errors.New("TooManyRequestsException")},
			"", contract.ErrorSignatureServiceUnavailable},
		{"not a result", &fakeInvoker{out: &lambda.InvokeOutput{Payload: []byte(`null`)}},
			"", contract.ErrorSignatureServiceUnavailable},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			r := &Remote{Lambda: tt.f, Function: "complete-signature"}
			got, err := r.CompleteByLink(t.Context(), Input{DocumentID: "3", Signer: "Bob", Decision: contract.DecisionSign}, code)
			if errorType(err) != tt.wantErr || got.Status != tt.want {
				t.Fatalf("CompleteByLink = %+v, %v (%s); want %q, %q", got, err, errorType(err), tt.want, tt.wantErr)
			}
			if err != nil && strings.Contains(err.Error(), code) {
				t.Errorf("the error quotes the code: %v", err)
			}
			var sent Input
			if json.Unmarshal(tt.f.payload, &sent) != nil || sent.Code != code || sent.DocumentID != "3" || sent.Signer != "Bob" {
				t.Errorf("sent %s, want the answer with the code", tt.f.payload)
			}
		})
	}
}

// TestHandleWithCode: complete-signature's event carries the page's code on;
// it completes by link, and a wrong one is refused like the page's.
func TestHandleWithCode(t *testing.T) {
	for _, tt := range []struct {
		code, wantErr string
		wantSends     int
	}{
		{code, "", 1},
		{otherCode, contract.ErrorSignatureLinkInvalid, 0},
	} {
		req := pendingRequest()
		req.CodeHash = contract.HashCode(code)
		sfn := &fakeSFN{token: token}
		h := newTestHandler(&fakeStore{req: req}, sfn, newClock(t0))
		_, err := h.Handle(t.Context(), []byte(`{"documentId":"3","code":"`+tt.code+`"}`))
		if errorType(err) != tt.wantErr {
			t.Errorf("Handle with code = %v, want %q", err, tt.wantErr)
		}
		if sends, _ := sfn.counts(); sends != tt.wantSends {
			t.Errorf("sends = %d, want %d", sends, tt.wantSends)
		} else if sends == 1 && !strings.Contains(sfn.lastOutput(), `"authenticatedBy":"link"`) {
			t.Errorf("the signature does not say it came by link: %s", sfn.lastOutput())
		}
	}
}
