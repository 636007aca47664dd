package docsapi_test

import (
	"context"
	"encoding/json"
	"strings"
	"testing"

	"github.com/aws/aws-lambda-go/events"
	"github.com/aws/aws-sdk-go-v2/service/sfn"
	sfntypes "github.com/aws/aws-sdk-go-v2/service/sfn/types"
	"github.com/aws/smithy-go"

	"github.com/hitl-go/docsign/internal/contract"
	"github.com/hitl-go/docsign/internal/docsapi"
	"github.com/hitl-go/docsign/internal/tokenstore"
)

var throttled = &smithy.GenericAPIError{Code: "ThrottlingException", Message: "Rate exceeded"}

// TestRefusals: every bad request is answered with its status and errorType
// and changes nothing; those refused on their face reach no AWS API at all.
func TestRefusals(t *testing.T) {
	const doc = "%PDF-1.7 contract"
	withoutIAM := func(req *events.APIGatewayV2HTTPRequest) { req.RequestContext.Authorizer.IAM = nil }
	jwtOnly := func(req *events.APIGatewayV2HTTPRequest) {
		req.RequestContext.Authorizer = &events.APIGatewayV2HTTPRequestContextAuthorizerDescription{
			JWT: &events.APIGatewayV2HTTPRequestContextAuthorizerJWTDescription{Claims: map[string]string{"sub": "alice"}}}
	}
	noAuthorizer := func(req *events.APIGatewayV2HTTPRequest) { req.RequestContext.Authorizer = nil }
	run := func(status sfntypes.ExecutionStatus) func(*fake) { return func(f *fake) { f.setRun("3", status) } }
	describeFails := func(err error) func(*fake) {
		return func(f *fake) {
			f.describeExecution = func(string) (*sfn.DescribeExecutionOutput, error) { return nil, err }
		}
	}
	const (
		invalid     = contract.ErrorInvalidInput
		tooLarge    = contract.ErrorDocumentTooLarge
		started     = contract.ErrorDocumentAlreadyStarted
		notStarted  = contract.ErrorDocumentNotStarted
		unavailable = contract.ErrorSignatureServiceUnavailable
	)
	tests := []struct {
		name      string
		req       events.APIGatewayV2HTTPRequest
		setup     func(*fake)
		status    int
		errorType string // "" for API Gateway's own {"message"} refusals
		message   string // part of the message
		noCalls   bool   // refused before any AWS call
	}{
		// POST: the document id.
		{name: "post: empty id", req: post("", doc), status: 400, errorType: invalid, message: "documentId is required", noCalls: true},
		{name: "post: no path parameters", req: post("3", doc, noPathParameters), status: 400, errorType: invalid, noCalls: true},
		{name: "post: id of 81 characters", req: post(strings.Repeat("a", 81), doc), status: 400, errorType: invalid, message: "got 81 characters", noCalls: true},
		{name: "post: space", req: post("a b", doc), status: 400, errorType: invalid, message: "' '", noCalls: true},
		{name: "post: slash", req: post("a/b", doc), status: 400, errorType: invalid, noCalls: true},
		{name: "post: dot", req: post("a.b", doc), status: 400, errorType: invalid, noCalls: true},
		{name: "post: colon (ARN separator)", req: post("3:1", doc), status: 400, errorType: invalid, noCalls: true},
		{name: "post: non-ASCII", req: post("dé", doc), status: 400, errorType: invalid, noCalls: true},
		{name: "post: newline", req: post("3\n", doc), status: 400, errorType: invalid, noCalls: true},
		{name: "post: NUL", req: post("3\x00", doc), status: 400, errorType: invalid, noCalls: true},
		{name: "post: still percent-encoded", req: post("a%2Fb", doc), status: 400, errorType: invalid, noCalls: true},
		{name: "post: dot-dot", req: post("..", doc), status: 400, errorType: invalid, noCalls: true},
		{name: "post: a bad id is named before a bad body", req: post("a b", ""), status: 400, errorType: invalid, message: "documentId", noCalls: true},
		// POST: the body.
		{name: "post: empty body", req: post("3", ""), status: 400, errorType: invalid, message: "the body is empty", noCalls: true},
		{name: "post: empty base64 body", req: post("3", "", base64Body), status: 400, errorType: invalid, message: "the body is empty", noCalls: true},
		{name: "post: base64 of nothing but padding", req: post("3", "", rawBody("====", true)), status: 400, errorType: invalid, noCalls: true},
		{name: "post: not base64", req: post("3", "", rawBody("%PDF-1.7 not encoded", true)), status: 400, errorType: invalid, message: "not valid base64", noCalls: true},
		{name: "post: base64 missing its padding", req: post("3", "", rawBody("aGVsbG8", true)), status: 400, errorType: invalid, noCalls: true},
		{name: "post: base64url, not base64", req: post("3", "", rawBody("_-_-", true)), status: 400, errorType: invalid, noCalls: true},
		{name: "post: one byte over the limit", req: post("3", bytesOf(docsapi.MaxDocumentSize+1)), status: 413, errorType: tooLarge, message: "4 MiB", noCalls: true},
		{name: "post: one byte over the limit, base64", req: post("3", bytesOf(docsapi.MaxDocumentSize+1), base64Body), status: 413, errorType: tooLarge, noCalls: true},
		{name: "post: far over the limit, base64 not even decoded", req: post("3", "", rawBody(strings.Repeat("A", 12<<20), true)), status: 413, errorType: tooLarge, noCalls: true},
		// POST: a run of the id exists (asked before anything is stored).
		{name: "post: run RUNNING", req: post("3", doc), setup: run(sfntypes.ExecutionStatusRunning), status: 409, errorType: started, message: "RUNNING"},
		{name: "post: run SUCCEEDED", req: post("3", doc), setup: run(sfntypes.ExecutionStatusSucceeded), status: 409, errorType: started, message: "signed once"},
		{name: "post: run FAILED", req: post("3", doc), setup: run(sfntypes.ExecutionStatusFailed), status: 409, errorType: started},
		{name: "post: run TIMED_OUT", req: post("3", doc), setup: run(sfntypes.ExecutionStatusTimedOut), status: 409, errorType: started},
		{name: "post: run ABORTED", req: post("3", doc), setup: run(sfntypes.ExecutionStatusAborted), status: 409, errorType: started},
		// POST: the run cannot be looked up just now.
		{name: "post: DescribeExecution throttled", req: post("3", doc), setup: describeFails(throttled), status: 503, errorType: unavailable, message: "retry"},
		{name: "post: DescribeExecution past the deadline", req: post("3", doc), setup: describeFails(context.DeadlineExceeded), status: 503, errorType: unavailable},
		{name: "post: DescribeExecution 500", req: post("3", doc), setup: describeFails(&smithy.GenericAPIError{Code: "InternalError", Fault: smithy.FaultServer}), status: 503, errorType: unavailable},
		// Not IAM-authorised: refused before anything else.
		{name: "post: no authorizer", req: post("3", doc, noAuthorizer), status: 403, noCalls: true},
		{name: "post: a JWT authorizer, not IAM", req: post("3", doc, jwtOnly), status: 403, noCalls: true},
		{name: "post: authorizer without iam", req: post("3", doc, withoutIAM), status: 403, noCalls: true},
		{name: "post: iam without userArn", req: post("3", doc, userARN("")), status: 403, noCalls: true},
		{name: "post: userArn not an ARN", req: post("3", doc, userARN("alice")), status: 403, noCalls: true},
		{name: "post: userArn with a newline", req: post("3", doc, userARN(caller+"\nx-amz-meta-forged: 1")), status: 403, noCalls: true},
		{name: "post: userArn with non-ASCII", req: post("3", doc, userARN(caller+"é")), status: 403, noCalls: true},
		{name: "post: userArn too long for S3 metadata", req: post("3", doc, userARN("arn:"+strings.Repeat("a", 2048))), status: 403, noCalls: true},
		{name: "post: bad id, no IAM: forbidden first", req: post("a b", doc, noAuthorizer), status: 403, noCalls: true},
		// Other routes.
		{name: "PUT", req: post("3", doc, routeKey("PUT "+contract.DocumentsRoute, "PUT")), status: 404, noCalls: true},
		{name: "DELETE", req: get("3", routeKey("DELETE "+contract.DocumentsRoute, "DELETE")), status: 404, noCalls: true},
		{name: "ANY route", req: post("3", doc, routeKey("ANY "+contract.DocumentsRoute, "")), status: 404, noCalls: true},
		{name: "$default route", req: post("3", doc, routeKey("$default", "")), status: 404, noCalls: true},
		{name: "another path", req: post("3", doc, routeKey("POST /documents/{documentId}/sign", "")), status: 404, noCalls: true},
		{name: "route key and method disagree", req: post("3", doc, routeKey(contract.RouteKeyPostDocument, "GET")), status: 404, noCalls: true},
		{name: "lower-case route key", req: post("3", doc, routeKey("post "+contract.DocumentsRoute, "post")), status: 404, noCalls: true},
		{name: "no route at all", req: events.APIGatewayV2HTTPRequest{}, status: 403, noCalls: true},
		// GET.
		{name: "get: empty id", req: get(""), status: 400, errorType: invalid, noCalls: true},
		{name: "get: id of 81 characters", req: get(strings.Repeat("b", 81)), status: 400, errorType: invalid, noCalls: true},
		{name: "get: slash", req: get("a/b"), status: 400, errorType: invalid, noCalls: true},
		{name: "get: no path parameters", req: get("3", noPathParameters), status: 400, errorType: invalid, noCalls: true},
		{name: "get: no run", req: get("3"), status: 404, errorType: notStarted, message: "has no run"},
		{name: "get: no authorizer", req: get("3", noAuthorizer), status: 403, noCalls: true},
		{name: "get: DescribeExecution throttled", req: get("3"), setup: describeFails(throttled), status: 503, errorType: unavailable},
		{name: "get: the table throttled", req: get("3"), status: 503, errorType: unavailable, setup: func(f *fake) {
			f.setRun("3", sfntypes.ExecutionStatusRunning)
			f.list = func(string) ([]tokenstore.Request, error) {
				return nil, &smithy.GenericAPIError{Code: "ProvisionedThroughputExceededException"}
			}
		}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			f := newFake(tt.setup)
			h, _ := newHandler(t, f)
			res, err := h.Handle(t.Context(), tt.req)
			if err != nil {
				t.Fatalf("Handle = %v, want a response", err)
			}
			if res.StatusCode != tt.status {
				t.Errorf("status %d, want %d (body %s)", res.StatusCode, tt.status, res.Body)
			}
			checkRefusal(t, res, tt.errorType, tt.message)
			if w := f.writes(); len(w) != 0 {
				t.Errorf("wrote %v, want nothing changed", w)
			}
			if tt.noCalls && len(f.calls) != 0 {
				t.Errorf("called %v, want no AWS call", f.calls)
			}
			if got := res.Headers["Retry-After"]; (got != "") != (tt.status == 503) {
				t.Errorf("Retry-After %q with status %d; want one exactly on 503", got, tt.status)
			}
		})
	}
}

// checkRefusal checks a refusal's JSON body: {"errorType","message"}, or
// API Gateway's own {"message":"Forbidden"|"Not Found"} when errorType is "".
func checkRefusal(t *testing.T, res events.APIGatewayV2HTTPResponse, errorType, message string) {
	t.Helper()
	if ct := res.Headers["Content-Type"]; ct != "application/json" {
		t.Errorf("Content-Type %q, want application/json", ct)
	}
	var body map[string]string
	if err := json.Unmarshal([]byte(res.Body), &body); err != nil {
		t.Fatalf("body %q is not a JSON object of strings: %v", res.Body, err)
	}
	if errorType == "" {
		want := map[int]string{403: "Forbidden", 404: "Not Found"}[res.StatusCode]
		if len(body) != 1 || body["message"] != want {
			t.Errorf("body %s, want {\"message\":%q}", res.Body, want)
		}
		return
	}
	if len(body) != 2 || body["errorType"] != errorType || body["message"] == "" || !strings.Contains(body["message"], message) {
		t.Errorf("body %s, want errorType %s and a message containing %q", res.Body, errorType, message)
	}
}

// TestRefusalsNeverEchoTheBody: a message names the problem, never the
// document's bytes.
func TestRefusalsNeverEchoTheBody(t *testing.T) {
	const secret = "CONFIDENTIAL-CONTRACT-TEXT"
	for _, req := range []events.APIGatewayV2HTTPRequest{
		post("a b", secret), post("3", secret, rawBody(secret+"!", true)), post("3", bytesOf(docsapi.MaxDocumentSize)+secret),
	} {
		h, logs := newHandler(t, newFake())
		res, _ := h.Handle(t.Context(), req)
		if strings.Contains(res.Body, secret) || strings.Contains(logs.String(), secret) {
			t.Errorf("status %d: the body's text is in the answer %q or the log %q", res.StatusCode, res.Body, logs.String())
		}
	}
}
