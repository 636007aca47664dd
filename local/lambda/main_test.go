package lambda

import (
	"context"
	"encoding/json"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/hitl-go/docsign/internal/logtest"
)

// testFn is the built testdata/fn binary, shared by every test.
var testFn string

func TestMain(m *testing.M) {
	if fn := os.Getenv(helperEnv); fn != "" {
		runHelperHost(fn)
		return
	}
	if slices.ContainsFunc(os.Args, func(a string) bool { return strings.HasPrefix(a, "-test.fuzzworker") }) {
		// Fuzz workers run no function and are killed when fuzzing ends,
		// with no chance to remove a build.
		os.Exit(m.Run())
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

// runHelperHost starts an instance busy for a minute, prints its pid, and
// waits to be killed. Busy, the instance does not notice its Runtime API is
// gone: only the parent-death signal can end it in time.
func runHelperHost(fn string) {
	h := NewHost(Options{})
	if err := h.Register(FunctionConfig{Name: "fn", Executable: fn, Timeout: 2 * time.Minute}); err != nil {
		fmt.Println("error:", err)
		os.Exit(1)
	}
	go h.Invoke(context.Background(), "fn", []byte(`{"action":"sleep","sleep":"1m"}`))
	for {
		h.mu.RLock()
		f := h.fns["fn"]
		h.mu.RUnlock()
		if ins := f.instances(); len(ins) == 1 && ins[0].busy() {
			fmt.Println(ins[0].cmd.Process.Pid)
			select {}
		}
		time.Sleep(10 * time.Millisecond)
	}
}

// newTestHost returns a host serving the test function under each config's
// name (Executable defaults to the test binary), closed when the test ends.
func newTestHost(t *testing.T, opts Options, cfgs ...FunctionConfig) (*Host, *logtest.Buffer) {
	t.Helper()
	logs := &logtest.Buffer{}
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
	resp, err := tryInvoke(h, name, payload)
	if err != nil {
		t.Fatal(err)
	}
	return resp
}

// tryInvoke is succeed for goroutines other than the test's, which must not
// stop the test.
func tryInvoke(h *Host, name, payload string) (fnResponse, error) {
	var resp fnResponse
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	out, err := h.Invoke(ctx, name, []byte(payload))
	if err != nil {
		return resp, fmt.Errorf("Invoke(%s, %s): %w", name, payload, err)
	}
	if out.FunctionError != "" {
		return resp, fmt.Errorf("Invoke(%s, %s): function error %s", name, payload, out.Payload)
	}
	if err := json.Unmarshal(out.Payload, &resp); err != nil {
		return resp, fmt.Errorf("Invoke(%s, %s): payload %s: %w", name, payload, out.Payload, err)
	}
	return resp, nil
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
