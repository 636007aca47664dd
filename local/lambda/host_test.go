package lambda

import (
	"bufio"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"os/exec"
	"strconv"
	"strings"
	"sync"
	"syscall"
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
			deadline := time.UnixMilli(got.DeadlineMs)
			if d := deadline.Sub(before); d < 4*time.Second || d > 6*time.Second {
				t.Errorf("deadline %v after the call, want about the 5 s timeout", d)
			}
		})
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

func TestTimeoutReplacesInstance(t *testing.T) {
	h, logs := newTestHost(t, Options{}, FunctionConfig{Name: "slow", Timeout: time.Second})
	first := succeed(t, h, "slow", `{"action":"echo"}`)
	start := time.Now()
	out := invoke(t, h, "slow", `{"action":"sleep","sleep":"5s"}`)
	if took := time.Since(start); took < time.Second || took > 3*time.Second {
		t.Errorf("timed-out invoke took %v, want about 1 s", took)
	}
	want := fmt.Sprintf(`{"errorType":"Sandbox.Timedout","errorMessage":"RequestId: %s Error: Task timed out after 1.00 seconds"}`, out.RequestID)
	if out.FunctionError != "Unhandled" || string(out.Payload) != want {
		t.Errorf("output = %q %s, want Unhandled %s", out.FunctionError, out.Payload, want)
	}
	logs.waitFor(t, out.RequestID+" Task timed out after 1.00 seconds")
	again := succeed(t, h, "slow", `{"action":"echo"}`)
	if again.PID == first.PID {
		t.Errorf("the timed-out instance (pid %d) served again", first.PID)
	}
	waitGone(t, first.PID)
}

func TestExitReplacesInstance(t *testing.T) {
	tests := []struct {
		name    string
		cfg     FunctionConfig
		payload string
		want    fnError // %s in the message is the request id
	}{
		{"exit during invocation", FunctionConfig{Name: "exits"}, `{"action":"exit"}`,
			fnError{"Runtime.ExitError", "RequestId: %s Error: Runtime exited with error: exit status 3"}},
		{"exit during init", FunctionConfig{Name: "initexit", Env: map[string]string{"FN_INIT": "exit"}}, `{"action":"echo"}`,
			fnError{"Runtime.ExitError", "RequestId: %s Error: Runtime exited with error: exit status 2"}},
		{"init error", FunctionConfig{Name: "initerror", Env: map[string]string{"FN_INIT": "error"}}, `{"action":"echo"}`,
			fnError{"Runtime.InitError", "init failed on purpose"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			h, logs := newTestHost(t, Options{}, tt.cfg)
			for range 2 { // a new instance replaces the dead one each time
				out := invoke(t, h, tt.cfg.Name, tt.payload)
				var got fnError
				json.Unmarshal(out.Payload, &got)
				want := tt.want
				if strings.Contains(want.ErrorMessage, "%s") {
					want.ErrorMessage = fmt.Sprintf(want.ErrorMessage, out.RequestID)
				}
				if out.FunctionError != "Unhandled" || got != want {
					t.Errorf("output %q %s, want Unhandled %+v", out.FunctionError, out.Payload, want)
				}
			}
			if tt.want.ErrorType == "Runtime.ExitError" {
				logs.waitFor(t, "["+tt.cfg.Name+"] Runtime.ExitError")
			}
		})
	}
	t.Run("works again after a crash", func(t *testing.T) {
		h, _ := newTestHost(t, Options{}, FunctionConfig{Name: "fn", MaxConcurrency: 1})
		first := succeed(t, h, "fn", `{"action":"echo"}`)
		fail(t, h, "fn", `{"action":"exit"}`)
		fail(t, h, "fn", `{"action":"panic","message":"boom"}`) // reports, then exits
		again := succeed(t, h, "fn", `{"action":"echo"}`)
		if again.PID == first.PID {
			t.Errorf("pid %d served after crashing", first.PID)
		}
	})
}

func TestConcurrency(t *testing.T) {
	const limit, calls = 3, 7
	h, _ := newTestHost(t, Options{}, FunctionConfig{Name: "fn", MaxConcurrency: limit})
	pids := parallelPIDs(t, h, calls, `{"action":"sleep","sleep":"300ms"}`)
	if len(pids) != limit {
		t.Errorf("%d parallel invokes ran on %d processes, want %d (MaxConcurrency)", calls, len(pids), limit)
	}
	for range 5 { // warm instances are reused
		if got := succeed(t, h, "fn", `{"action":"sleep","sleep":"0s"}`); !pids[got.PID] {
			t.Errorf("sequential invoke ran on new pid %d, want one of the warm %v", got.PID, pids)
		}
	}
}

// parallelPIDs invokes n times at once and returns the processes that served.
func parallelPIDs(t *testing.T, h *Host, n int, payload string) map[int]bool {
	t.Helper()
	var mu sync.Mutex
	pids := map[int]bool{}
	var wg sync.WaitGroup
	for range n {
		wg.Go(func() {
			got := succeed(t, h, "fn", payload)
			mu.Lock()
			pids[got.PID] = true
			mu.Unlock()
		})
	}
	wg.Wait()
	return pids
}

func TestInitTimeout(t *testing.T) {
	h, _ := newTestHost(t, Options{InitTimeout: 200 * time.Millisecond},
		FunctionConfig{Name: "hangs", Timeout: time.Second, Env: map[string]string{"FN_INIT": "hang"}})
	start := time.Now()
	got := fail(t, h, "hangs", `{"action":"echo"}`)
	if got.ErrorType != "Sandbox.Timedout" || !strings.HasSuffix(got.ErrorMessage, "Task timed out after 1.00 seconds") {
		t.Errorf("error = %+v, want Sandbox.Timedout", got)
	}
	if took := time.Since(start); took < 1200*time.Millisecond || took > 3*time.Second {
		t.Errorf("took %v, want the init limit plus the timeout (1.2 s)", took)
	}
}

func TestAbandonedInvocationKeepsRunning(t *testing.T) {
	h, _ := newTestHost(t, Options{}, FunctionConfig{Name: "fn", ReservedConcurrency: 1})
	ctx, cancel := context.WithTimeout(context.Background(), 100*time.Millisecond)
	defer cancel()
	_, err := h.Invoke(ctx, "fn", []byte(`{"action":"sleep","sleep":"700ms"}`))
	if !errors.Is(err, context.DeadlineExceeded) {
		t.Fatalf("Invoke with a short context: %v, want DeadlineExceeded", err)
	}
	// The function still runs, and still counts against its concurrency.
	var throttled *TooManyRequestsError
	if _, err := h.Invoke(context.Background(), "fn", []byte(`{"action":"echo"}`)); !errors.As(err, &throttled) {
		t.Errorf("Invoke while the abandoned one runs: %v, want TooManyRequestsError", err)
	}
	time.Sleep(800 * time.Millisecond)
	succeed(t, h, "fn", `{"action":"echo"}`)
}

func TestReservedConcurrencyThrottles(t *testing.T) {
	h, _ := newTestHost(t, Options{}, FunctionConfig{Name: "fn", ReservedConcurrency: 1})
	done := make(chan struct{})
	go func() {
		defer close(done)
		succeed(t, h, "fn", `{"action":"sleep","sleep":"1s"}`)
	}()
	time.Sleep(300 * time.Millisecond)
	_, err := h.Invoke(context.Background(), "fn", []byte(`{"action":"echo"}`))
	var throttled *TooManyRequestsError
	if !errors.As(err, &throttled) || throttled.Reason != "ReservedFunctionConcurrentInvocationLimitExceeded" {
		t.Errorf("second invoke: %v, want TooManyRequestsError", err)
	}
	<-done
	succeed(t, h, "fn", `{"action":"echo"}`)
}

func TestCloseStopsEverything(t *testing.T) {
	h, _ := newTestHost(t, Options{}, FunctionConfig{Name: "fn"})
	pids := parallelPIDs(t, h, 3, `{"action":"sleep","sleep":"100ms"}`)
	if err := h.Close(); err != nil {
		t.Fatal(err)
	}
	for pid := range pids {
		waitGone(t, pid)
	}
	if _, err := h.Invoke(context.Background(), "fn", nil); !errors.Is(err, ErrHostClosed) {
		t.Errorf("Invoke after Close: %v, want ErrHostClosed", err)
	}
}

func TestInstancesDieWithHost(t *testing.T) {
	host := exec.Command(os.Args[0], "-test.run=^$")
	host.Env = append(os.Environ(), helperEnv+"="+testFn)
	stdout, err := host.StdoutPipe()
	if err != nil {
		t.Fatal(err)
	}
	if err := host.Start(); err != nil {
		t.Fatal(err)
	}
	line, err := bufio.NewReader(stdout).ReadString('\n')
	pid, convErr := strconv.Atoi(strings.TrimSpace(line))
	if err != nil || convErr != nil {
		host.Process.Kill()
		host.Wait()
		t.Fatalf("helper host said %q (%v)", line, err)
	}
	if err := syscall.Kill(pid, 0); err != nil {
		t.Fatalf("instance %d not running under the helper: %v", pid, err)
	}
	host.Process.Kill() // SIGKILL: the host gets no chance to clean up
	host.Wait()
	waitGone(t, pid)
}

// waitGone waits for a process to no longer exist.
func waitGone(t *testing.T, pid int) {
	t.Helper()
	deadline := time.Now().Add(5 * time.Second)
	for syscall.Kill(pid, 0) == nil {
		if time.Now().After(deadline) {
			t.Fatalf("process %d still runs", pid)
		}
		time.Sleep(10 * time.Millisecond)
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
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if err := h.Register(tt.cfg); err == nil {
				t.Errorf("Register(%+v) = nil, want an error", tt.cfg)
			}
		})
	}
}
