package lambda

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"
)

// testFn is the built testdata/fn binary, shared by every test.
var testFn string

func TestMain(m *testing.M) {
	if fn := os.Getenv(helperEnv); fn != "" {
		runHelperHost(fn)
		return
	}
	dir, err := os.MkdirTemp("", "lambdahost-test")
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		os.Exit(1)
	}
	testFn = filepath.Join(dir, "bootstrap")
	build := exec.Command("go", "build", "-tags", "lambda.norpc", "-o", testFn, "./testdata/fn")
	build.Stderr = os.Stderr
	if err := build.Run(); err != nil {
		fmt.Fprintln(os.Stderr, "building testdata/fn:", err)
		os.RemoveAll(dir)
		os.Exit(1)
	}
	code := m.Run()
	os.RemoveAll(dir)
	os.Exit(code)
}

// helperEnv makes the test binary a host process that TestInstancesDieWithHost
// kills; its value is the function binary.
const helperEnv = "LAMBDAHOST_TEST_HELPER"

// runHelperHost starts one instance, prints its pid, and waits to be killed.
func runHelperHost(fn string) {
	h := NewHost(Options{})
	if err := h.Register(FunctionConfig{Name: "fn", Executable: fn}); err != nil {
		fmt.Println("error:", err)
		os.Exit(1)
	}
	out, err := h.Invoke(context.Background(), "fn", []byte(`{"action":"echo"}`))
	if err != nil {
		fmt.Println("error:", err)
		os.Exit(1)
	}
	var resp fnResponse
	json.Unmarshal(out.Payload, &resp)
	fmt.Println(resp.PID)
	select {}
}

// syncBuffer is a log writer tests can read while instances write to it.
type syncBuffer struct {
	mu  sync.Mutex
	buf bytes.Buffer
}

func (b *syncBuffer) Write(p []byte) (int, error) {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.buf.Write(p)
}

func (b *syncBuffer) String() string {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.buf.String()
}

// waitFor polls the log until it contains want.
func (b *syncBuffer) waitFor(t *testing.T, want string) {
	t.Helper()
	deadline := time.Now().Add(10 * time.Second)
	for !strings.Contains(b.String(), want) {
		if time.Now().After(deadline) {
			t.Fatalf("log never contained %q; log:\n%s", want, b.String())
		}
		time.Sleep(10 * time.Millisecond)
	}
}

// newTestHost returns a host serving the test function under each config's
// name (Executable defaults to the test binary), closed when the test ends.
func newTestHost(t *testing.T, opts Options, cfgs ...FunctionConfig) (*Host, *syncBuffer) {
	t.Helper()
	logs := &syncBuffer{}
	if opts.Logs == nil {
		opts.Logs = logs
	}
	h := NewHost(opts)
	t.Cleanup(func() { h.Close() })
	for _, cfg := range cfgs {
		if cfg.Executable == "" {
			cfg.Executable = testFn
		}
		if err := h.Register(cfg); err != nil {
			t.Fatalf("Register(%s): %v", cfg.Name, err)
		}
	}
	return h, logs
}

// fnResponse is what testdata/fn answers for most actions.
type fnResponse struct {
	PID          int             `json:"pid"`
	RequestID    string          `json:"requestId"`
	FunctionARN  string          `json:"functionArn"`
	FunctionName string          `json:"functionName"`
	DeadlineMs   int64           `json:"deadlineMs"`
	Payload      json.RawMessage `json:"payload"`
	Value        string          `json:"value"`
	Found        bool            `json:"found"`
}

// fnError is the error body aws-lambda-go and the host produce.
type fnError struct {
	ErrorType    string `json:"errorType"`
	ErrorMessage string `json:"errorMessage"`
}

// invoke calls the function and fails the test on a host error.
func invoke(t *testing.T, h *Host, name, payload string) *InvokeOutput {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	out, err := h.Invoke(ctx, name, []byte(payload))
	if err != nil {
		t.Fatalf("Invoke(%s, %s): %v", name, payload, err)
	}
	return out
}

// succeed invokes and decodes a successful response.
func succeed(t *testing.T, h *Host, name, payload string) fnResponse {
	t.Helper()
	out := invoke(t, h, name, payload)
	if out.FunctionError != "" {
		t.Fatalf("Invoke(%s, %s): function error %s", name, payload, out.Payload)
	}
	var resp fnResponse
	if err := json.Unmarshal(out.Payload, &resp); err != nil {
		t.Fatalf("Invoke(%s, %s): payload %s: %v", name, payload, out.Payload, err)
	}
	return resp
}

// fail invokes and decodes a function error.
func fail(t *testing.T, h *Host, name, payload string) fnError {
	t.Helper()
	out := invoke(t, h, name, payload)
	if out.FunctionError != "Unhandled" {
		t.Fatalf("Invoke(%s, %s): FunctionError = %q, want Unhandled; payload %s", name, payload, out.FunctionError, out.Payload)
	}
	var e fnError
	if err := json.Unmarshal(out.Payload, &e); err != nil {
		t.Fatalf("Invoke(%s, %s): error payload %s: %v", name, payload, out.Payload, err)
	}
	return e
}
