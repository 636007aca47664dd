package lambda

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"strings"
	"testing"
	"time"
)

const arnPrefix = "arn:aws:lambda:us-east-1:000000000000:function:"

func TestInvokeSuccess(t *testing.T) {
	h, _ := newTestHost(t, Options{Env: map[string]string{"AWS_ENDPOINT_URL": "http://127.0.0.1:4566"}},
		FunctionConfig{Name: "fn", Timeout: 5 * time.Second, MemoryMB: 256,
			Env: map[string]string{"TABLE_NAME": "tokens", "AWS_LAMBDA_RUNTIME_API": "nope"}})
	tests := []struct {
		name     string
		function string
		wantARN  string // as the function sees it invoked
	}{
		{"by name", "fn", arnPrefix + "fn"},
		{"by ARN", arnPrefix + "fn", arnPrefix + "fn"},
		{"by ARN with $LATEST", arnPrefix + "fn:$LATEST", arnPrefix + "fn:$LATEST"},
		{"by partial ARN", "000000000000:function:fn", arnPrefix + "fn"},
		{"by name with $LATEST", "fn:$LATEST", arnPrefix + "fn:$LATEST"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			before := time.Now()
			out := invoke(t, h, tt.function, `{"action":"echo","n":1}`)
			if out.FunctionError != "" || out.ExecutedVersion != "$LATEST" || out.RequestID == "" {
				t.Fatalf("output = %+v, want success on $LATEST with a request id", out)
			}
			var got fnResponse
			if err := json.Unmarshal(out.Payload, &got); err != nil {
				t.Fatal(err)
			}
			if got.FunctionARN != tt.wantARN || got.FunctionName != "fn" || got.RequestID != out.RequestID {
				t.Errorf("function saw ARN %q name %q id %q, want %q fn %q", got.FunctionARN, got.FunctionName,
					got.RequestID, tt.wantARN, out.RequestID)
			}
			if string(got.Payload) != `{"action":"echo","n":1}` {
				t.Errorf("echoed payload = %s", got.Payload)
			}
			checkDeadline(t, got.DeadlineMs, before, 5*time.Second)
		})
	}
}

// checkDeadline checks an epoch-ms deadline is timeout after a moment
// between start and now (the invocation's delivery).
func checkDeadline(t *testing.T, deadlineMs int64, start time.Time, timeout time.Duration) {
	t.Helper()
	earliest, latest := start.Add(timeout).UnixMilli(), time.Now().Add(timeout).UnixMilli()
	if deadlineMs < earliest || deadlineMs > latest {
		t.Errorf("deadline %d, want within [%d, %d]: the timeout after delivery", deadlineMs, earliest, latest)
	}
}

func TestInvokeEnvironment(t *testing.T) {
	h, _ := newTestHost(t, Options{Env: map[string]string{"AWS_ENDPOINT_URL": "http://127.0.0.1:4566"}},
		FunctionConfig{Name: "envfn", MemoryMB: 256, LogFormat: "JSON", ApplicationLogLevel: "DEBUG",
			Env: map[string]string{"TABLE_NAME": "tokens", "AWS_LAMBDA_RUNTIME_API": "nope"}})
	tests := []struct {
		name      string
		want      string
		wantFound bool
	}{
		{"TABLE_NAME", "tokens", true},
		{"AWS_ENDPOINT_URL", "http://127.0.0.1:4566", true},
		{"AWS_LAMBDA_FUNCTION_NAME", "envfn", true},
		{"AWS_LAMBDA_FUNCTION_VERSION", "$LATEST", true},
		{"AWS_LAMBDA_FUNCTION_MEMORY_SIZE", "256", true},
		{"AWS_LAMBDA_LOG_FORMAT", "JSON", true},
		{"AWS_LAMBDA_LOG_LEVEL", "DEBUG", true},
		{"AWS_LAMBDA_LOG_GROUP_NAME", "/aws/lambda/envfn", true},
		{"AWS_REGION", "us-east-1", true},
		{"AWS_DEFAULT_REGION", "us-east-1", true},
		{"_HANDLER", "bootstrap", true},
		{"AWS_EXECUTION_ENV", "", false}, // not defined for OS-only runtimes
		{"HOME", "", false},              // the host's environment does not leak in
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := succeed(t, h, "envfn", fmt.Sprintf(`{"action":"env","name":%q}`, tt.name))
			if got.Value != tt.want || got.Found != tt.wantFound {
				t.Errorf("%s = %q (set %v), want %q (set %v)", tt.name, got.Value, got.Found, tt.want, tt.wantFound)
			}
		})
	}
	t.Run("runtime API is the host's", func(t *testing.T) {
		got := succeed(t, h, "envfn", `{"action":"env","name":"AWS_LAMBDA_RUNTIME_API"}`)
		if !strings.HasPrefix(got.Value, "127.0.0.1:") {
			t.Errorf("AWS_LAMBDA_RUNTIME_API = %q, want the loopback listener", got.Value)
		}
	})
}

func TestInvokeFunctionErrors(t *testing.T) {
	h, _ := newTestHost(t, Options{}, FunctionConfig{Name: "fn"})
	tests := []struct {
		name        string
		payload     string
		wantType    string
		wantMessage string
	}{
		{"returned error", `{"action":"error","message":"declined by Bob"}`, "CustomError", "declined by Bob"},
		{"handler error", `{"action":"nope"}`, "errorString", `unknown action "nope"`},
		{"panic", `{"action":"panic","message":"boom"}`, "string", "boom"},
		{"response too large", `{"action":"big","size":7000000}`, "Function.ResponseSizeTooLarge",
			"Response payload size exceeded maximum allowed payload size (6291556 bytes)."},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := fail(t, h, "fn", tt.payload)
			if got.ErrorType != tt.wantType || got.ErrorMessage != tt.wantMessage {
				t.Errorf("error = %+v, want type %q message %q", got, tt.wantType, tt.wantMessage)
			}
			succeed(t, h, "fn", `{"action":"echo"}`) // and it still works
		})
	}
}

func TestInvokeRequestErrors(t *testing.T) {
	h, _ := newTestHost(t, Options{}, FunctionConfig{Name: "fn"})
	var (
		notFound *ResourceNotFoundError
		invalid  *ValidationError
		content  *InvalidRequestContentError
		tooLarge *RequestTooLargeError
	)
	tests := []struct {
		name     string
		function string
		payload  []byte
		target   any
		wantMsg  string
	}{
		{"unknown function", "nope", nil, &notFound, "Function not found: " + arnPrefix + "nope"},
		{"unknown version", "fn:7", nil, &notFound, "Function not found: " + arnPrefix + "fn:7"},
		{"other account", "arn:aws:lambda:us-east-1:111111111111:function:fn", nil, &notFound, "Function not found: " + arnPrefix + "fn"},
		{"other region", "arn:aws:lambda:eu-west-1:000000000000:function:fn", nil, &notFound, "Function not found: " + arnPrefix + "fn"},
		{"bad name", "no/such name", nil, &invalid, ""},
		{"not JSON", "fn", []byte(`{"action":`), &content, ""},
		{"too large", "fn", []byte(`"` + strings.Repeat("x", MaxSyncPayload) + `"`), &tooLarge,
			"6291458 byte payload is too large for the RequestResponse invocation type (limit 6291456 bytes)"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			out, err := h.Invoke(context.Background(), tt.function, tt.payload)
			if !errors.As(err, tt.target) {
				t.Fatalf("Invoke = %+v, %v; want a %T", out, err, tt.target)
			}
			if tt.wantMsg != "" && err.Error() != tt.wantMsg {
				t.Errorf("error = %q, want %q", err, tt.wantMsg)
			}
		})
	}
}

func TestRegisterRejects(t *testing.T) {
	h, _ := newTestHost(t, Options{}, FunctionConfig{Name: "fn"})
	tests := []struct {
		name string
		cfg  FunctionConfig
	}{
		{"duplicate", FunctionConfig{Name: "fn", Executable: testFn}},
		{"bad name", FunctionConfig{Name: "a b", Executable: testFn}},
		{"missing binary", FunctionConfig{Name: "x", Executable: "/nonexistent/bootstrap"}},
		{"directory", FunctionConfig{Name: "x", Executable: t.TempDir()}},
		{"foreign ARN", FunctionConfig{Name: "x", Executable: testFn, ARN: arnPrefix + "y"}},
		{"log format", FunctionConfig{Name: "x", Executable: testFn, LogFormat: "XML"}},
		{"tracing mode", FunctionConfig{Name: "x", Executable: testFn, TracingMode: "On"}},
		{"long description", FunctionConfig{Name: "x", Executable: testFn, Description: strings.Repeat("é", 257)}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if err := h.Register(tt.cfg); err == nil {
				t.Errorf("Register(%+v) = nil, want an error", tt.cfg)
			}
		})
	}
}
