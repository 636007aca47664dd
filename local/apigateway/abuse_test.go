package apigateway

import (
	"bytes"
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
)

const (
	notFound   = `{"message":"Not Found"}`
	badRequest = `{"message":"Bad Request"}`
	tooLarge   = `{"message":"Request Entity Too Large"}`
	validAuth  = "AWS4-HMAC-SHA256 Credential=AKIDLOCAL/20261205/us-east-1/execute-api/aws4_request, " +
		"SignedHeaders=host;x-amz-date, Signature=" + sig64
	sig64   = "0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef"
	amzDate = "20261205T103000Z"
)

// TestBadInput sends requests API Gateway refuses (or takes) and checks
// the answer and whether the function ran.
func TestBadInput(t *testing.T) {
	auth := func(a string) map[string]string { return map[string]string{"Authorization": a, "X-Amz-Date": amzDate} }
	tests := []struct {
		name    string
		method  string
		target  string // after the API's base URL, or absolute when it starts with "/"
		header  map[string]string
		body    string
		keys    map[string]string
		want    int
		wantMsg string
		invoked bool
	}{
		// Routes and paths.
		{name: "unknown api", method: "GET", target: "/_api/nope/sign/d/a", want: 404, wantMsg: notFound},
		{name: "outside the prefix", method: "GET", target: "/sign/d/a", want: 404, wantMsg: notFound},
		{name: "api root without slash", method: "GET", target: "/_api/" + testAPI, want: 404, wantMsg: notFound},
		{name: "no route", method: "GET", target: "nothing", want: 404, wantMsg: notFound},
		{name: "wrong method", method: "DELETE", target: "sign/d/a", want: 404, wantMsg: notFound},
		{name: "unknown method", method: "BREW", target: "sign/d/a", want: 404, wantMsg: notFound},
		{name: "trailing slash", method: "GET", target: "sign/d/a/", want: 404, wantMsg: notFound},
		{name: "missing segment", method: "GET", target: "sign/d", want: 404, wantMsg: notFound},
		{name: "empty segment", method: "GET", target: "sign//a", want: 404, wantMsg: notFound},
		{name: "case differs", method: "GET", target: "SIGN/d/a", want: 404, wantMsg: notFound},
		{name: "dot dot", method: "GET", target: "sign/../documents/a", want: 400, wantMsg: badRequest},
		{name: "dot", method: "GET", target: "sign/./d/a", want: 400, wantMsg: badRequest},
		{name: "encoded dot dot", method: "GET", target: "sign/%2e%2E/a", want: 400, wantMsg: badRequest},
		{name: "half-encoded dot dot", method: "GET", target: "sign/.%2e/a", want: 400, wantMsg: badRequest},
		{name: "encoded slash", method: "GET", target: "sign/d%2Fx/a", want: 400, wantMsg: badRequest},
		{name: "encoded backslash", method: "GET", target: "sign/d%5c..%5cx/a", want: 400, wantMsg: badRequest},
		{name: "encoded NUL", method: "GET", target: "sign/d%00/a", want: 400, wantMsg: badRequest},
		{name: "greedy with dot dot", method: "GET", target: "files/a/../../documents/x", want: 400, wantMsg: badRequest},
		{name: "encoded percent is a parameter", method: "GET", target: "sign/d%25/a", want: 200, invoked: true},
		{name: "greedy needs a segment", method: "GET", target: "files/", want: 404, wantMsg: notFound},
		{name: "encoded space is a parameter", method: "GET", target: "sign/d%20x/a", want: 200, invoked: true},
		{name: "greedy takes the rest", method: "PATCH", target: "files/a/b/c.txt", want: 200, invoked: true},
		{name: "query with junk", method: "GET", target: "sign/d/a?%zz&x=%", want: 200, invoked: true},
		// Bodies.
		{name: "body at the limit", method: "POST", target: "sign/d/a", body: strings.Repeat("a", MaxBodySize), want: 200, invoked: true},
		{name: "body over the limit", method: "POST", target: "sign/d/a", body: strings.Repeat("a", MaxBodySize+1), want: 413, wantMsg: tooLarge},
		{name: "oversize signed body", method: "POST", target: "documents/d", header: auth(validAuth),
			body: strings.Repeat("a", MaxBodySize+1), want: 413, wantMsg: tooLarge},
		// SigV4.
		{name: "no authorization", method: "POST", target: "documents/d", header: map[string]string{"X-Amz-Date": amzDate}, want: 403, wantMsg: forbidden},
		{name: "no date", method: "POST", target: "documents/d", header: map[string]string{"Authorization": validAuth}, want: 403, wantMsg: forbidden},
		{name: "well-formed", method: "POST", target: "documents/d", header: auth(validAuth), want: 200, invoked: true},
		{name: "well-formed but keys checked", method: "POST", target: "documents/d", header: auth(validAuth),
			keys: map[string]string{"AKIDLOCAL": "secret"}, want: 403, wantMsg: forbidden},
		{name: "bearer token", method: "GET", target: "documents/d", header: auth("Bearer abc"), want: 403, wantMsg: forbidden},
		{name: "sigv4a", method: "GET", target: "documents/d", header: auth(strings.Replace(validAuth, "AWS4-HMAC-SHA256", "AWS4-ECDSA-P256-SHA256", 1)), want: 403, wantMsg: forbidden},
		{name: "lower-case algorithm", method: "GET", target: "documents/d", header: auth(strings.Replace(validAuth, "AWS4-HMAC-SHA256", "aws4-hmac-sha256", 1)), want: 403, wantMsg: forbidden},
		{name: "other service", method: "GET", target: "documents/d", header: auth(strings.Replace(validAuth, "execute-api", "s3", 1)), want: 403, wantMsg: forbidden},
		{name: "other region", method: "GET", target: "documents/d", header: auth(strings.Replace(validAuth, "us-east-1", "eu-west-1", 1)), want: 403, wantMsg: forbidden},
		{name: "date mismatch", method: "GET", target: "documents/d", header: auth(strings.Replace(validAuth, "20261205", "20261204", 1)), want: 403, wantMsg: forbidden},
		{name: "bad terminator", method: "GET", target: "documents/d", header: auth(strings.Replace(validAuth, "aws4_request", "aws4_req", 1)), want: 403, wantMsg: forbidden},
		{name: "short signature", method: "GET", target: "documents/d", header: auth(strings.TrimSuffix(validAuth, "ef")), want: 403, wantMsg: forbidden},
		{name: "upper-case signature", method: "GET", target: "documents/d", header: auth(strings.Replace(validAuth, "abcdef", "ABCDEF", 1)), want: 403, wantMsg: forbidden},
		{name: "host not signed", method: "GET", target: "documents/d", header: auth(strings.Replace(validAuth, "host;x-amz-date", "x-amz-date", 1)), want: 403, wantMsg: forbidden},
		{name: "date not signed", method: "GET", target: "documents/d", header: auth(strings.Replace(validAuth, "host;x-amz-date", "host", 1)), want: 403, wantMsg: forbidden},
		{name: "signed headers unsorted", method: "GET", target: "documents/d", header: auth(strings.Replace(validAuth, "host;x-amz-date", "x-amz-date;host", 1)), want: 403, wantMsg: forbidden},
		{name: "signed header absent", method: "GET", target: "documents/d", header: auth(strings.Replace(validAuth, "host;x-amz-date", "host;x-amz-date;x-extra", 1)), want: 403, wantMsg: forbidden},
		{name: "duplicate field", method: "GET", target: "documents/d", header: auth(validAuth + ", Signature=" + sig64), want: 403, wantMsg: forbidden},
		{name: "missing field", method: "GET", target: "documents/d", header: auth(strings.Split(validAuth, ", Signature")[0]), want: 403, wantMsg: forbidden},
		{name: "empty access key", method: "GET", target: "documents/d", header: auth(strings.Replace(validAuth, "AKIDLOCAL", "", 1)), want: 403, wantMsg: forbidden},
		{name: "access key with slash", method: "GET", target: "documents/d", header: auth(strings.Replace(validAuth, "AKIDLOCAL", "AKID/../x", 1)), want: 403, wantMsg: forbidden},
		{name: "bad x-amz-date", method: "GET", target: "documents/d", header: map[string]string{"Authorization": validAuth, "X-Amz-Date": "2026-12-05T10:30:00Z"}, want: 403, wantMsg: forbidden},
		{name: "invalid calendar date", method: "GET", target: "documents/d",
			header: map[string]string{"Authorization": strings.Replace(validAuth, "20261205", "20261341", 1), "X-Amz-Date": "20261341T103000Z"}, want: 403, wantMsg: forbidden},
		{name: "public route ignores bad auth", method: "POST", target: "sign/d/a", header: auth("garbage"), want: 200, invoked: true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			fn := &fakeInvoker{}
			s := newTestService(t, fn, tt.keys)
			target := tt.target
			if !strings.HasPrefix(target, "/") {
				target = DefaultPrefix + testAPI + "/" + target
			}
			r := httptest.NewRequest(tt.method, "http://127.0.0.1:4566"+target, strings.NewReader(tt.body))
			for k, v := range tt.header {
				r.Header.Set(k, v)
			}
			status, body, _ := do(s, r)
			if status != tt.want || (tt.wantMsg != "" && body != tt.wantMsg) {
				t.Errorf("got %d %.80s, want %d %s", status, body, tt.want, tt.wantMsg)
			}
			if (fn.count() > 0) != tt.invoked {
				t.Errorf("invoked %d times, want invoked=%v", fn.count(), tt.invoked)
			}
		})
	}
}

// TestBadInputRepeatedHeaders covers what a header map cannot say.
func TestBadInputRepeatedHeaders(t *testing.T) {
	for _, h := range []string{"Authorization", "X-Amz-Date"} {
		fn := &fakeInvoker{}
		s := newTestService(t, fn, nil)
		r := newRequest("GET", "/documents/d", "")
		r.Header.Set("Authorization", validAuth)
		r.Header.Set("X-Amz-Date", amzDate)
		r.Header.Add(h, r.Header.Get(h))
		if status, body, _ := do(s, r); status != 403 || body != forbidden || fn.count() != 0 {
			t.Errorf("two %s headers: got %d %s, %d invocations", h, status, body, fn.count())
		}
	}
}

// TestBadInputSignedBodyChanged keeps the signed length but not the bytes.
func TestBadInputSignedBodyChanged(t *testing.T) {
	fn := &fakeInvoker{}
	s := newTestService(t, fn, map[string]string{"AKIDLOCAL": "secret"})
	r := newRequest("POST", "/documents/d", "original")
	signRequest(t, r, "original", "AKIDLOCAL", "secret", testNow)
	r.Body = io.NopCloser(bytes.NewReader([]byte("tampered")))
	if status, body, _ := do(s, r); status != 403 || body != forbidden || fn.count() != 0 {
		t.Errorf("got %d %s, %d invocations; want 403 and none", status, body, fn.count())
	}
}

// TestNoSecretsLogged checks that the log line carries no header or body.
func TestNoSecretsLogged(t *testing.T) {
	var buf bytes.Buffer
	fn := &fakeInvoker{}
	s := newTestService(t, fn, nil)
	s.log = newTextLogger(&buf)
	for _, target := range []string{"/documents/d", "/sign/d/a"} {
		r := newRequest("POST", target+"?code=QUERYSECRET", "BODYSECRET")
		r.Header.Set("Authorization", validAuth)
		r.Header.Set("X-Amz-Date", amzDate)
		do(s, r)
	}
	if out := buf.String(); strings.Contains(out, sig64) || strings.Contains(out, "SECRET") || !strings.Contains(out, "routeKey") {
		t.Errorf("log: %s", out)
	}
}

var _ http.Handler = (*Service)(nil)
