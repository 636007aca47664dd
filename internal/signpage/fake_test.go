package signpage

import (
	"context"
	"crypto/sha256"
	"encoding/base64"
	"encoding/json"
	"log/slog"
	"regexp"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/aws/aws-lambda-go/events"

	"github.com/hitl-go/docsign/internal/contract"
	"github.com/hitl-go/docsign/internal/logtest"
	"github.com/hitl-go/docsign/internal/signature"
)

// testCode is a well-formed one-time code; no answer or log line may show it.
var testCode = func() string {
	sum := sha256.Sum256([]byte("signpage test code"))
	return base64.RawURLEncoding.EncodeToString(sum[:])
}()

var (
	t0       = time.Date(2026, 3, 14, 9, 26, 53, 0, time.UTC)
	deadline = t0.Add(7 * 24 * time.Hour)
	pinned   = signature.Document{Bucket: "docs-bucket", Key: "documents/doc-1", VersionID: "3HL4kqtJlcpXroDTDmJ.rmSpXd3dIbrHY",
		SHA256: "9f86d081884c7d659a2feaa0c55ad015a3bf4f1b2b0b822cd15d6c15b0f00a08"}
)

// pending is the request the fake describes unless a test says otherwise.
func pending(documentID, signer string) Request {
	return Request{DocumentID: documentID, Signer: signer, Document: pinned,
		ExecutionARN: "arn:aws:states:us-east-1:123456789012:execution:Signing:" + documentID,
		RequestedBy:  "Alice Example <alice@example.com>", Status: contract.StatusPending, ExpiresAt: deadline}
}

type completeCall struct {
	In   contract.CompleteInput
	Code string
}

// fakeCompleter answers with its function fields and records every call.
type fakeCompleter struct {
	describe func(documentID, signer string) (Request, error)
	complete func(in contract.CompleteInput, code string) (contract.CompleteResult, error)

	mu        sync.Mutex
	describes [][2]string
	completes []completeCall
}

func (f *fakeCompleter) Describe(_ context.Context, documentID, signer string) (Request, error) {
	f.mu.Lock()
	f.describes = append(f.describes, [2]string{documentID, signer})
	f.mu.Unlock()
	if f.describe != nil {
		return f.describe(documentID, signer)
	}
	return pending(documentID, signer), nil
}

func (f *fakeCompleter) CompleteByLink(_ context.Context, in contract.CompleteInput, code string) (contract.CompleteResult, error) {
	f.mu.Lock()
	f.completes = append(f.completes, completeCall{in, code})
	f.mu.Unlock()
	if f.complete != nil {
		return f.complete(in, code)
	}
	status := contract.StatusSigned
	if in.Decision == contract.DecisionDecline {
		status = contract.StatusDeclined
	}
	return contract.CompleteResult{DocumentID: in.DocumentID, Signer: in.Signer, Status: status}, nil
}

func (f *fakeCompleter) calls() (describes, completes int) {
	f.mu.Lock()
	defer f.mu.Unlock()
	return len(f.describes), len(f.completes)
}

// harness is a Handler for callback signers Bob and Carol over a fake, its
// log captured, its clock at t0.
type harness struct {
	h    *Handler
	fake *fakeCompleter
	log  *logtest.Buffer
	n    int // requests handled
}

func newHarness(t *testing.T) *harness {
	t.Helper()
	x := &harness{fake: &fakeCompleter{}, log: &logtest.Buffer{}}
	h, err := New(x.fake, []string{"Bob", "Carol"}, slog.New(slog.NewJSONHandler(x.log, nil)))
	if err != nil {
		t.Fatal(err)
	}
	h.now = func() time.Time { return t0 }
	x.h = h
	return x
}

// do handles req, failing the test on a Go error or a missing security header.
func (x *harness) do(t *testing.T, req events.APIGatewayV2HTTPRequest) events.APIGatewayV2HTTPResponse {
	t.Helper()
	resp, err := x.h.Handle(context.Background(), req)
	if err != nil {
		t.Fatalf("Handle(%s) returned a Go error: %v", req.RouteKey, err)
	}
	x.n++
	checkSecurityHeaders(t, resp)
	return resp
}

var securityHeaders = map[string]string{
	"Content-Security-Policy": "default-src 'none'; script-src 'self'; style-src 'self'; connect-src 'self'; img-src 'self'; base-uri 'none'; form-action 'none'; frame-ancestors 'none'",
	"Referrer-Policy":         "no-referrer",
	"Cache-Control":           "no-store",
	"X-Content-Type-Options":  "nosniff",
	"X-Frame-Options":         "DENY",
}

func checkSecurityHeaders(t *testing.T, resp events.APIGatewayV2HTTPResponse) {
	t.Helper()
	for k, want := range securityHeaders {
		if got := resp.Headers[k]; got != want {
			t.Errorf("status %d: header %s = %q, want %q", resp.StatusCode, k, got, want)
		}
	}
	if resp.Headers["Content-Type"] == "" {
		t.Errorf("status %d: no Content-Type", resp.StatusCode)
	}
	if got, want := resp.Headers["Retry-After"] != "", resp.StatusCode == 503; got != want {
		t.Errorf("status %d: Retry-After %q", resp.StatusCode, resp.Headers["Retry-After"])
	}
}

var errorTypeAttr = regexp.MustCompile(`data-error-type="([^"]*)"`)

// errorType is a JSON answer's errorType, or an HTML page's data-error-type.
func errorType(t *testing.T, resp events.APIGatewayV2HTTPResponse) string {
	t.Helper()
	if strings.HasPrefix(resp.Headers["Content-Type"], "text/html") {
		m := errorTypeAttr.FindStringSubmatch(resp.Body)
		if m == nil {
			t.Fatalf("HTML page without data-error-type:\n%s", resp.Body)
		}
		return m[1]
	}
	if resp.StatusCode == 200 {
		return ""
	}
	var e struct{ ErrorType, Message string }
	if err := json.Unmarshal([]byte(resp.Body), &e); err != nil || e.ErrorType == "" || e.Message == "" {
		t.Fatalf("error answer %q is not {errorType, message}: %v", resp.Body, err)
	}
	return e.ErrorType
}

func pageRequest(documentID, signer string) events.APIGatewayV2HTTPRequest {
	return events.APIGatewayV2HTTPRequest{Version: "2.0", RouteKey: contract.RouteKeyGetSignPage, RawPath: "/" + contract.SignPath(documentID, signer),
		PathParameters: map[string]string{contract.DocumentIDPathParameter: documentID, contract.SignerPathParameter: signer},
		Headers:        map[string]string{"accept": "text/html"}}
}

func postRequest(documentID, signer, body string) events.APIGatewayV2HTTPRequest {
	req := pageRequest(documentID, signer)
	req.RouteKey = contract.RouteKeyPostSign
	req.Headers = map[string]string{"content-type": "application/json"}
	req.Body = body
	return req
}

func assetRequest(file string) events.APIGatewayV2HTTPRequest {
	return events.APIGatewayV2HTTPRequest{Version: "2.0", RouteKey: contract.RouteKeyGetAsset, RawPath: "/assets/" + file,
		PathParameters: map[string]string{contract.FilePathParameter: file}}
}

// withPath sets a request's path parameters.
func withPath(documentID, signer string) func(*events.APIGatewayV2HTTPRequest) {
	return func(r *events.APIGatewayV2HTTPRequest) {
		r.PathParameters = map[string]string{contract.DocumentIDPathParameter: documentID, contract.SignerPathParameter: signer}
	}
}

// answerJSON is a POST body; reason is left out when nil.
func answerJSON(code, decision string, reason *string) string {
	m := map[string]string{"code": code, "decision": decision}
	if reason != nil {
		m["reason"] = *reason
	}
	b, _ := json.Marshal(m)
	return string(b)
}

func ptr(s string) *string { return &s }
