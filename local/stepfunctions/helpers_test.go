package stepfunctions

import (
	"context"
	"encoding/json"
	"sort"
	"sync"
	"testing"
	"time"
)

// fakeClock is a Clock whose time moves only when a test advances it.
type fakeClock struct {
	mu     sync.Mutex
	now    time.Time
	timers []*fakeTimer
}

type fakeTimer struct {
	c       *fakeClock
	at      time.Time
	f       func()
	stopped bool
}

func newFakeClock() *fakeClock {
	return &fakeClock{now: time.Date(2026, 11, 22, 10, 0, 0, 0, time.UTC)}
}

func (c *fakeClock) Now() time.Time {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.now
}

func (c *fakeClock) AfterFunc(d time.Duration, f func()) Timer {
	c.mu.Lock()
	defer c.mu.Unlock()
	t := &fakeTimer{c: c, at: c.now.Add(d), f: f}
	c.timers = append(c.timers, t)
	return t
}

func (t *fakeTimer) Stop() bool {
	t.c.mu.Lock()
	defer t.c.mu.Unlock()
	was := !t.stopped
	t.stopped = true
	return was
}

// Advance moves time forward by d, firing due timers in time order.
func (c *fakeClock) Advance(d time.Duration) {
	c.mu.Lock()
	end := c.now.Add(d)
	c.mu.Unlock()
	for {
		c.mu.Lock()
		sort.SliceStable(c.timers, func(i, j int) bool { return c.timers[i].at.Before(c.timers[j].at) })
		var due *fakeTimer
		for i, t := range c.timers {
			if t.stopped {
				continue
			}
			if !t.at.After(end) {
				due = t
				c.timers = append(c.timers[:i:i], c.timers[i+1:]...)
			}
			break
		}
		if due == nil {
			c.now = end
			c.mu.Unlock()
			return
		}
		due.stopped = true
		if due.at.After(c.now) {
			c.now = due.at
		}
		c.mu.Unlock()
		due.f()
	}
}

// nextAt returns when the earliest armed timer fires.
func (c *fakeClock) nextAt() time.Time {
	c.mu.Lock()
	defer c.mu.Unlock()
	var at time.Time
	for _, t := range c.timers {
		if !t.stopped && (at.IsZero() || t.at.Before(at)) {
			at = t.at
		}
	}
	return at
}

// pending counts the timers still armed.
func (c *fakeClock) pending() int {
	c.mu.Lock()
	defer c.mu.Unlock()
	n := 0
	for _, t := range c.timers {
		if !t.stopped {
			n++
		}
	}
	return n
}

// lambdaFunc is a fake Invoker.
type lambdaFunc func(ctx context.Context, fn string, payload []byte) ([]byte, string, error)

func (f lambdaFunc) Invoke(ctx context.Context, fn string, payload []byte) ([]byte, string, error) {
	return f(ctx, fn, payload)
}

// echoLambda returns its payload.
var echoLambda = lambdaFunc(func(_ context.Context, _ string, p []byte) ([]byte, string, error) { return p, "", nil })

// tokenCatcher is a fake Invoker for .waitForTaskToken tasks: it hands the
// "taskToken" of each payload to a channel and returns {}.
type tokenCatcher chan string

func (c tokenCatcher) Invoke(_ context.Context, _ string, p []byte) ([]byte, string, error) {
	var in struct {
		TaskToken string `json:"taskToken"`
	}
	_ = json.Unmarshal(p, &in)
	c <- in.TaskToken
	return []byte("{}"), "", nil
}

func (c tokenCatcher) next(t *testing.T) string {
	t.Helper()
	select {
	case tok := <-c:
		return tok
	case <-time.After(5 * time.Second):
		t.Fatal("no task token within 5s")
		return ""
	}
}

// mustStart creates a state machine from def and starts it with input.
func mustStart(t *testing.T, svc *Service, def, input string) *execution {
	t.Helper()
	arn, err := svc.CreateStateMachine("Test", def, "arn:aws:iam::000000000000:role/test")
	if err != nil {
		t.Fatalf("CreateStateMachine: %v", err)
	}
	x, aerr := svc.startExecution(&startExecutionInput{StateMachineARN: arn, Name: "run", Input: &input})
	if aerr != nil {
		t.Fatalf("StartExecution: %v", aerr)
	}
	return x
}

// waitDone waits for x to close.
func waitDone(t *testing.T, x *execution) {
	t.Helper()
	select {
	case <-x.done:
	case <-time.After(10 * time.Second):
		t.Fatalf("execution still running after 10s; history %v", eventTypes(x))
	}
}

// waitEvent waits until x's history holds an event of type typ.
func waitEvent(t *testing.T, x *execution, typ string) {
	t.Helper()
	deadline := time.Now().Add(5 * time.Second)
	for time.Now().Before(deadline) {
		for _, e := range eventTypes(x) {
			if e == typ {
				return
			}
		}
		time.Sleep(time.Millisecond)
	}
	t.Fatalf("no %s event within 5s; history %v", typ, eventTypes(x))
}

func eventTypes(x *execution) []string {
	x.mu.Lock()
	defer x.mu.Unlock()
	out := make([]string, len(x.events))
	for i, e := range x.events {
		out[i] = e.typ
	}
	return out
}

// history returns x's events decoded as the API returns them.
func history(t *testing.T, x *execution) []map[string]any {
	t.Helper()
	x.mu.Lock()
	defer x.mu.Unlock()
	var out []map[string]any
	for _, e := range x.events {
		b, err := e.marshal(true)
		if err != nil {
			t.Fatal(err)
		}
		var m map[string]any
		if err := json.Unmarshal(b, &m); err != nil {
			t.Fatalf("event %s: %v", b, err)
		}
		out = append(out, m)
	}
	return out
}
