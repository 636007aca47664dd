package stepfunctions

import (
	"fmt"
	"time"

	"github.com/hitl-go/docsign/local/stepfunctions/asl"
)

// A thread runs the states of one scope: the machine itself, a Parallel
// branch or a Map iteration. It holds no goroutine: it advances while
// states complete at once and parks on its current frame while a state
// waits (a timer, a Lambda call, a callback, child threads).
type thread struct {
	x     *execution
	sc    *scope
	prev  int64 // id of the last event this thread recorded
	dead  bool  // aborted: late results are ignored
	ended bool  // done has been called
	cur   *frame
	// done is called (under x.mu) once, when the thread ends.
	done func(t *thread, output any, err *asl.Error)
}

// A frame is one entry into a state, across its retries.
type frame struct {
	t         *thread
	st        *stateDef
	input     any // the state's raw input
	enteredAt time.Time
	enteredID int64

	attempt    int  // bumped for every retry; async results carry it
	pending    bool // an attempt's asynchronous work is outstanding
	retries    []int64
	retryTotal int64
	// stopWork cancels the outstanding work of the current attempt; when
	// emitPrev is not 0 the work records its aborted events with that
	// previousEventId.
	stopWork func(emitPrev int64)
}

// outcome is what executing a state produced.
type outcome struct {
	pending bool       // the state completes later, through frame.complete
	output  any        // the state output (after ResultPath and OutputPath)
	next    string     // a Choice state's chosen next state
	err     *asl.Error // the state failed
}

var pendingOutcome = outcome{pending: true}

// maxSyncSteps bounds how many states a thread runs in one go before it
// yields the execution's lock, so a loop of Pass and Choice states cannot
// hold it forever.
const maxSyncSteps = 500

func (t *thread) record(typ, key string, detail any) int64 {
	t.prev = t.x.record(t.prev, typ, key, detail)
	return t.prev
}

// run enters state name with input and keeps going while states complete
// at once.
func (t *thread) run(name string, input any) {
	for steps := 0; ; steps++ {
		if t.dead || !t.x.running() {
			return
		}
		if len(t.x.events)+1 >= maxHistoryEvents {
			t.x.root.abort(0)
			t.x.fail(t.prev, &asl.Error{Name: asl.ErrRuntime, Cause: fmt.Sprintf(
				"The execution reached the maximum number of history events (%d).", maxHistoryEvents)})
			return
		}
		if steps == maxSyncSteps {
			t.cur = nil // between states: nothing to abort but the thread
			go t.resume(name, input)
			return
		}
		st := t.sc.states[name]
		f := &frame{t: t, st: st, input: input, enteredAt: t.x.svc.clock.Now(), retries: make([]int64, len(st.retry))}
		t.cur = f
		f.enteredID = t.record(st.typ+"StateEntered", keyStateEntered, stateEnteredDetails{
			Name: st.name, Input: encodeJSON(input), InputDetails: &dataDetails{}})
		oc := f.execute()
		var ok bool
		if name, input, ok = t.after(f, oc); !ok {
			return
		}
	}
}

func (t *thread) resume(name string, input any) {
	t.x.mu.Lock()
	defer t.x.mu.Unlock()
	t.run(name, input)
}

// execute runs one attempt of the frame's state.
func (f *frame) execute() outcome {
	switch f.st.typ {
	case typePass:
		return f.pass()
	case typeChoice:
		return f.choice()
	case typeWait:
		return f.wait()
	case typeSucceed:
		return f.succeed()
	case typeFail:
		return f.failState()
	case typeTask:
		return f.task()
	case typeParallel:
		return f.parallel()
	case typeMap:
		return f.mapState()
	}
	return outcome{err: &asl.Error{Name: asl.ErrRuntime, Cause: "unknown state type " + f.st.typ}}
}

// live reports whether an asynchronous result for attempt still matters.
func (f *frame) live(attempt int) bool {
	return f.pending && f.attempt == attempt && !f.t.dead && f.t.cur == f && f.t.x.running()
}

// complete delivers the asynchronous outcome of the current attempt and
// lets the thread go on. Callers hold x.mu and have checked live.
func (f *frame) complete(oc outcome) {
	f.pending = false
	f.stopWork = nil
	if name, input, ok := f.t.after(f, oc); ok {
		f.t.run(name, input)
	}
}

// park marks the current attempt as waiting for asynchronous work.
func (f *frame) park(stop func(emitPrev int64)) outcome {
	f.pending = true
	f.stopWork = stop
	return pendingOutcome
}

// after handles a state's outcome: the exit event and the next state, or
// Retry/Catch, or the end of the thread. It reports the state to run next.
func (t *thread) after(f *frame, oc outcome) (string, any, bool) {
	if oc.pending {
		return "", nil, false
	}
	var out string
	if oc.err == nil && f.st.typ != typeFail {
		var fits bool
		if out, fits = encodeLimited(oc.output); !fits {
			oc.err = &asl.Error{Name: asl.ErrDataLimitExceeded, Cause: fmt.Sprintf(
				"The state/task '%s' returned a result with a size exceeding the maximum number of bytes service limit.", f.st.name)}
		}
	}
	if oc.err != nil {
		return f.onError(oc.err)
	}
	t.record(f.st.typ+"StateExited", keyStateExited, stateExitedDetails{
		Name: f.st.name, Output: out, OutputDetails: &dataDetails{}})
	switch {
	case oc.next != "":
		return oc.next, oc.output, true
	case f.st.typ == typeSucceed || f.st.end:
		t.finish(oc.output, nil)
		return "", nil, false
	}
	return f.st.next, oc.output, true
}

// finish ends the thread.
func (t *thread) finish(output any, err *asl.Error) {
	t.cur = nil
	t.ended = true
	t.done(t, output, err)
}

// onError applies the state's Retry and Catch fields to err (ASL spec,
// "Errors"): the first retrier whose ErrorEquals matches decides whether to
// retry; when it is exhausted (or none matches) the first matching catcher
// takes over; otherwise the thread fails with err.
func (f *frame) onError(err *asl.Error) (string, any, bool) {
	for i, r := range f.st.retry {
		if !asl.ErrorMatches(r.errorEquals, err.Name) {
			continue
		}
		if f.retries[i] < r.maxAttempts {
			f.scheduleRetry(i, r)
			return "", nil, false
		}
		break
	}
	for _, c := range f.st.catch {
		if !asl.ErrorMatches(c.errorEquals, err.Name) {
			continue
		}
		return f.caught(c, err)
	}
	f.t.finish(nil, err)
	return "", nil, false
}

// caught moves to a catcher's Next with the error output placed by its
// ResultPath into the state's raw input.
func (f *frame) caught(c catcher, err *asl.Error) (string, any, bool) {
	errOut := map[string]any{"Error": err.Name}
	if err.Cause != "" {
		errOut["Cause"] = err.Cause
	}
	out := f.input
	if !c.resultPath.null {
		var aerr error
		if out, aerr = asl.ApplyResultPath(c.resultPath.path, f.input, errOut); aerr != nil {
			f.t.finish(nil, f.runtimeError(aerr))
			return "", nil, false
		}
	}
	enc, fits := encodeLimited(out)
	if !fits {
		f.t.finish(nil, &asl.Error{Name: asl.ErrDataLimitExceeded, Cause: fmt.Sprintf(
			"The state/task '%s' returned a result with a size exceeding the maximum number of bytes service limit.", f.st.name)})
		return "", nil, false
	}
	f.t.record(f.st.typ+"StateExited", keyStateExited, stateExitedDetails{
		Name: f.st.name, Output: enc, OutputDetails: &dataDetails{}})
	return c.next, out, true
}

// scheduleRetry runs the state again after the retrier's interval:
// IntervalSeconds × BackoffRate^(retries so far), capped by
// MaxDelaySeconds, randomised by JitterStrategy FULL.
func (f *frame) scheduleRetry(i int, r retrier) {
	delay := float64(r.intervalSeconds)
	for n := int64(0); n < f.retries[i]; n++ {
		delay *= r.backoffRate
	}
	if r.maxDelaySeconds > 0 && delay > float64(r.maxDelaySeconds) {
		delay = float64(r.maxDelaySeconds)
	}
	if r.fullJitter {
		delay *= jitter()
	}
	f.retries[i]++
	f.retryTotal++
	f.attempt++
	attempt := f.attempt
	timer := f.t.x.svc.clock.AfterFunc(time.Duration(delay*float64(time.Second)), func() {
		x := f.t.x
		x.mu.Lock()
		defer x.mu.Unlock()
		if !f.live(attempt) {
			return
		}
		f.pending = false
		f.stopWork = nil
		oc := f.execute()
		if name, input, ok := f.t.after(f, oc); ok {
			f.t.run(name, input)
		}
	})
	f.park(func(int64) { timer.Stop() })
}

// abort stops the thread and everything it waits for. With emitPrev != 0
// the current state records its "…StateAborted" event, as AWS does for
// the siblings of a failed Parallel branch or Map iteration.
func (t *thread) abort(emitPrev int64) {
	if t.dead {
		return
	}
	t.dead = true
	f := t.cur
	if f == nil {
		return
	}
	if f.stopWork != nil {
		f.stopWork(emitPrev)
		f.stopWork = nil
	}
	f.pending = false
	if emitPrev != 0 {
		switch f.st.typ {
		case typeTask, typeWait, typeParallel, typeMap:
			t.prev = t.x.record(emitPrev, f.st.typ+"StateAborted", "", nil)
		}
	}
}

// runtimeError turns an asl evaluation error into the state's error,
// prefixing States.Runtime causes the way AWS does.
func (f *frame) runtimeError(err error) *asl.Error {
	aerr, ok := err.(*asl.Error)
	if !ok {
		aerr = &asl.Error{Name: asl.ErrRuntime, Cause: err.Error()}
	}
	if aerr.Name != asl.ErrRuntime {
		return aerr
	}
	return &asl.Error{Name: aerr.Name, Cause: fmt.Sprintf(
		"An error occurred while executing the state '%s' (entered at the event id #%d). %s", f.st.name, f.enteredID, aerr.Cause)}
}
