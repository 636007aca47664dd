package signpage

import (
	"context"
	"encoding/json"
	"errors"
	"reflect"
	"strings"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/lambda"
	"github.com/aws/aws-sdk-go-v2/service/s3"

	"github.com/hitl-go/docsign/internal/contract"
	"github.com/hitl-go/docsign/internal/signature"
	"github.com/hitl-go/docsign/internal/tokenstore"
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

func errorTypeOf(err error) string {
	if err == nil {
		return ""
	}
	return reflect.TypeOf(err).Elem().Name()
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
			got, err := r.CompleteByLink(t.Context(), contract.CompleteInput{DocumentID: "3", Signer: "Bob", Decision: contract.DecisionSign}, testCode)
			if errorTypeOf(err) != tt.wantErr || got.Status != tt.want {
				t.Fatalf("CompleteByLink = %+v, %v (%s); want %q, %q", got, err, errorTypeOf(err), tt.want, tt.wantErr)
			}
			if err != nil && strings.Contains(err.Error(), testCode) {
				t.Errorf("the error quotes the code: %v", err)
			}
			var sent contract.CompleteInput
			if json.Unmarshal(tt.f.payload, &sent) != nil || sent.Code != testCode || sent.DocumentID != "3" || sent.Signer != "Bob" {
				t.Errorf("sent %s, want the answer with the code", tt.f.payload)
			}
		})
	}
}

// fakeTable holds one request.
type fakeTable struct {
	req   tokenstore.Request
	err   error
	reads int
}

func (f *fakeTable) Get(_ context.Context, k tokenstore.Key) (tokenstore.Request, error) {
	f.reads++
	if f.err != nil {
		return tokenstore.Request{}, f.err
	}
	if k != f.req.Key {
		return tokenstore.Request{}, tokenstore.ErrNotFound
	}
	return f.req, nil
}

// fakeHeads answers HeadObject with metadata, or err.
type fakeHeads struct {
	metadata map[string]string
	err      error
}

func (f fakeHeads) HeadObject(context.Context, *s3.HeadObjectInput, ...func(*s3.Options)) (*s3.HeadObjectOutput, error) {
	return &s3.HeadObjectOutput{Metadata: f.metadata}, f.err
}

func TestRemoteDescribe(t *testing.T) {
	doc := signature.Document{Bucket: "docs", Key: "documents/3", VersionID: "v1", SHA256: strings.Repeat("a", 64)}
	stored := tokenstore.Request{Key: tokenstore.Key{DocumentID: "3", Signer: "Bob"}, TaskToken: "secret-token",
		CodeHash: contract.HashCode(testCode), Status: contract.StatusPending, Document: doc,
		ExecutionARN: "arn:aws:states:us-east-1:000000000000:execution:M:3", ExpiresAt: time.Unix(1_800_000_000, 0)}
	const uploader = "arn:aws:iam::000000000000:user/alice"
	tests := []struct {
		name, doc, signer string
		heads             fakeHeads
		tableErr          error
		wantErr, wantBy   string
	}{
		{name: "pending", doc: "3", signer: "Bob", heads: fakeHeads{metadata: map[string]string{contract.MetadataUploadedBy: uploader}}, wantBy: uploader},
		{name: "no uploader recorded", doc: "3", signer: "Bob", wantBy: "the document-signing workflow, run 3"},
		{name: "metadata unreadable", doc: "3", signer: "Bob", heads: fakeHeads{err: errors.New("AccessDenied")}, wantBy: "the document-signing workflow, run 3"},
		{name: "another document", doc: "4", signer: "Bob", wantErr: contract.ErrorSignatureRequestNotFound},
		{name: "no request of this signer", doc: "3", signer: "Carol", wantErr: contract.ErrorSignatureRequestNotFound},
		{name: "no request of this document", doc: "5", signer: "Bob", wantErr: contract.ErrorSignatureRequestNotFound},
		{name: "table failing", doc: "3", signer: "Bob", tableErr: errors.New("throttled"), wantErr: contract.ErrorSignatureServiceUnavailable},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			table := &fakeTable{req: stored, err: tt.tableErr}
			r := &Remote{Table: table, Documents: tt.heads}
			got, err := r.Describe(t.Context(), tt.doc, tt.signer)
			if errorTypeOf(err) != tt.wantErr {
				t.Fatalf("Describe = %v, want %q", err, tt.wantErr)
			}
			if err != nil {
				return
			}
			want := Request{DocumentID: "3", Signer: "Bob", Document: doc, ExecutionARN: stored.ExecutionARN, RequestedBy: tt.wantBy,
				Status: contract.StatusPending, ExpiresAt: stored.ExpiresAt}
			if got != want {
				t.Errorf("Describe = %+v, want %+v", got, want)
			}
		})
	}
}
