package docsapi_test

import (
	"encoding/json"
	"strings"
	"testing"

	"github.com/aws/aws-lambda-go/events"
	"github.com/aws/aws-sdk-go-v2/service/sfn"

	"github.com/hitl-go/docsign/internal/contract"
	"github.com/hitl-go/docsign/internal/docsapi"
	"github.com/hitl-go/docsign/internal/logtest"
)

// logLine decodes the handler's only log line, failing unless there is
// exactly one.
func logLine(t *testing.T, logs *logtest.Buffer) map[string]any {
	t.Helper()
	lines := strings.Split(strings.TrimSpace(logs.String()), "\n")
	if len(lines) != 1 {
		t.Fatalf("%d log lines, want one per request:\n%s", len(lines), logs.String())
	}
	var line map[string]any
	if err := json.Unmarshal([]byte(lines[0]), &line); err != nil {
		t.Fatalf("log line %q: %v", lines[0], err)
	}
	return line
}

// TestLogLine: one line per request with route, status, errorType and
// caller, never the body.
func TestLogLine(t *testing.T) {
	const body = "SECRET-CONTRACT-BYTES"
	tests := []struct {
		name  string
		setup func(*fake)
		req   events.APIGatewayV2HTTPRequest
		want  map[string]any
	}{
		{"accepted", nil, post("3", body),
			map[string]any{"level": "INFO", "route": contract.RouteKeyPostDocument, "status": 202.0, "errorType": "", "caller": caller, "documentId": "3"}},
		{"refused", nil, post("a b", body),
			map[string]any{"level": "INFO", "status": 400.0, "errorType": contract.ErrorInvalidInput, "caller": caller}},
		{"forbidden", nil, post("3", body, userARN("")),
			map[string]any{"level": "INFO", "status": 403.0, "caller": ""}},
		{"unavailable", func(f *fake) {
			f.startExecution = func(*sfn.StartExecutionInput) (*sfn.StartExecutionOutput, error) { return nil, throttled }
		}, post("3", body),
			map[string]any{"level": "ERROR", "status": 503.0, "errorType": contract.ErrorSignatureServiceUnavailable, "documentId": "3"}},
		{"get", nil, get("3"),
			map[string]any{"route": contract.RouteKeyGetDocument, "status": 404.0, "errorType": contract.ErrorDocumentNotStarted}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			f := newFake(tt.setup)
			h, logs := newHandler(t, f)
			if _, err := h.Handle(t.Context(), tt.req); err != nil {
				t.Fatal(err)
			}
			line := logLine(t, logs)
			for k, v := range tt.want {
				if line[k] != v {
					t.Errorf("log %s = %v, want %v (line %v)", k, line[k], v, line)
				}
			}
			if strings.Contains(logs.String(), body) {
				t.Errorf("the log shows the body: %s", logs.String())
			}
		})
	}
}

func TestNewRefusesABadConfig(t *testing.T) {
	f := newFake()
	for _, cfg := range []docsapi.Config{
		{StateMachineARN: sm},
		{Bucket: bucket},
		{Bucket: bucket, StateMachineARN: runARN("3")},
	} {
		if _, err := docsapi.New(f, f, f, cfg); err == nil {
			t.Errorf("New(%+v) = nil error, want the mistake named", cfg)
		}
	}
}
