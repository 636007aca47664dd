package inspect

import (
	"time"

	sfntypes "github.com/aws/aws-sdk-go-v2/service/sfn/types"
)

// enclosing is r or its nearest ancestor that is a state of type typ still
// going (neither left nor failed).
func enclosing(r *stateRun, typ string) *stateRun {
	for ; r != nil; r = r.Parent {
		if r.Type == typ && r.open() && r.Status != stateFailed {
			return r
		}
	}
	return nil
}

// finishRuns settles the states a finished run (or a failed Parallel) left
// open: tasks timed out with the run, or were stopped; a Parallel or Map
// state open when the run timed out was stopped (ABORTED, noteRunTimedOut),
// as the console shows it. Parents come before their children in runs, so a
// child sees its parent settled.
func finishRuns(runs []*stateRun, execStatus sfntypes.ExecutionStatus, stop time.Time) {
	for _, r := range runs {
		p := r.Parent
		parentStopped := p != nil && (!p.open() || p.Status == stateFailed)
		if !r.open() || (execStatus == sfntypes.ExecutionStatusRunning && !parentStopped) {
			continue
		}
		end, timedOut := stop, execStatus == sfntypes.ExecutionStatusTimedOut
		if parentStopped {
			end, timedOut = firstNonZero(p.Closed, p.Ended, stop), p.Status == stateTimedOut || p.Note == noteRunTimedOut
		}
		switch {
		case r.Type == "Fail" || r.Type == "Succeed":
			end = r.Entered
		case r.Status == stateFailed || r.Status == stateTimedOut:
			end = firstNonZero(r.Closed, end)
		case r.Status != stateRunning && r.Status != stateWaiting:
			// e.g. a task that succeeded just before the run ended
		case timedOut && (r.Type == "Parallel" || r.Type == "Map"):
			r.setStatus(stateAborted, end)
			r.Note = noteRunTimedOut
		case timedOut:
			r.setStatus(stateTimedOut, end)
		default:
			r.setStatus(stateAborted, end)
		}
		if !end.IsZero() {
			r.Ended = end
		}
	}
}
