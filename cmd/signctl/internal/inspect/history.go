package inspect

import (
	"strings"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	sfntypes "github.com/aws/aws-sdk-go-v2/service/sfn/types"

	"github.com/hitl-go/docsign/internal/contract"
)

// Statuses of a state in a run (what watch shows, and the console colours).
const (
	stateNotStarted = "NOT_STARTED"
	stateRunning    = "RUNNING"
	stateWaiting    = "WAITING" // a .waitForTaskToken task waiting for its callback
	stateSucceeded  = "SUCCEEDED"
	stateFailed     = "FAILED"
	stateCaught     = "CAUGHT" // failed, and a Catch moved the run on
	stateTimedOut   = "TIMED_OUT"
	stateAborted    = "ABORTED" // stopped because the run or its Parallel ended
)

// noteRunTimedOut explains an ABORTED Parallel or Map state that was open
// when the run timed out: the state did not time out itself (no state event
// says so), the run's timeout stopped it.
const noteRunTimedOut = "run timed out"

// stateRun is one entry into a state, read from an execution's history.
type stateRun struct {
	Name   string
	Type   string // ASL state type: Task, Parallel, Map, Pass…
	Parent *stateRun
	Status string
	// Resource is a Task's "<resourceType>:<resource>", e.g.
	// "lambda:invoke.waitForTaskToken".
	Resource string
	// Signer is the signer the state signs or waits for, read from its name
	// (contract.SignerOfState); "" for other states.
	Signer  string
	Entered time.Time
	// Scheduled is when the task was first scheduled; Closed when its last
	// attempt succeeded or failed; Ended when the state was left (or
	// stopped); zero until then.
	Scheduled, Closed, Ended time.Time
	// Changed is when Status last changed.
	Changed      time.Time
	Error, Cause string
	// Note says why a state was stopped, e.g. noteRunTimedOut.
	Note string
}

func (r *stateRun) open() bool { return r.Ended.IsZero() }

func (r *stateRun) setStatus(status string, at time.Time) {
	if r.Status != status {
		r.Status, r.Changed = status, at
	}
}

// waitsForCallback reports whether the run's task waits for a task token.
func (r *stateRun) waitsForCallback() bool { return strings.HasSuffix(r.Resource, ".waitForTaskToken") }

// readHistory turns an execution's events, in order, into the runs of its
// states. An event belongs to the state of the event it follows
// (PreviousEventId), except a state's entry; a Parallel or Map state's own
// end follows its last child's event, so it is found by climbing from there.
// "…StateAborted" events say nothing finishRuns does not.
func readHistory(events []sfntypes.HistoryEvent) []*stateRun {
	var runs []*stateRun
	owner := map[int64]*stateRun{}
	types := map[int64]string{}
	for _, e := range events {
		typ, ts := string(e.Type), aws.ToTime(e.Timestamp)
		r := owner[e.PreviousEventId]
		switch {
		case strings.HasSuffix(typ, "StateEntered"):
			r = enter(e, r, types[e.PreviousEventId])
			runs = append(runs, r)
		case strings.HasSuffix(typ, "StateExited"):
			r = lastOpen(runs, exitedName(e))
			if r != nil {
				r.Ended = ts
				if r.Status == stateFailed || r.Status == stateTimedOut {
					r.setStatus(stateCaught, ts) // leaving a failed state means a Catch took over
				} else {
					r.setStatus(stateSucceeded, ts)
				}
			}
		case strings.HasSuffix(typ, "StateAborted"):
			r = nil
		case typ == "ParallelStateSucceeded", typ == "ParallelStateFailed", typ == "MapStateSucceeded", typ == "MapStateFailed":
			child, stateType := r, "Map"
			if strings.HasPrefix(typ, "Parallel") {
				stateType = "Parallel"
			}
			r = enclosing(r, stateType)
			if r != nil && strings.HasSuffix(typ, "Failed") {
				r.setStatus(stateFailed, ts)
				r.Closed = ts
				if child != nil {
					r.Error, r.Cause = child.Error, child.Cause
				}
			}
		case r != nil:
			task(r, e, ts)
		}
		owner[e.Id], types[e.Id] = r, typ
	}
	return runs
}

// enter starts the run of the state e enters; prev is the state of the
// event before it, prevType that event's type.
func enter(e sfntypes.HistoryEvent, prev *stateRun, prevType string) *stateRun {
	ts := aws.ToTime(e.Timestamp)
	r := &stateRun{
		Type:    strings.TrimSuffix(string(e.Type), "StateEntered"),
		Status:  stateRunning,
		Entered: ts,
		Changed: ts,
	}
	if d := e.StateEnteredEventDetails; d != nil {
		r.Name = aws.ToString(d.Name)
		r.Signer, _ = contract.SignerOfState(r.Name)
	}
	switch {
	case prevType == "ParallelStateStarted" || prevType == "MapIterationStarted" || prevType == "MapStateStarted":
		r.Parent = prev // the first state of a branch or an iteration
	case prev != nil:
		r.Parent = prev.Parent // the state after a sibling
	}
	if r.Type == "Fail" {
		r.Status = stateFailed
	}
	return r
}

// task applies a task event (or any other event inside a state) to r.
func task(r *stateRun, e sfntypes.HistoryEvent, ts time.Time) {
	switch e.Type {
	case sfntypes.HistoryEventTypeTaskScheduled:
		d := e.TaskScheduledEventDetails
		r.setStatus(stateRunning, ts)
		r.Error, r.Cause, r.Closed = "", "", time.Time{}
		if r.Scheduled.IsZero() {
			r.Scheduled = ts
		}
		if d != nil {
			r.Resource = aws.ToString(d.ResourceType) + ":" + aws.ToString(d.Resource)
		}
	case sfntypes.HistoryEventTypeTaskSubmitted:
		if r.waitsForCallback() {
			r.setStatus(stateWaiting, ts)
		}
	case sfntypes.HistoryEventTypeTaskSucceeded:
		r.setStatus(stateSucceeded, ts)
		r.Closed = ts
	default:
		if name, cause, status, failed := failureOf(e); failed {
			r.setStatus(status, ts)
			r.Error, r.Cause, r.Closed = name, cause, ts
		}
	}
}

// failureOf reports whether e is a failure inside a state, with its error,
// cause and the status it leaves the state in.
func failureOf(e sfntypes.HistoryEvent) (name, cause, status string, failed bool) {
	pick := func(errName, c *string, st string) (string, string, string, bool) {
		return aws.ToString(errName), aws.ToString(c), st, true
	}
	switch {
	case e.TaskFailedEventDetails != nil:
		return pick(e.TaskFailedEventDetails.Error, e.TaskFailedEventDetails.Cause, stateFailed)
	case e.TaskTimedOutEventDetails != nil:
		return pick(e.TaskTimedOutEventDetails.Error, e.TaskTimedOutEventDetails.Cause, stateTimedOut)
	case e.TaskStartFailedEventDetails != nil:
		return pick(e.TaskStartFailedEventDetails.Error, e.TaskStartFailedEventDetails.Cause, stateFailed)
	case e.TaskSubmitFailedEventDetails != nil:
		return pick(e.TaskSubmitFailedEventDetails.Error, e.TaskSubmitFailedEventDetails.Cause, stateFailed)
	case e.LambdaFunctionFailedEventDetails != nil:
		return pick(e.LambdaFunctionFailedEventDetails.Error, e.LambdaFunctionFailedEventDetails.Cause, stateFailed)
	case e.LambdaFunctionTimedOutEventDetails != nil:
		return pick(e.LambdaFunctionTimedOutEventDetails.Error, e.LambdaFunctionTimedOutEventDetails.Cause, stateTimedOut)
	case e.ActivityFailedEventDetails != nil:
		return pick(e.ActivityFailedEventDetails.Error, e.ActivityFailedEventDetails.Cause, stateFailed)
	case e.ActivityTimedOutEventDetails != nil:
		return pick(e.ActivityTimedOutEventDetails.Error, e.ActivityTimedOutEventDetails.Cause, stateTimedOut)
	case e.EvaluationFailedEventDetails != nil:
		return pick(e.EvaluationFailedEventDetails.Error, e.EvaluationFailedEventDetails.Cause, stateFailed)
	}
	return "", "", "", false
}

func exitedName(e sfntypes.HistoryEvent) string {
	if e.StateExitedEventDetails == nil {
		return ""
	}
	return aws.ToString(e.StateExitedEventDetails.Name)
}

// lastOpen is the latest open run of the named state.
func lastOpen(runs []*stateRun, name string) *stateRun {
	for i := len(runs) - 1; i >= 0; i-- {
		if runs[i].Name == name && runs[i].open() {
			return runs[i]
		}
	}
	return nil
}
