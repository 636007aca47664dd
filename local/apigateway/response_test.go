package apigateway

import (
	"context"
	"errors"
	"net/http"
	"slices"
	"testing"
	"time"
)

func TestResponseMapping(t *testing.T) {
	tests := []struct {
		name       string
		result     string
		fnErr      string
		err        error
		wantStatus int
		wantBody   string
		wantHeader map[string][]string
	}{
		{name: "structured", result: `{"statusCode":201,"headers":{"content-type":"application/json","x-a":"1"},"body":"{\"ok\":true}"}`,
			wantStatus: 201, wantBody: `{"ok":true}`, wantHeader: map[string][]string{"Content-Type": {"application/json"}, "X-A": {"1"}}},
		{name: "base64 body", result: `{"statusCode":200,"body":"AAEC/w==","isBase64Encoded":true,"headers":{"content-type":"application/octet-stream"}}`,
			wantStatus: 200, wantBody: "\x00\x01\x02\xff"},
		{name: "cookies", result: `{"statusCode":200,"cookies":["a=1; Path=/","b=2"],"body":""}`,
			wantStatus: 200, wantHeader: map[string][]string{"Set-Cookie": {"a=1; Path=/", "b=2"}}},
		{name: "multi-value headers", result: `{"statusCode":200,"multiValueHeaders":{"x-m":["1","2"]},"headers":{"x-s":"s"}}`,
			wantStatus: 200, wantHeader: map[string][]string{"X-M": {"1", "2"}, "X-S": {"s"}}},
		{name: "headers win over multi-value", result: `{"statusCode":200,"multiValueHeaders":{"x-m":["1","2"]},"headers":{"x-m":"3"}}`,
			wantStatus: 200, wantHeader: map[string][]string{"X-M": {"3"}}},
		{name: "no content type is sent as none", result: `{"statusCode":404,"body":"<p>gone</p>"}`,
			wantStatus: 404, wantBody: "<p>gone</p>", wantHeader: map[string][]string{"Content-Type": nil}},
		{name: "object without statusCode", result: `{"documentId":"d","status":"SIGNED"}`,
			wantStatus: 200, wantBody: `{"documentId":"d","status":"SIGNED"}`, wantHeader: map[string][]string{"Content-Type": {"application/json"}}},
		{name: "plain string", result: `"hello"`, wantStatus: 200, wantBody: `"hello"`,
			wantHeader: map[string][]string{"Content-Type": {"application/json"}}},
		{name: "number", result: `42`, wantStatus: 200, wantBody: `42`},
		{name: "null", result: `null`, wantStatus: 200, wantBody: `null`},
		{name: "array", result: ` [1,2] `, wantStatus: 200, wantBody: `[1,2]`},
		{name: "not JSON", result: `hello`, wantStatus: 500, wantBody: `{"message":"Internal Server Error"}`},
		{name: "empty", result: ``, wantStatus: 500, wantBody: `{"message":"Internal Server Error"}`},
		{name: "statusCode as string", result: `{"statusCode":"200"}`, wantStatus: 500, wantBody: `{"message":"Internal Server Error"}`},
		{name: "statusCode out of range", result: `{"statusCode":99}`, wantStatus: 500, wantBody: `{"message":"Internal Server Error"}`},
		{name: "bad base64", result: `{"statusCode":200,"body":"!!","isBase64Encoded":true}`, wantStatus: 500, wantBody: `{"message":"Internal Server Error"}`},
		{name: "header injection", result: `{"statusCode":200,"headers":{"x-a":"1\r\nx-b: 2"}}`, wantStatus: 500, wantBody: `{"message":"Internal Server Error"}`},
		{name: "bad header name", result: `{"statusCode":200,"headers":{"x a":"1"}}`, wantStatus: 500, wantBody: `{"message":"Internal Server Error"}`},
		{name: "function error", result: `{"errorType":"InvalidInput","errorMessage":"bad"}`, fnErr: "Unhandled",
			wantStatus: 500, wantBody: `{"message":"Internal Server Error"}`},
		{name: "invoke failure", err: errors.New("ResourceNotFoundException"), wantStatus: 500, wantBody: `{"message":"Internal Server Error"}`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			fn := &fakeInvoker{answer: func(context.Context, string, []byte) ([]byte, string, error) {
				return []byte(tt.result), tt.fnErr, tt.err
			}}
			s := newTestService(t, fn, nil)
			status, body, h := do(s, newRequest("GET", "/sign/d/alice", ""))
			if status != tt.wantStatus || (tt.wantBody != "" || status != 200) && body != tt.wantBody {
				t.Errorf("got %d %q, want %d %q", status, body, tt.wantStatus, tt.wantBody)
			}
			for k, want := range tt.wantHeader {
				if got := h[k]; !slices.Equal(got, want) {
					t.Errorf("header %s: got %q, want %q", k, got, want)
				}
			}
			if len(h.Get("Apigw-Requestid")) != 16 {
				t.Errorf("got Apigw-Requestid %q", h.Get("Apigw-Requestid"))
			}
		})
	}
}

func TestIntegrationTimeout(t *testing.T) {
	release := make(chan struct{})
	defer close(release)
	fn := &fakeInvoker{answer: func(context.Context, string, []byte) ([]byte, string, error) {
		<-release // ignores its context: the gateway must not wait for it
		return []byte(`{}`), "", nil
	}}
	a := signingAPI()
	a.Integrations[0].Timeout = 50 * time.Millisecond
	s := newTestService(t, fn, nil, a)
	status, body, _ := do(s, newRequest("GET", "/sign/d/alice", ""))
	if status != http.StatusServiceUnavailable || body != `{"message":"Service Unavailable"}` {
		t.Errorf("got %d %s, want 503 Service Unavailable", status, body)
	}
}

func TestThrottling(t *testing.T) {
	fn := &fakeInvoker{}
	a := signingAPI()
	a.Stage = Stage{Name: "$default", BurstLimit: 2, RateLimit: 1}
	s := newTestService(t, fn, nil, a)
	var got []int
	for range 3 {
		status, _, _ := do(s, newRequest("GET", "/sign/d/alice", ""))
		got = append(got, status)
	}
	status, body, _ := do(s, newRequest("GET", "/sign/d/alice", ""))
	if got[0] != 200 || got[1] != 200 || got[2] != 429 || status != 429 || body != `{"message":"Too Many Requests"}` {
		t.Errorf("got %v then %d %s, want 200 200 429 429 Too Many Requests", got, status, body)
	}
	if fn.count() != 2 {
		t.Errorf("got %d invocations, want 2", fn.count())
	}
}
