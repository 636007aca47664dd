package apigateway

import (
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
)

// FuzzParseSigV4 feeds arbitrary Authorization headers to the parser: it
// must never panic, and what it accepts must have every part in shape.
func FuzzParseSigV4(f *testing.F) {
	f.Add(validAuth)
	f.Add("AWS4-HMAC-SHA256 Credential=a/20260101/r/s/aws4_request,SignedHeaders=host,Signature=" + sig64)
	f.Add("AWS4-HMAC-SHA256 Credential==,,SignedHeaders=;;,Signature=")
	f.Add("AWS4-HMAC-SHA256 ")
	f.Fuzz(func(t *testing.T, header string) {
		sig, err := parseSigV4(header)
		if err != nil {
			return
		}
		if !isAccessKey(sig.accessKey) || !isDate(sig.date) || len(sig.signature) != 64 ||
			!validSignedHeaders(sig.signedHeaders) || sig.region == "" || sig.service == "" {
			t.Fatalf("accepted %q as %+v", header, sig)
		}
	})
}

// FuzzRouting sends arbitrary paths through the whole service: no panic,
// only API Gateway's answers, and a function reached only through a route
// whose parameters hold no traversal.
func FuzzRouting(f *testing.F) {
	for _, p := range []string{"sign/d/a", "files/a/b", "sign/%2e%2e/a", "documents/x", "a//b", "files/%2F", "sign/d%20x/a"} {
		f.Add("GET", p)
	}
	f.Fuzz(func(t *testing.T, method, path string) {
		fn := &fakeInvoker{}
		s := newTestService(t, fn, nil)
		r, err := http.NewRequest(method, "http://127.0.0.1:4566"+DefaultPrefix+testAPI+"/"+path, nil)
		if err != nil {
			t.Skip()
		}
		rec := httptest.NewRecorder()
		s.ServeHTTP(rec, r)
		switch rec.Code {
		case 200, 400, 403, 404:
		default:
			t.Fatalf("%s %q: got %d", method, path, rec.Code)
		}
		if fn.count() == 0 {
			return
		}
		for k, v := range fn.last(t).event["pathParameters"].(map[string]any) {
			v := v.(string)
			if k != "proxy" && strings.Contains(v, "/") || v == ".." || strings.Contains(v, "../") || strings.Contains(v, "\x00") {
				t.Fatalf("%s %q: parameter %s=%q", method, path, k, v)
			}
		}
	})
}
