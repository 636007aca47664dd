package lambda

import (
	"bytes"
	"encoding/json"
	"fmt"
	"maps"
	"net/http"
	"net/http/httptest"
	"slices"
	"strings"
	"testing"

	"github.com/hitl-go/docsign/internal/logtest"
)

// The bad-input matrix: for each REST operation, requests an SDK would
// never send go through the Handler; each answers Lambda's error code and
// status, in X-Amzn-ErrorType and the body, with a message naming the
// problem, and changes nothing: no function runs, none is changed.

const (
	kib      = 1024
	invalid  = "InvalidRequestContentException"
	param    = "InvalidParameterValueException"
	validate = "ValidationException"
	notFound = "ResourceNotFoundException"
	tooLarge = "RequestTooLargeException"
	unknown  = "UnknownOperationException"
)

// restOp is one REST operation under test.
type restOp struct {
	name   string
	method string
	path   func(function string) string // its path for a function name, escaped
	cases  []abuseCase                  // its own cases, beside the route cases
}

// abuseCase is one bad request and the error it must get.
type abuseCase struct {
	name   string
	method string // "" is the operation's
	path   string // "" is the operation's path for "sign"
	header map[string]string
	body   string
	status int
	code   string
	msg    string // the message must contain it
}

// TestAPIBadInputMatrix runs each operation's cases against one host with
// the functions sign and audit, checking after every case that nothing
// changed.
func TestAPIBadInputMatrix(t *testing.T) {
	h, logs := newTestHost(t, Options{}, FunctionConfig{Name: "sign"}, FunctionConfig{Name: "audit"})
	e := &abuseEnv{host: h, handler: h.Handler(), logs: logs}
	e.seen = e.snapshot(t)
	for _, o := range abuseOps() {
		t.Run(o.name, func(t *testing.T) {
			cases := append(routeCases(o), o.cases...)
			if len(cases) < 30 {
				t.Errorf("%s has %d cases, want at least 30", o.name, len(cases))
			}
			for _, tc := range cases {
				t.Run(tc.name, func(t *testing.T) { e.run(t, o, tc) })
			}
		})
	}
}

// abuseOps lists the operations under test, with their own cases.
func abuseOps() []restOp {
	named := func(name, method string, path func(string) string, own []abuseCase) restOp {
		return restOp{name: name, method: method, path: path, cases: append(functionNameCases(path), own...)}
	}
	return []restOp{
		named("Invoke", http.MethodPost, func(fn string) string { return apiPrefix + "/" + fn + "/invocations" }, invokeCases()),
		named("GetFunction", http.MethodGet, func(fn string) string { return apiPrefix + "/" + fn }, nil),
		named("GetFunctionConfiguration", http.MethodGet, func(fn string) string { return apiPrefix + "/" + fn + "/configuration" }, nil),
		{name: "ListFunctions", method: http.MethodGet, path: func(string) string { return apiPrefix + "/" }, cases: listFunctionsCases()},
	}
}

// routeCases are the requests to a path or with a method the operation
// does not serve (some are other Lambda operations, not served here).
func routeCases(o restOp) []abuseCase {
	var cases []abuseCase
	for _, m := range []string{http.MethodGet, http.MethodPost, http.MethodPut, http.MethodDelete, http.MethodPatch} {
		if m != o.method {
			cases = append(cases, abuseCase{name: m, method: m, body: `{}`, status: 404, code: unknown, msg: m})
		}
	}
	path := o.path("sign")
	return append(cases,
		abuseCase{name: "extra path segments", path: strings.TrimSuffix(path, "/") + "/now/later", status: 404, code: unknown, msg: "/now/later"},
		abuseCase{name: "other API version", path: strings.Replace(path, "2015-03-31", "2015-03-32", 1), status: 404, code: unknown, msg: "2015-03-32"},
		abuseCase{name: "path in upper case", path: strings.ToUpper(path), status: 404, code: unknown, msg: "FUNCTIONS"},
	)
}

// functionNameCases vary the function named in the path (and Qualifier).
func functionNameCases(at func(fn string) string) []abuseCase {
	bad := func(name, path string) abuseCase {
		return abuseCase{name: name, path: path, status: 400, code: validate, msg: "functionName"}
	}
	missing := func(name, path, msg string) abuseCase {
		return abuseCase{name: name, path: path, status: 404, code: notFound, msg: msg}
	}
	return []abuseCase{
		bad("name with a space", at("si%20gn")),
		bad("name with a trailing space", at("sign%20")),
		bad("name with a hash", at("si%23gn")),
		bad("name with a slash", at("si%2Fgn")),
		bad("name with a tab", at("si%09gn")),
		bad("name with a newline", at("sign%0A")),
		bad("name with a NUL", at("sign%00")),
		bad("name with invalid UTF-8", at("sign%FF")),
		bad("name with a Cyrillic i", at("s%D1%96gn")),
		bad("name in full-width letters", at("%EF%BD%93%EF%BD%89%EF%BD%87%EF%BD%8E")),
		bad("name with a zero-width space", at("si%E2%80%8Bgn")),
		bad("name of 65 characters", at(strings.Repeat("s", 65))),
		bad("name of 141 characters", at(strings.Repeat("s", 141))),
		bad("name of 300 KiB", at(strings.Repeat("s", 300*kib))),
		bad("ARN without an account", at("arn:aws:lambda:us-east-1::function:sign")),
		bad("ARN with an 11-digit account", at("arn:aws:lambda:us-east-1:00000000000:function:sign")),
		bad("ARN with a bad region", at("arn:aws:lambda:us-east-1x:000000000000:function:sign")),
		bad("ARN of another service", at("arn:aws:states:us-east-1:000000000000:function:sign")),
		bad("ARN of a layer", at("arn:aws:lambda:us-east-1:000000000000:layer:sign")),
		bad("empty qualifier in the name", at("sign:")),
		bad("Qualifier with a space", at("sign")+"?Qualifier=a%20b"),
		bad("Qualifier with invalid UTF-8", at("sign")+"?Qualifier=%FF"),
		bad("Qualifier of 129 characters", at("sign")+"?Qualifier="+strings.Repeat("q", 129)),
		missing("unknown function", at("nope"), "function:nope"),
		missing("name in upper case", at("SIGN"), "function:SIGN"),
		missing("ARN in another region", at("arn:aws:lambda:eu-west-1:000000000000:function:sign"), "Function not found"),
		missing("ARN in another account", at("arn:aws:lambda:us-east-1:111111111111:function:sign"), "Function not found"),
		missing("ARN in another partition", at("arn:aws-cn:lambda:cn-north-1:000000000000:function:sign"), "Function not found"),
		missing("partial ARN in another account", at("111111111111:function:sign"), "Function not found"),
		missing("version qualifier", at("sign")+"?Qualifier=1", "sign:1"),
		missing("alias in the name", at("sign:prod"), "sign:prod"),
	}
}

// abuseEnv is the host under test and what it looked like last.
type abuseEnv struct {
	host    *Host
	handler http.Handler
	logs    *logtest.Buffer
	seen    string
}

func (e *abuseEnv) run(t *testing.T, o restOp, tc abuseCase) {
	method, path := tc.method, tc.path
	if method == "" {
		method = o.method
	}
	if path == "" {
		path = o.path("sign")
	}
	req := httptest.NewRequest(method, path, strings.NewReader(tc.body))
	for k, v := range tc.header {
		req.Header.Set(k, v)
	}
	rec := httptest.NewRecorder()
	e.handler.ServeHTTP(rec, req)
	checkAbuseAnswer(t, rec, tc)
	if now := e.snapshot(t); now != e.seen {
		t.Errorf("the host changed:\nbefore %.600s\nafter  %.600s", e.seen, now)
		e.seen = now
	}
}

// snapshot lists the functions' instances and invocations in flight,
// what they logged, and their configurations.
func (e *abuseEnv) snapshot(t *testing.T) string {
	t.Helper()
	var b strings.Builder
	e.host.mu.RLock()
	for _, name := range slices.Sorted(maps.Keys(e.host.fns)) {
		f := e.host.fns[name]
		f.mu.Lock()
		fmt.Fprintf(&b, "%s: %d instances, %d invocations in flight\n", name, len(f.live), f.inflight)
		f.mu.Unlock()
	}
	e.host.mu.RUnlock()
	b.WriteString("logs: " + e.logs.String() + "\n")
	rec := httptest.NewRecorder()
	e.handler.ServeHTTP(rec, httptest.NewRequest(http.MethodGet, apiPrefix+"/", nil))
	if rec.Code != http.StatusOK {
		t.Fatalf("ListFunctions: %d %s", rec.Code, rec.Body)
	}
	b.WriteString(rec.Body.String())
	return b.String()
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
