package inspect

import (
	"fmt"
	"strings"
	"testing"
	"time"

	sfntypes "github.com/aws/aws-sdk-go-v2/service/sfn/types"
	"github.com/hitl-go/docsign/cmd/signctl/internal/clitest"
)

// runLine summarises a state run for comparison: "name type status parent".
func runLine(r *stateRun) string {
	parent := "-"
	if r.Parent != nil {
		parent = r.Parent.Name
	}
	s := fmt.Sprintf("%s|%s|%s|%s", r.Name, r.Type, r.Status, parent)
	if r.Error != "" {
		s += "|" + r.Error
	}
	if r.Note != "" {
		s += "|note=" + r.Note
	}
	return s
}

func TestReadHistory(t *testing.T) {
	running, _ := clitest.SigningHistory()
	tests := []struct {
		name   string
		events []sfntypes.HistoryEvent
		status sfntypes.ExecutionStatus
		stop   float64
		want   []string
	}{
		{"waiting for Bob", running.Events, sfntypes.ExecutionStatusRunning, 0, []string{
			"Collect signatures|Parallel|RUNNING|-",
			"Sign as Alice|Task|SUCCEEDED|Collect signatures",
			"Wait for Bob to sign|Task|WAITING|Collect signatures",
		}},
		{"signed", clitest.SignedHistory(), sfntypes.ExecutionStatusSucceeded, 30, []string{
			"Collect signatures|Parallel|SUCCEEDED|-",
			"Sign as Alice|Task|SUCCEEDED|Collect signatures",
			"Wait for Bob to sign|Task|SUCCEEDED|Collect signatures",
		}},
		{"declined", clitest.DeclinedHistory(), sfntypes.ExecutionStatusFailed, 40, []string{
			"Collect signatures|Parallel|FAILED|-|SignatureDeclined",
			"Sign as Alice|Task|SUCCEEDED|Collect signatures",
			"Wait for Bob to sign|Task|FAILED|Collect signatures|SignatureDeclined",
		}},
		// Only the run timed out: its Parallel was stopped by that, the
		// callback task's wait ended with it.
		{"timed out", clitest.TimedOutHistory(), sfntypes.ExecutionStatusTimedOut, 60, []string{
			"Collect signatures|Parallel|ABORTED|-|note=run timed out",
			"Sign as Alice|Task|SUCCEEDED|Collect signatures",
			"Wait for Bob to sign|Task|TIMED_OUT|Collect signatures",
		}},
		{"aborted", running.Events, sfntypes.ExecutionStatusAborted, 50, []string{
			"Collect signatures|Parallel|ABORTED|-",
			"Sign as Alice|Task|SUCCEEDED|Collect signatures",
			"Wait for Bob to sign|Task|ABORTED|Collect signatures",
		}},
		{"Alice fails while Bob waits", aliceFailsHistory(), sfntypes.ExecutionStatusFailed, 5, []string{
			"Collect signatures|Parallel|FAILED|-|States.TaskFailed",
			"Sign as Alice|Task|FAILED|Collect signatures|States.TaskFailed",
			"Wait for Bob to sign|Task|ABORTED|Collect signatures",
		}},
		{"retried, then caught, then the next state", retryCatchHistory(), sfntypes.ExecutionStatusSucceeded, 9, []string{
			"Try|Task|CAUGHT|-|Boom",
			"Recover|Pass|SUCCEEDED|-",
		}},
		{"nested Parallel, the run timed out", nestedHistory(), sfntypes.ExecutionStatusTimedOut, 60, []string{
			"Outer|Parallel|ABORTED|-|note=run timed out",
			"Inner|Parallel|SUCCEEDED|Outer",
			"Deep|Pass|SUCCEEDED|Inner",
			"After inner|Task|TIMED_OUT|Outer",
		}},
		{"nested Parallel", nestedHistory(), sfntypes.ExecutionStatusRunning, 0, []string{
			"Outer|Parallel|RUNNING|-",
			"Inner|Parallel|SUCCEEDED|Outer",
			"Deep|Pass|SUCCEEDED|Inner",
			"After inner|Task|RUNNING|Outer",
		}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			runs := readHistory(tt.events)
			finishRuns(runs, tt.status, clitest.At(tt.stop))
			var got []string
			for _, r := range runs {
				got = append(got, runLine(r))
			}
			if strings.Join(got, "\n") != strings.Join(tt.want, "\n") {
				t.Errorf("runs:\n got %q\nwant %q", got, tt.want)
			}
		})
	}
}

func TestReadHistoryTimes(t *testing.T) {
	runs := readHistory(clitest.DeclinedHistory())
	finishRuns(runs, sfntypes.ExecutionStatusFailed, clitest.At(40))
	bob := runs[2]
	for _, c := range []struct {
		name      string
		got, want time.Time
	}{
		{"entered", bob.Entered, clitest.At(0.1)},
		{"scheduled", bob.Scheduled, clitest.At(0.2)},
		{"closed", bob.Closed, clitest.At(40)},
		{"changed", bob.Changed, clitest.At(40)},
	} {
		if !c.got.Equal(c.want) {
			t.Errorf("Bob's run %s = %v, want %v", c.name, c.got, c.want)
		}
	}
	if got, want := bob.Signer, "Bob"; got != want {
		t.Errorf("signer = %q, want %q", got, want)
	}
	if got, want := bob.Resource, "lambda:invoke.waitForTaskToken"; got != want {
		t.Errorf("resource = %q, want %q", got, want)
	}
	if got, want := bob.Cause, "wrong amount"; got != want {
		t.Errorf("cause = %q, want %q", got, want)
	}
}

// aliceFailsHistory: Alice's Lambda fails at 5s while Bob waits; Step
// Functions aborts Bob's task (TaskStateAborted follows the failure).
func aliceFailsHistory() []sfntypes.HistoryEvent {
	h, s := clitest.TasksScheduled()
	h.Add(s.BobScheduled, 1, sfntypes.HistoryEventTypeTaskSubmitted, nil)
	failed := h.TaskFailed(s.AliceScheduled, 5, "States.TaskFailed", "boom")
	h.Add(failed, 5, sfntypes.HistoryEventTypeTaskStateAborted, nil)
	parFailed := h.Add(failed, 5, sfntypes.HistoryEventTypeParallelStateFailed, nil)
	h.Add(parFailed, 5, sfntypes.HistoryEventTypeExecutionFailed, nil)
	return h.Events
}

// retryCatchHistory: a task fails, is retried, fails again, is caught and
// the run goes on to a Pass state.
func retryCatchHistory() []sfntypes.HistoryEvent {
	h := &clitest.HistoryBuilder{}
	start := h.Add(0, 0, sfntypes.HistoryEventTypeExecutionStarted, nil)
	try := h.Entered(start, 0, sfntypes.HistoryEventTypeTaskStateEntered, "Try")
	s1 := h.Scheduled(try, 0, "Alice", false)
	f1 := h.TaskFailed(s1, 1, "Boom", "first")
	s2 := h.Scheduled(f1, 3, "Alice", false)
	f2 := h.TaskFailed(s2, 4, "Boom", "second")
	exit := h.Exited(f2, 4, sfntypes.HistoryEventTypeTaskStateExited, "Try")
	rec := h.Entered(exit, 4, sfntypes.HistoryEventTypePassStateEntered, "Recover")
	recExit := h.Exited(rec, 4, sfntypes.HistoryEventTypePassStateExited, "Recover")
	h.Add(recExit, 9, sfntypes.HistoryEventTypeExecutionSucceeded, nil)
	return h.Events
}

// nestedHistory: a Parallel inside a Parallel; the inner one finished and
// the branch moved on to a task.
func nestedHistory() []sfntypes.HistoryEvent {
	h := &clitest.HistoryBuilder{}
	start := h.Add(0, 0, sfntypes.HistoryEventTypeExecutionStarted, nil)
	outer := h.Entered(start, 0, sfntypes.HistoryEventTypeParallelStateEntered, "Outer")
	outerStarted := h.Add(outer, 0, sfntypes.HistoryEventTypeParallelStateStarted, nil)
	inner := h.Entered(outerStarted, 0, sfntypes.HistoryEventTypeParallelStateEntered, "Inner")
	innerStarted := h.Add(inner, 0, sfntypes.HistoryEventTypeParallelStateStarted, nil)
	deep := h.Entered(innerStarted, 0, sfntypes.HistoryEventTypePassStateEntered, "Deep")
	deepExit := h.Exited(deep, 1, sfntypes.HistoryEventTypePassStateExited, "Deep")
	innerOK := h.Add(deepExit, 1, sfntypes.HistoryEventTypeParallelStateSucceeded, nil)
	innerExit := h.Exited(innerOK, 1, sfntypes.HistoryEventTypeParallelStateExited, "Inner")
	after := h.Entered(innerExit, 1, sfntypes.HistoryEventTypeTaskStateEntered, "After inner")
	h.Scheduled(after, 1, "Alice", false)
	return h.Events
}

// TestSignerFromStateName: the history is read without execution data,
// so a task's signer comes from its state's name, not its parameters.
func TestSignerFromStateName(t *testing.T) {
	tests := []struct{ state, want string }{
		{"Sign as Alice", "Alice"},
		{"Wait for Bob to sign", "Bob"},
		{"Wait for Dr. Ada Lovelace to sign", "Dr. Ada Lovelace"},
		{"Collect signatures", ""},
		{"Try", ""},
	}
	for _, tt := range tests {
		h := &clitest.HistoryBuilder{}
		start := h.Add(0, 0, sfntypes.HistoryEventTypeExecutionStarted, nil)
		h.Entered(start, 0, sfntypes.HistoryEventTypeTaskStateEntered, tt.state)
		if got := readHistory(h.Events)[0].Signer; got != tt.want {
			t.Errorf("signer of state %q = %q, want %q", tt.state, got, tt.want)
		}
	}
}
