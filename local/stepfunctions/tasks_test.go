package stepfunctions

import (
	"context"
	"runtime"
	"strings"
	"sync"
	"testing"
	"time"
)

const callbackDef = `{"StartAt":"Ask","States":{"Ask":{"Type":"Task",
	"Resource":"arn:aws:states:::lambda:invoke.waitForTaskToken",
	"Parameters":{"FunctionName":"arn:aws:lambda:us-east-1:000000000000:function:Ask","Payload":{"taskToken.$":"$$.Task.Token"}},
	%s"End":true}}}`

func callbackMachine(extra string) string { return strings.Replace(callbackDef, "%s", extra, 1) }

// startCallback starts callbackMachine("") and returns once its task waits
// for the token it returns.
func startCallback(t *testing.T) (*Service, *execution, string) {
	t.Helper()
	tokens := make(tokenCatcher, 1)
	svc := New(Options{Invoker: tokens})
	x := mustStart(t, svc, callbackMachine(""), `{}`)
	token := tokens.next(t)
	waitEvent(t, x, "TaskSubmitted")
	return svc, x, token
}

func TestTaskTokens(t *testing.T) {
	svc, x, token := startCallback(t)

	forged := []byte(token)
	forged[10] ^= 1
	tests := []struct {
		name, token, wantCode string
	}{
		{"empty", "", codeValidationException},
		{"malformed", "not-a-token", codeInvalidToken},
		{"forged", string(forged), codeInvalidToken},
		{"too long", strings.Repeat("a", 2049), codeValidationException},
	}
	for _, tc := range tests {
		_, err := svc.apiSendTaskHeartbeat(&sendTaskHeartbeatInput{TaskToken: tc.token})
		if err == nil || err.Code != tc.wantCode {
			t.Errorf("%s token: got %v, want %s", tc.name, err, tc.wantCode)
		}
		if err != nil && strings.Contains(err.Message, token) {
			t.Errorf("%s token: the error message shows a task token", tc.name)
		}
	}
	if _, err := svc.apiSendTaskSuccess(&sendTaskSuccessInput{TaskToken: token, Output: ptr("{not json")}); err == nil || err.Code != codeInvalidOutput {
		t.Errorf("invalid output: got %v, want InvalidOutput", err)
	}
	if _, err := svc.apiSendTaskSuccess(&sendTaskSuccessInput{TaskToken: token, Output: ptr(`{"signed":true}`)}); err != nil {
		t.Fatalf("SendTaskSuccess: %v", err)
	}
	waitDone(t, x)
	if x.status != statusSucceeded || x.output != `{"signed":true}` {
		t.Errorf("got %s %s, want SUCCEEDED {\"signed\":true}", x.status, x.output)
	}
	_, err := svc.apiSendTaskFailure(&sendTaskFailureInput{TaskToken: token, Error: "Late"})
	if err == nil || err.Code != codeTaskTimedOut {
		t.Errorf("SendTaskFailure after success: got %v, want TaskTimedOut", err)
	}
	if n := svc.tokens.openCount(); n != 0 {
		t.Errorf("%d tokens still open", n)
	}
}

func TestHeartbeatTimeout(t *testing.T) {
	clock := newFakeClock()
	tokens := make(tokenCatcher, 1)
	svc := New(Options{Invoker: tokens, Clock: clock})
	x := mustStart(t, svc, callbackMachine(`"HeartbeatSeconds":10,"TimeoutSeconds":100,`), `{}`)
	token := tokens.next(t)
	waitEvent(t, x, "TaskSubmitted")
	for i := 0; i < 3; i++ {
		clock.Advance(8 * time.Second)
		if _, err := svc.apiSendTaskHeartbeat(&sendTaskHeartbeatInput{TaskToken: token}); err != nil {
			t.Fatalf("heartbeat %d: %v", i, err)
		}
	}
	clock.Advance(9 * time.Second)
	if x.status != statusRunning {
		t.Fatalf("status %s after heartbeats, want RUNNING", x.status)
	}
	clock.Advance(2 * time.Second)
	waitDone(t, x)
	if x.status != statusFailed || x.errName != "States.HeartbeatTimeout" {
		t.Errorf("got %s %s, want FAILED States.HeartbeatTimeout", x.status, x.errName)
	}
	if _, err := svc.apiSendTaskHeartbeat(&sendTaskHeartbeatInput{TaskToken: token}); err == nil || err.Code != codeTaskTimedOut {
		t.Errorf("heartbeat after timeout: got %v, want TaskTimedOut", err)
	}
	if n := clock.pending(); n != 0 {
		t.Errorf("%d timers left armed", n)
	}
}

func TestTaskTimeoutCancelsLambda(t *testing.T) {
	clock := newFakeClock()
	started := make(chan struct{})
	cancelled := make(chan struct{})
	svc := New(Options{Clock: clock, Invoker: lambdaFunc(func(ctx context.Context, _ string, _ []byte) ([]byte, string, error) {
		close(started)
		<-ctx.Done()
		close(cancelled)
		return nil, "", ctx.Err()
	})})
	x := mustStart(t, svc, `{"StartAt":"T","States":{"T":{"Type":"Task",
		"Resource":"arn:aws:lambda:us-east-1:000000000000:function:Slow","TimeoutSeconds":5,"End":true}}}`, `{}`)
	<-started
	clock.Advance(5 * time.Second)
	waitDone(t, x)
	select {
	case <-cancelled:
	case <-time.After(5 * time.Second):
		t.Fatal("the Lambda call's context was not cancelled")
	}
	if x.status != statusFailed || x.errName != "States.Timeout" {
		t.Errorf("got %s %s, want FAILED States.Timeout", x.status, x.errName)
	}
	if types := eventTypes(x); !contains(types, "LambdaFunctionTimedOut") {
		t.Errorf("history lacks LambdaFunctionTimedOut: %v", types)
	}
}

func TestMachineTimeoutAndStop(t *testing.T) {
	tests := []struct {
		name       string
		act        func(*fakeClock, *execution)
		wantStatus string
		wantEvent  string
	}{
		{"timeout", func(c *fakeClock, _ *execution) { c.Advance(60 * time.Second) }, statusTimedOut, "ExecutionTimedOut"},
		{"stop", func(_ *fakeClock, x *execution) { x.abort("Stopped", "by test") }, statusAborted, "ExecutionAborted"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			clock := newFakeClock()
			tokens := make(tokenCatcher, 1)
			svc := New(Options{Invoker: tokens, Clock: clock})
			def := strings.Replace(callbackMachine(""), `{"StartAt"`, `{"TimeoutSeconds":60,"StartAt"`, 1)
			x := mustStart(t, svc, def, `{}`)
			token := tokens.next(t)
			waitEvent(t, x, "TaskSubmitted")
			tc.act(clock, x)
			waitDone(t, x)
			if x.status != tc.wantStatus {
				t.Errorf("status: got %s, want %s", x.status, tc.wantStatus)
			}
			types := eventTypes(x)
			if types[len(types)-1] != tc.wantEvent {
				t.Errorf("last event: got %s, want %s", types[len(types)-1], tc.wantEvent)
			}
			if _, err := svc.apiSendTaskSuccess(&sendTaskSuccessInput{TaskToken: token, Output: ptr("{}")}); err == nil || err.Code != codeTaskTimedOut {
				t.Errorf("SendTaskSuccess after close: got %v, want TaskTimedOut", err)
			}
			if n := clock.pending(); n != 0 {
				t.Errorf("%d timers left armed", n)
			}
		})
	}
}

func TestRetryBackoff(t *testing.T) {
	clock := newFakeClock()
	var mu sync.Mutex
	calls := 0
	svc := New(Options{Clock: clock, Invoker: lambdaFunc(func(context.Context, string, []byte) ([]byte, string, error) {
		mu.Lock()
		calls++
		mu.Unlock()
		return []byte(`{"errorType":"Flaky"}`), "Unhandled", nil
	})})
	x := mustStart(t, svc, `{"StartAt":"T","States":{"T":{"Type":"Task",
		"Resource":"arn:aws:lambda:us-east-1:000000000000:function:Flaky","End":true,
		"Retry":[{"ErrorEquals":["Flaky"],"IntervalSeconds":2,"BackoffRate":3,"MaxAttempts":3,"MaxDelaySeconds":10}]}}}`, `{}`)
	// Delays: 2 s, 2×3 = 6 s, then 2×3×3 = 18 s capped at 10 s.
	for i, want := range []time.Duration{2 * time.Second, 6 * time.Second, 10 * time.Second} {
		waitFor(t, func() bool {
			mu.Lock()
			defer mu.Unlock()
			return calls == i+1 && clock.pending() == 1
		})
		if got := clock.nextAt().Sub(clock.Now()); got != want {
			t.Errorf("retry %d after %v, want %v", i+1, got, want)
		}
		clock.Advance(want)
	}
	waitDone(t, x)
	if calls != 4 || x.errName != "Flaky" {
		t.Errorf("got %d calls and error %q, want 4 and Flaky", calls, x.errName)
	}
}

// TestManyOpenExecutions: thousands of executions waiting for callbacks
// hold no goroutines, and all complete when their tokens are sent.
func TestManyOpenExecutions(t *testing.T) {
	const n = 2000
	tokens := make(tokenCatcher, n)
	svc := New(Options{Invoker: tokens})
	arn, err := svc.CreateStateMachine("Many", callbackMachine(`"TimeoutSeconds":3600,`), "arn:aws:iam::000000000000:role/r")
	if err != nil {
		t.Fatal(err)
	}
	before := runtime.NumGoroutine()
	execs := make([]*execution, n)
	for i := range execs {
		x, aerr := svc.startExecution(&startExecutionInput{StateMachineARN: arn, Input: ptr(`{}`)})
		if aerr != nil {
			t.Fatal(aerr)
		}
		execs[i] = x
	}
	all := make([]string, n)
	for i := range all {
		all[i] = tokens.next(t)
	}
	waitFor(t, func() bool { return runtime.NumGoroutine() <= before+5 })
	if got := svc.tokens.openCount(); got != n {
		t.Fatalf("%d open tokens, want %d", got, n)
	}
	var wg sync.WaitGroup
	for _, tok := range all {
		wg.Add(1)
		go func() {
			defer wg.Done()
			if _, err := svc.apiSendTaskSuccess(&sendTaskSuccessInput{TaskToken: tok, Output: ptr(`"ok"`)}); err != nil {
				t.Error(err)
			}
		}()
	}
	wg.Wait()
	for _, x := range execs {
		waitDone(t, x)
		if x.status != statusSucceeded {
			t.Fatalf("%s: %s", x.arn, x.status)
		}
	}
}

func waitFor(t *testing.T, cond func() bool) {
	t.Helper()
	deadline := time.Now().Add(5 * time.Second)
	for !cond() {
		if time.Now().After(deadline) {
			t.Fatalf("condition not met within 5s (goroutines: %d)", runtime.NumGoroutine())
		}
		time.Sleep(5 * time.Millisecond)
	}
}

// TestTaskTokenAfterDeleteStateMachine: deleting the state machine leaves
// its running execution and open token alone (see tokenRegistry.lookup on
// why no answer is TaskDoesNotExist); once the task closes the token
// answers TaskTimedOut.
func TestTaskTokenAfterDeleteStateMachine(t *testing.T) {
	svc, x, token := startCallback(t)
	if _, err := svc.apiDeleteStateMachine(&stateMachineARNInput{StateMachineARN: x.sm.arn}); err != nil {
		t.Fatalf("DeleteStateMachine: %v", err)
	}
	steps := []struct {
		name     string
		call     func() *APIError
		wantCode string // "" for success
	}{
		{"heartbeat", func() *APIError {
			_, err := svc.apiSendTaskHeartbeat(&sendTaskHeartbeatInput{TaskToken: token})
			return err
		}, ""},
		{"success", func() *APIError {
			_, err := svc.apiSendTaskSuccess(&sendTaskSuccessInput{TaskToken: token, Output: ptr(`{}`)})
			return err
		}, ""},
		{"success again", func() *APIError {
			_, err := svc.apiSendTaskSuccess(&sendTaskSuccessInput{TaskToken: token, Output: ptr(`{}`)})
			return err
		}, codeTaskTimedOut},
	}
	for _, st := range steps {
		err := st.call()
		if got := errCode(err); got != st.wantCode {
			t.Errorf("%s after DeleteStateMachine: got %v, want code %q", st.name, err, st.wantCode)
		}
	}
	waitDone(t, x)
	if x.status != statusSucceeded {
		t.Errorf("status %s, want SUCCEEDED", x.status)
	}
}

func errCode(err *APIError) string {
	if err == nil {
		return ""
	}
	return err.Code
}
