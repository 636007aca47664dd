package lambda

import (
	"bufio"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"os/exec"
	"slices"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/hitl-go/docsign/internal/proctest"
)

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
	logs.WaitFor(t, out.RequestID+" Task timed out after 1.00 seconds")
	again := succeed(t, h, "slow", `{"action":"echo"}`)
	if again.PID == first.PID {
		t.Errorf("the timed-out instance (pid %d) served again", first.PID)
	}
	proctest.WaitGone(t, first.PID, nil)
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
				logs.WaitFor(t, "["+tt.cfg.Name+"] Runtime.ExitError")
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
			got, err := tryInvoke(h, "fn", payload)
			if err != nil {
				t.Error(err)
				return
			}
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
	done := runBusy(t, h, "fn", "1s")
	_, err := h.Invoke(context.Background(), "fn", []byte(`{"action":"echo"}`))
	var throttled *TooManyRequestsError
	if !errors.As(err, &throttled) || throttled.Reason != "ReservedFunctionConcurrentInvocationLimitExceeded" {
		t.Errorf("second invoke: %v, want TooManyRequestsError", err)
	}
	if out := <-done; out == nil || out.FunctionError != "" {
		t.Errorf("the first invoke: %+v", out)
	}
	succeed(t, h, "fn", `{"action":"echo"}`)
}

// runBusy starts an invocation sleeping for d and returns once an instance
// runs it; the channel gets its output (nil on an error).
func runBusy(t *testing.T, h *Host, name, d string) <-chan *InvokeOutput {
	t.Helper()
	done := make(chan *InvokeOutput, 1)
	go func() {
		out, _ := h.Invoke(context.Background(), name, []byte(`{"action":"sleep","sleep":"`+d+`"}`))
		done <- out
	}()
	f, _, err := h.lookup(name)
	if err != nil {
		t.Fatal(err)
	}
	for !slices.ContainsFunc(f.instances(), (*instance).busy) {
		time.Sleep(5 * time.Millisecond)
	}
	return done
}

func TestCloseStopsEverything(t *testing.T) {
	h, _ := newTestHost(t, Options{}, FunctionConfig{Name: "fn"})
	pids := parallelPIDs(t, h, 3, `{"action":"sleep","sleep":"100ms"}`)
	busy := runBusy(t, h, "fn", "1m")
	if err := h.Close(); err != nil {
		t.Fatal(err)
	}
	// The running invocation ends as its instance is stopped.
	if out := <-busy; out == nil || !strings.Contains(string(out.Payload), "Runtime exited with error: signal: killed") {
		t.Errorf("invocation running at Close: %+v", out)
	}
	for pid := range pids {
		proctest.WaitGone(t, pid, nil)
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
	if !proctest.Alive(pid) {
		t.Fatalf("instance %d not running under the helper", pid)
	}
	host.Process.Kill() // SIGKILL: the host gets no chance to clean up
	host.Wait()
	proctest.WaitGone(t, pid, nil)
}

// Invocations waiting for a busy function are served first come, first
// served: a freed instance goes to the one that has waited longest.
func TestWaitersServedInOrder(t *testing.T) {
	const waiters = 6
	h, _ := newTestHost(t, Options{}, FunctionConfig{Name: "fn", MaxConcurrency: 1})
	f, _, err := h.lookup("fn")
	if err != nil {
		t.Fatal(err)
	}
	succeed(t, h, "fn", `{"action":"echo"}`) // warm the one instance
	busy := make(chan error, 1)
	go func() {
		_, err := tryInvoke(h, "fn", `{"action":"sleep","sleep":"1s"}`)
		busy <- err
	}()
	waitForLine := func(n int) {
		t.Helper()
		for deadline := time.Now().Add(10 * time.Second); ; time.Sleep(time.Millisecond) {
			f.mu.Lock()
			got := len(f.waiters)
			f.mu.Unlock()
			if got == n {
				return
			}
			if time.Now().After(deadline) {
				t.Fatalf("%d invocations waiting, want %d", got, n)
			}
		}
	}
	var (
		mu    sync.Mutex
		order []int
		wg    sync.WaitGroup
	)
	for i := range waiters {
		wg.Go(func() {
			// Each holds the instance long enough that the order is recorded
			// before the next one finishes.
			if _, err := tryInvoke(h, "fn", `{"action":"sleep","sleep":"30ms"}`); err != nil {
				t.Error(err)
			}
			mu.Lock()
			order = append(order, i)
			mu.Unlock()
		})
		waitForLine(i + 1) // i is in line before i+1 arrives
	}
	wg.Wait()
	if err := <-busy; err != nil {
		t.Fatal(err)
	}
	if !slices.IsSorted(order) {
		t.Errorf("waiters served in order %v, want the order they arrived in", order)
	}
}
