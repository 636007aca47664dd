package lambda

import (
	"bytes"
	"encoding/base64"
	"encoding/json"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
)

// abuseCase is one bad Invoke request and the error it must get.
type abuseCase struct {
	name   string
	method string // "" is POST
	path   string // "" is the invocations path of "sign"
	header map[string]string
	body   string
	status int
	code   string
	msg    string // the message must contain it
}

// TestInvokeBadInputMatrix sends bad Invoke requests to the REST API: each
// answers Lambda's error code and status with a message naming the problem,
// and the function never runs (no instance is started).
func TestInvokeBadInputMatrix(t *testing.T) {
	const (
		fn       = "/2015-03-31/functions/sign/invocations"
		kib      = 1024
		invalid  = "InvalidRequestContentException"
		param    = "InvalidParameterValueException"
		validate = "ValidationException"
		notFound = "ResourceNotFoundException"
		tooLarge = "RequestTooLargeException"
		unknown  = "UnknownOperationException"
	)
	path := func(name string) string { return "/2015-03-31/functions/" + name + "/invocations" }
	b64 := base64.StdEncoding.EncodeToString
	tests := []abuseCase{
		{name: "name with a space", path: path("si%20gn"), status: 400, code: validate, msg: "functionName"},
		{name: "name with a hash", path: path("si%23gn"), status: 400, code: validate, msg: "functionName"},
		{name: "name with a slash", path: path("si%2Fgn"), status: 400, code: validate, msg: "functionName"},
		{name: "name of 65 characters", path: path(strings.Repeat("s", 65)), status: 400, code: validate, msg: "functionName"},
		{name: "name of 300 KiB", path: path(strings.Repeat("s", 300*kib)), status: 400, code: validate, msg: "functionName"},
		{name: "name with a Cyrillic i", path: path("s%D1%96gn"), status: 400, code: validate, msg: "functionName"},
		{name: "name with a NUL", path: path("sign%00"), status: 400, code: validate, msg: "functionName"},
		{name: "name with invalid UTF-8", path: path("sign%FF"), status: 400, code: validate, msg: "functionName"},
		{name: "unknown function", path: path("nope"), status: 404, code: notFound, msg: "function:nope"},
		{name: "ARN in another region", path: path("arn:aws:lambda:eu-west-1:000000000000:function:sign"), status: 404, code: notFound, msg: "Function not found"},
		{name: "ARN in another account", path: path("arn:aws:lambda:us-east-1:111111111111:function:sign"), status: 404, code: notFound, msg: "Function not found"},
		{name: "ARN without an account", path: path("arn:aws:lambda:us-east-1::function:sign"), status: 400, code: validate, msg: "functionName"},
		{name: "ARN of another service", path: path("arn:aws:states:us-east-1:000000000000:function:sign"), status: 400, code: validate, msg: "functionName"},
		{name: "version qualifier", path: fn + "?Qualifier=1", status: 404, code: notFound, msg: "sign:1"},
		{name: "alias in the name", path: path("sign:prod"), status: 404, code: notFound, msg: "sign:prod"},
		{name: "qualifiers that differ", path: path("sign:$LATEST") + "?Qualifier=1", status: 400, code: param, msg: "qualifier"},
		{name: "qualifier with a space", path: fn + "?Qualifier=a%20b", status: 400, code: validate, msg: "functionName"},
		{name: "invocation type in lower case", header: map[string]string{"X-Amz-Invocation-Type": "requestresponse"}, status: 400, code: param, msg: "invocation type"},
		{name: "invocation type unknown", header: map[string]string{"X-Amz-Invocation-Type": "Async"}, status: 400, code: param, msg: "invocation type"},
		{name: "log type unknown", header: map[string]string{"X-Amz-Log-Type": "Full"}, status: 400, code: param, msg: "log type"},
		{name: "client context not Base64", header: map[string]string{"X-Amz-Client-Context": "{not base64}"}, status: 400, code: invalid, msg: "Client context"},
		{name: "client context not JSON", header: map[string]string{"X-Amz-Client-Context": b64([]byte("custom"))}, status: 400, code: invalid, msg: "Client context"},
		{name: "client context a JSON array", header: map[string]string{"X-Amz-Client-Context": b64([]byte("[]"))}, status: 400, code: invalid, msg: "Client context"},
		{name: "payload truncated", body: `{"action":`, status: 400, code: invalid, msg: "Could not parse"},
		{name: "payload with trailing data", body: `{"action":"echo"} x`, status: 400, code: invalid, msg: "Could not parse"},
		{name: "payload with a trailing brace", body: `{"action":"echo"}}`, status: 400, code: invalid, msg: "Could not parse"},
		{name: "payload with invalid UTF-8", body: "{\"action\":\"echo\xff\"}", status: 400, code: invalid, msg: "Could not parse"},
		{name: "payload with a raw control character", body: "{\"action\":\"echo\x01\"}", status: 400, code: invalid, msg: "Could not parse"},
		{name: "payload with single quotes", body: `{'action':'echo'}`, status: 400, code: invalid, msg: "Could not parse"},
		{name: "payload NaN", body: `NaN`, status: 400, code: invalid, msg: "Could not parse"},
		{name: "payload nested 10001 deep", body: strings.Repeat("[", 10001) + strings.Repeat("]", 10001), status: 400, code: invalid, msg: "Could not parse"},
		{name: "payload of 10001 open brackets", body: strings.Repeat("[", 10001), status: 400, code: invalid, msg: "Could not parse"},
		{name: "payload of 300 KiB, not JSON", body: strings.Repeat("x", 300*kib), status: 400, code: invalid, msg: "Could not parse"},
		{name: "payload over 6 MiB", body: `"` + strings.Repeat("p", MaxSyncPayload) + `"`, status: 413, code: tooLarge, msg: "too large"},
		{name: "Event payload over 1 MiB", header: map[string]string{"X-Amz-Invocation-Type": "Event"},
			body: `"` + strings.Repeat("p", MaxAsyncPayload) + `"`, status: 413, code: tooLarge, msg: "Event"},
		{name: "Event payload not JSON", header: map[string]string{"X-Amz-Invocation-Type": "Event"}, body: `{`, status: 400, code: invalid, msg: "Could not parse"},
		{name: "DryRun payload not JSON", header: map[string]string{"X-Amz-Invocation-Type": "DryRun"}, body: `{`, status: 400, code: invalid, msg: "Could not parse"},
		{name: "GET", method: http.MethodGet, status: 404, code: unknown, msg: "GET"},
		{name: "PUT", method: http.MethodPut, body: `{}`, status: 404, code: unknown, msg: "PUT"},
		{name: "extra path segment", path: fn + "/now", status: 404, code: unknown, msg: "/now"},
		{name: "other API version", path: "/2015-03-32/functions/sign/invocations", status: 404, code: unknown, msg: "2015-03-32"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			h, _ := newTestHost(t, Options{}, FunctionConfig{Name: "sign"})
			method, target := tc.method, tc.path
			if method == "" {
				method = http.MethodPost
			}
			if target == "" {
				target = fn
			}
			req := httptest.NewRequest(method, target, strings.NewReader(tc.body))
			for k, v := range tc.header {
				req.Header.Set(k, v)
			}
			rec := httptest.NewRecorder()
			h.Handler().ServeHTTP(rec, req)
			checkAbuseAnswer(t, rec, tc)
			h.mu.RLock()
			started := len(h.fns["sign"].instances())
			h.mu.RUnlock()
			if started != 0 {
				t.Errorf("the function ran (%d instances started)", started)
			}
		})
	}
}

// checkAbuseAnswer checks an error answer's status, X-Amzn-ErrorType and body.
func checkAbuseAnswer(t *testing.T, rec *httptest.ResponseRecorder, tc abuseCase) {
	t.Helper()
	code := rec.Header().Get("X-Amzn-ErrorType")
	var body map[string]string
	err := json.Unmarshal(rec.Body.Bytes(), &body)
	msg := body["message"] + body["Message"]
	switch {
	case rec.Code != tc.status || code != tc.code:
		t.Errorf("got %d %q, want %d %s; body %.200s", rec.Code, code, tc.status, tc.code, bytes.TrimSpace(rec.Body.Bytes()))
	case err != nil || body["Type"] != "User":
		t.Errorf("body %.200s (%v), want a JSON error of Type User", rec.Body.Bytes(), err)
	case !strings.Contains(msg, tc.msg):
		t.Errorf("message %.200q, want one naming %q", msg, tc.msg)
	}
}
