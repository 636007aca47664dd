package main

import (
	"context"
	"encoding/json"
	"io"
	"reflect"
	"strings"
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/s3"
	s3types "github.com/aws/aws-sdk-go-v2/service/s3/types"
	"github.com/aws/smithy-go"

	"github.com/hitl-go/docsign/internal/contract"
	"github.com/hitl-go/docsign/internal/signature"
)

// fakeS3 answers GetObject for the keys it holds (current version "v7").
type fakeS3 struct {
	objects map[string]string
	err     error
	calls   int
}

func (f *fakeS3) GetObject(_ context.Context, in *s3.GetObjectInput, _ ...func(*s3.Options)) (*s3.GetObjectOutput, error) {
	f.calls++
	if f.err != nil {
		return nil, f.err
	}
	body, ok := f.objects[aws.ToString(in.Key)]
	if !ok {
		return nil, &s3types.NoSuchKey{Message: aws.String("The specified key does not exist.")}
	}
	return &s3.GetObjectOutput{Body: io.NopCloser(strings.NewReader(body)), VersionId: aws.String("v7")}, nil
}

func TestHandle(t *testing.T) {
	s3c := &fakeS3{objects: map[string]string{"documents/3": "hello"}}
	got, err := NewHandler(s3c, "docs").Handle(t.Context(), json.RawMessage(`{"documentId":"3","executionName":"3"}`))
	want := Output{DocumentID: "3", Document: signature.Document{Bucket: "docs", Key: "documents/3", VersionID: "v7",
		SHA256: "2cf24dba5fb0a30e26e83b2ac5b9e29e1b161e5c1fa7425e73043362938b9824"}}
	if err != nil || got != want {
		t.Fatalf("Handle = %+v, %v; want %+v", got, err, want)
	}
	b, _ := json.Marshal(got)
	if string(b) != `{"documentId":"3","document":{"bucket":"docs","key":"documents/3","versionId":"v7","sha256":"`+want.Document.SHA256+`"}}` {
		t.Errorf("output JSON = %s", b)
	}
}

func TestHandleFailures(t *testing.T) {
	slow := &smithy.GenericAPIError{Code: "SlowDown", Message: "Please reduce your request rate."}
	tests := []struct {
		name, payload string
		s3            *fakeS3
		wantType      string
		wantMsg       string
		wantCalls     int
	}{
		{"no such document", `{"documentId":"4","executionName":"4"}`, &fakeS3{}, contract.ErrorDocumentNotFound, "upload it to s3://docs/documents/4", 1},
		{"S3 slowing down", `{"documentId":"3","executionName":"3"}`, &fakeS3{err: slow}, contract.ErrorSignatureServiceUnavailable, "SlowDown", 1},
		{"bad id", `{"documentId":"../3","executionName":"../3"}`, &fakeS3{}, contract.ErrorInvalidInput, "documentId must be", 0},
		// A run is named after its document: another name would let one
		// document be signed by several runs.
		{"run named after another document", `{"documentId":"3","executionName":"4"}`, &fakeS3{}, contract.ErrorInvalidInput, `the run is named "4" but signs documentId "3"`, 0},
		{"run name missing", `{"documentId":"3"}`, &fakeS3{}, contract.ErrorInvalidInput, `the run is named ""`, 0},
		{"unknown field", `{"documentId":"3","bucket":"other"}`, &fakeS3{}, contract.ErrorInvalidInput, `unknown field "bucket"`, 0},
		{"key in other case", `{"DocumentId":"3"}`, &fakeS3{}, contract.ErrorInvalidInput, `unknown field "DocumentId"`, 0},
		{"not an object", `"3"`, &fakeS3{}, contract.ErrorInvalidInput, "cannot unmarshal", 0},
	}
	for _, tt := range tests {
		got, err := NewHandler(tt.s3, "docs").Handle(t.Context(), json.RawMessage(tt.payload))
		if err == nil || reflect.TypeOf(err).Elem().Name() != tt.wantType || !strings.Contains(err.Error(), tt.wantMsg) || got != (Output{}) {
			t.Errorf("%s: Handle = %+v, %v; want errorType %s naming %q", tt.name, got, err, tt.wantType, tt.wantMsg)
		}
		if tt.s3.calls != tt.wantCalls {
			t.Errorf("%s: %d S3 calls, want %d", tt.name, tt.s3.calls, tt.wantCalls)
		}
	}
}
