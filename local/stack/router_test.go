package stack

import (
	"cmp"
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
)

func TestRouter(t *testing.T) {
	named := func(name string) http.Handler {
		return http.HandlerFunc(func(w http.ResponseWriter, _ *http.Request) { io.WriteString(w, name) })
	}
	rt := &router{stepFunctions: named("stepfunctions"), dynamoDB: named("dynamodb"),
		lambda: named("lambda"), console: named("console")}
	tests := []struct {
		method, path, target string
		host, origin         string // default 127.0.0.1:4566 and none
		want                 string
		wantStatus           int
	}{
		{"POST", "/", "AWSStepFunctions.StartExecution", "", "", "stepfunctions", 200},
		{"POST", "/", "DynamoDB_20120810.GetItem", "", "", "dynamodb", 200},
		{"POST", "/2015-03-31/functions/f/invocations", "", "", "", "lambda", 200},
		{"GET", "/2015-03-31/functions/", "", "", "", "lambda", 200},
		{"GET", "/2017-03-31/tags/arn", "", "", "", "lambda", 200},
		{"GET", "/", "", "", "", "console", 200},
		{"GET", "/console/static/app.js", "", "", "", "console", 200},
		{"POST", "/console/flowchart", "", "", "", "console", 200},
		{"POST", "/", "AmazonSQS.SendMessage", "", "", "UnknownOperationException", 400},
		{"POST", "/", "AWSStepFunctionsX", "", "", "UnknownOperationException", 400},
		{"GET", "/", "", "localhost:4566", "", "console", 200},
		{"POST", "/", "AWSStepFunctions.ListExecutions", "[::1]:4566", "", "stepfunctions", 200},
		{"POST", "/2015-03-31/functions/f/invocations", "", "", "http://127.0.0.1:4566", "lambda", 200},
		{"GET", "/", "", "attacker.example:4566", "", "AccessDeniedException", 403},
		{"POST", "/2015-03-31/functions/f/invocations", "", "", "http://attacker.example", "AccessDeniedException", 403},
		{"POST", "/", "DynamoDB_20120810.Scan", "", "null", "AccessDeniedException", 403},
	}
	for _, tt := range tests {
		t.Run(tt.method+" "+tt.path+" "+tt.target, func(t *testing.T) {
			r := httptest.NewRequest(tt.method, tt.path, strings.NewReader("{}"))
			r.Host = cmp.Or(tt.host, "127.0.0.1:4566")
			if tt.origin != "" {
				r.Header.Set("Origin", tt.origin)
			}
			if tt.target != "" {
				r.Header.Set("X-Amz-Target", tt.target)
			}
			w := httptest.NewRecorder()
			rt.ServeHTTP(w, r)
			if got := w.Body.String(); w.Code != tt.wantStatus || !strings.Contains(got, tt.want) {
				t.Errorf("got %d %q, want %d and %q", w.Code, got, tt.wantStatus, tt.want)
			}
		})
	}
}
