package apigateway

import (
	"context"
	"encoding/json"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"testing"
	"time"
)

const (
	testRegion  = "us-east-1"
	testAccount = "000000000000"
	testAPI     = "abc123"
)

// testNow is the fixed clock of test services.
var testNow = time.Date(2026, 12, 5, 10, 30, 0, 123e6, time.UTC)

// fakeInvoker records invocations and answers with its reply function
// (by default an echo of the event as a 200 JSON response).
type fakeInvoker struct {
	mu     sync.Mutex
	calls  []invokeCall
	answer func(ctx context.Context, function string, payload []byte) ([]byte, string, error)
}

type invokeCall struct {
	function string
	event    map[string]any
}

func (f *fakeInvoker) Invoke(ctx context.Context, function string, payload []byte) ([]byte, string, error) {
	var ev map[string]any
	if err := json.Unmarshal(payload, &ev); err != nil {
		panic("event is not JSON: " + err.Error())
	}
	f.mu.Lock()
	f.calls = append(f.calls, invokeCall{function, ev})
	answer := f.answer
	f.mu.Unlock()
	if answer != nil {
		return answer(ctx, function, payload)
	}
	return []byte(`{"statusCode":200,"headers":{"content-type":"text/plain"},"body":"ok"}`), "", nil
}

func (f *fakeInvoker) count() int {
	f.mu.Lock()
	defer f.mu.Unlock()
	return len(f.calls)
}

func (f *fakeInvoker) last(t *testing.T) invokeCall {
	t.Helper()
	f.mu.Lock()
	defer f.mu.Unlock()
	if len(f.calls) == 0 {
		t.Fatal("the function was not invoked")
	}
	return f.calls[len(f.calls)-1]
}

// signingAPI is the API of the signing workflow's HTTP API.
func signingAPI() API {
	return API{
		ID: testAPI,
		Routes: []Route{
			{Key: "GET /sign/{documentId}/{signer}", Target: "integrations/page"},
			{Key: "POST /sign/{documentId}/{signer}", AuthorizationType: AuthNone, Target: "integrations/sign"},
			{Key: "POST /documents/{documentId}", AuthorizationType: AuthAWSIAM, Target: "integrations/docs"},
			{Key: "GET /documents/{documentId}", AuthorizationType: AuthAWSIAM, Target: "integrations/docs"},
			{Key: "ANY /files/{proxy+}", Target: "integrations/page"},
		},
		Integrations: []Integration{
			{ID: "page", Type: "AWS_PROXY", PayloadFormatVersion: "2.0",
				URI: "arn:aws:lambda:us-east-1:000000000000:function:page"},
			{ID: "sign", Type: "AWS_PROXY", PayloadFormatVersion: "2.0",
				URI: "arn:aws:apigateway:us-east-1:lambda:path/2015-03-31/functions/arn:aws:lambda:us-east-1:000000000000:function:sign/invocations"},
			{ID: "docs", Type: "AWS_PROXY", PayloadFormatVersion: "2.0", URI: "docs"},
		},
	}
}

func newTestService(t testing.TB, fn *fakeInvoker, keys map[string]string, apis ...API) *Service {
	t.Helper()
	if len(apis) == 0 {
		apis = []API{signingAPI()}
	}
	s, err := New(Options{APIs: apis, Invoker: fn, Region: testRegion, AccountID: testAccount,
		Keys: keys, Now: func() time.Time { return testNow }})
	if err != nil {
		t.Fatal(err)
	}
	return s
}

// do serves one request and returns its status and body.
func do(s *Service, r *http.Request) (int, string, http.Header) {
	rec := httptest.NewRecorder()
	s.ServeHTTP(rec, r)
	b, _ := io.ReadAll(rec.Body)
	return rec.Code, string(b), rec.Header()
}

func newRequest(method, path, body string) *http.Request {
	r := httptest.NewRequest(method, "http://127.0.0.1:4566"+DefaultPrefix+testAPI+path, strings.NewReader(body))
	r.RemoteAddr = "192.0.2.10:53211"
	return r
}

func newTextLogger(w io.Writer) *slog.Logger { return slog.New(slog.NewTextHandler(w, nil)) }
