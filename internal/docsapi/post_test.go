package docsapi_test

import (
	"encoding/json"
	"errors"
	"slices"
	"testing"

	"github.com/aws/aws-lambda-go/events"
	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/s3"
	"github.com/aws/aws-sdk-go-v2/service/sfn"
	sfntypes "github.com/aws/aws-sdk-go-v2/service/sfn/types"
	"github.com/aws/smithy-go"

	"github.com/hitl-go/docsign/internal/contract"
	"github.com/hitl-go/docsign/internal/docsapi"
)

// TestPostStartsTheRun: the document is stored with its uploader, then the
// run starts, named after it; the answer names the run.
func TestPostStartsTheRun(t *testing.T) {
	binary := "%PDF-1.7\x00\xff\xfe binary"
	tests := []struct {
		name string
		req  events.APIGatewayV2HTTPRequest
		want string // the bytes stored
	}{
		{"text body", post("3", "hello"), "hello"},
		{"binary body, base64", post("invoice_2026-11", binary, base64Body), binary},
		{"exactly the limit", post("big", bytesOf(docsapi.MaxDocumentSize), base64Body), bytesOf(docsapi.MaxDocumentSize)},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			f := newFake()
			h, _ := newHandler(t, f)
			id := tt.req.PathParameters[contract.DocumentIDPathParameter]
			res, err := h.Handle(t.Context(), tt.req)
			if err != nil || res.StatusCode != 202 {
				t.Fatalf("Handle = %d %s, %v; want 202", res.StatusCode, res.Body, err)
			}
			var got docsapi.Started
			if err := json.Unmarshal([]byte(res.Body), &got); err != nil || got != (docsapi.Started{DocumentID: id, ExecutionARN: runARN(id)}) {
				t.Errorf("body %s, want documentId %s and executionArn %s", res.Body, id, runARN(id))
			}
			want := []string{"DescribeExecution " + runARN(id), "PutObject documents/" + id, "StartExecution " + id}
			if !slices.Equal(f.calls, want) {
				t.Errorf("calls %v, want %v (asked, stored, then started)", f.calls, want)
			}
			put := f.puts[0]
			if string(put.body) != tt.want || put.metadata[contract.MetadataUploadedBy] != caller {
				t.Errorf("stored %d bytes with metadata %v; want the document's %d bytes, uploaded-by %s", len(put.body), put.metadata, len(tt.want), caller)
			}
			start := f.starts[0]
			if aws.ToString(start.StateMachineArn) != sm || aws.ToString(start.Input) != `{"documentId":"`+id+`"}` {
				t.Errorf("started %s with input %s, want %s with {\"documentId\":%q}", aws.ToString(start.StateMachineArn), aws.ToString(start.Input), sm, id)
			}
		})
	}
}

// TestRepostOfAStartedDocumentChangesNothing: once an id has a run, posting
// it again — other bytes, another caller — stores nothing and starts nothing.
func TestRepostOfAStartedDocumentChangesNothing(t *testing.T) {
	f := newFake()
	h, _ := newHandler(t, f)
	if res, _ := h.Handle(t.Context(), post("3", "the contract")); res.StatusCode != 202 {
		t.Fatalf("first post: %d %s", res.StatusCode, res.Body)
	}
	before := slices.Clone(f.writes())
	res, err := h.Handle(t.Context(), post("3", "a forged contract", userARN("arn:aws:iam::000000000000:user/mallory")))
	if err != nil || res.StatusCode != 409 {
		t.Fatalf("re-post = %d %s, %v; want 409", res.StatusCode, res.Body, err)
	}
	checkRefusal(t, res, contract.ErrorDocumentAlreadyStarted, "RUNNING")
	if after := f.writes(); !slices.Equal(after, before) || len(f.puts) != 1 || string(f.puts[0].body) != "the contract" {
		t.Errorf("writes %v after the re-post (was %v), %d uploads; want only the first", after, before, len(f.puts))
	}
}

// TestPostRetryAfterTheStartFailed: stored, then the start failed for a
// moment: 503, and the retry stores again and starts.
func TestPostRetryAfterTheStartFailed(t *testing.T) {
	f := newFake()
	f.startExecution = func(*sfn.StartExecutionInput) (*sfn.StartExecutionOutput, error) { return nil, throttled }
	h, _ := newHandler(t, f)
	res, err := h.Handle(t.Context(), post("3", "the contract"))
	if err != nil || res.StatusCode != 503 || res.Headers["Retry-After"] == "" {
		t.Fatalf("post with the start throttled = %d %v %s, %v; want 503 with Retry-After", res.StatusCode, res.Headers, res.Body, err)
	}
	checkRefusal(t, res, contract.ErrorSignatureServiceUnavailable, "retry")
	f.startExecution = nil
	if res, err := h.Handle(t.Context(), post("3", "the contract")); err != nil || res.StatusCode != 202 {
		t.Fatalf("retry = %d %s, %v; want 202", res.StatusCode, res.Body, err)
	}
	if len(f.puts) != 1 || len(f.starts) != 2 {
		t.Errorf("%d uploads stored and %d starts, want 1 and 2 (the retry finds its bytes stored, and starts)", len(f.puts), len(f.starts))
	}
}

// TestPostSecondUploadOfAnID: of two posts of one id before its run starts,
// only the first document is stored; the second is refused unless it is the
// same bytes (a retry).
func TestPostSecondUploadOfAnID(t *testing.T) {
	for _, tt := range []struct {
		body       string
		wantStatus int
	}{
		{"the contract", 202},
		{"another contract", 409},
	} {
		f := newFake()
		f.startExecution = func(*sfn.StartExecutionInput) (*sfn.StartExecutionOutput, error) { return nil, throttled }
		h, _ := newHandler(t, f)
		h.Handle(t.Context(), post("3", "the contract")) // stored, not started
		f.startExecution = nil
		res, err := h.Handle(t.Context(), post("3", tt.body))
		if err != nil || res.StatusCode != tt.wantStatus {
			t.Errorf("second post of %q = %d %s, %v; want %d", tt.body, res.StatusCode, res.Body, err, tt.wantStatus)
		}
		if len(f.puts) != 1 || string(f.stored["documents/3"]) != "the contract" {
			t.Errorf("stored %d uploads, documents/3 = %q; want the first one alone", len(f.puts), f.stored["documents/3"])
		}
		if tt.wantStatus == 409 {
			checkRefusal(t, res, contract.ErrorDocumentAlreadyStarted, "other bytes")
		}
	}
}

// TestPostUploadFails: nothing starts without the document.
func TestPostUploadFails(t *testing.T) {
	f := newFake()
	f.putObject = func(*s3.PutObjectInput) (*s3.PutObjectOutput, error) {
		return nil, &smithy.GenericAPIError{Code: "SlowDown", Message: "Please reduce your request rate."}
	}
	h, _ := newHandler(t, f)
	res, err := h.Handle(t.Context(), post("3", "the contract"))
	if err != nil || res.StatusCode != 503 || len(f.starts) != 0 {
		t.Errorf("post with S3 slowing down = %d %s, %v, %d starts; want 503 and no start", res.StatusCode, res.Body, err, len(f.starts))
	}
}

// TestPostLosesARace: another post of the id started its run between our
// look-up and our start.
func TestPostLosesARace(t *testing.T) {
	f := newFake()
	f.startExecution = func(*sfn.StartExecutionInput) (*sfn.StartExecutionOutput, error) {
		return nil, &sfntypes.ExecutionAlreadyExists{Message: aws.String("Execution Already Exists")}
	}
	h, _ := newHandler(t, f)
	res, err := h.Handle(t.Context(), post("3", "the contract"))
	if err != nil || res.StatusCode != 409 {
		t.Fatalf("post = %d %s, %v; want 409", res.StatusCode, res.Body, err)
	}
	checkRefusal(t, res, contract.ErrorDocumentAlreadyStarted, "started by another request meanwhile")
}

// TestBugsAreErrors: a failure no retry mends (a missing permission, a
// missing state machine, an unversioned bucket) is returned as the Go error
// API Gateway answers 500, not dressed up as a client's problem.
func TestBugsAreErrors(t *testing.T) {
	denied := &smithy.GenericAPIError{Code: "AccessDenied", Message: "Access Denied", Fault: smithy.FaultClient}
	tests := []struct {
		name  string
		setup func(*fake)
		req   events.APIGatewayV2HTTPRequest
	}{
		{"PutObject denied", func(f *fake) {
			f.putObject = func(*s3.PutObjectInput) (*s3.PutObjectOutput, error) { return nil, denied }
		}, post("3", "x")},
		{"unversioned bucket", func(f *fake) {
			f.putObject = func(*s3.PutObjectInput) (*s3.PutObjectOutput, error) { return &s3.PutObjectOutput{}, nil }
		}, post("3", "x")},
		{"no state machine", func(f *fake) {
			f.startExecution = func(*sfn.StartExecutionInput) (*sfn.StartExecutionOutput, error) {
				return nil, &sfntypes.StateMachineDoesNotExist{Message: aws.String("State Machine Does Not Exist")}
			}
		}, post("3", "x")},
		{"DescribeExecution denied", func(f *fake) {
			f.describeExecution = func(string) (*sfn.DescribeExecutionOutput, error) { return nil, denied }
		}, get("3")},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			f := newFake()
			tt.setup(f)
			h, logs := newHandler(t, f)
			if _, err := h.Handle(t.Context(), tt.req); err == nil {
				t.Error("Handle = nil error, want the failure returned")
			}
			if line := logLine(t, logs); line["status"] != float64(500) || line["level"] != "ERROR" || line["error"] == nil {
				t.Errorf("log line %v, want status 500 at ERROR with the error", line)
			}
		})
	}
	var denial *smithy.GenericAPIError
	f := newFake()
	f.describeExecution = func(string) (*sfn.DescribeExecutionOutput, error) { return nil, denied }
	h, _ := newHandler(t, f)
	if _, err := h.Handle(t.Context(), post("3", "x")); !errors.As(err, &denial) {
		t.Errorf("error %v, want the AWS error wrapped", err)
	}
}
