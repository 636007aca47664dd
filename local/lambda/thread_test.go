package lambda

import (
	"runtime"
	"testing"
	"time"

	"github.com/hitl-go/docsign/internal/proctest"
)

// The main thread is never ended (a goroutine locked to it that returns
// wedges it instead); kept for the main goroutine, it runs no test, so a
// test's locked goroutine that returns really ends its thread.
func init() { runtime.LockOSThread() }

// An instance's parent-death signal must not fire when the thread of the
// goroutine whose Invoke started it ends.
func TestInstanceOutlivesTheStartingThread(t *testing.T) {
	h, _ := newTestHost(t, Options{}, FunctionConfig{Name: "fn", Timeout: 10 * time.Second})
	type result struct {
		resp fnResponse
		err  error
	}
	first := make(chan result, 1)
	go func() {
		runtime.LockOSThread() // never unlocked: the thread ends with this goroutine
		resp, err := tryInvoke(h, "fn", `{"action":"echo"}`)
		first <- result{resp, err}
	}()
	r := <-first
	if r.err != nil {
		t.Fatal(r.err)
	}
	time.Sleep(300 * time.Millisecond) // the starting goroutine's thread has ended by now
	if !proctest.Alive(r.resp.PID) {
		t.Fatalf("instance %d died when the goroutine that started it returned", r.resp.PID)
	}
	if got := succeed(t, h, "fn", `{"action":"echo"}`).PID; got != r.resp.PID {
		t.Errorf("second invocation ran in instance %d, want the first one, %d", got, r.resp.PID)
	}
}
