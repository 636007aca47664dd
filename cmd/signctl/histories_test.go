package main

import (
	"encoding/json"

	"github.com/aws/aws-sdk-go-v2/aws"
	sfntypes "github.com/aws/aws-sdk-go-v2/service/sfn/types"
)

// historyBuilder writes execution histories the way Step Functions does.
type historyBuilder struct{ events []sfntypes.HistoryEvent }

func (h *historyBuilder) add(prev int64, sec float64, typ sfntypes.HistoryEventType, set func(*sfntypes.HistoryEvent)) int64 {
	e := sfntypes.HistoryEvent{Id: int64(len(h.events) + 1), PreviousEventId: prev, Timestamp: aws.Time(at(sec)), Type: typ}
	if set != nil {
		set(&e)
	}
	h.events = append(h.events, e)
	return e.Id
}

func (h *historyBuilder) entered(prev int64, sec float64, typ sfntypes.HistoryEventType, name string) int64 {
	return h.add(prev, sec, typ, func(e *sfntypes.HistoryEvent) {
		e.StateEnteredEventDetails = &sfntypes.StateEnteredEventDetails{Name: aws.String(name)}
	})
}

func (h *historyBuilder) exited(prev int64, sec float64, typ sfntypes.HistoryEventType, name string) int64 {
	return h.add(prev, sec, typ, func(e *sfntypes.HistoryEvent) {
		e.StateExitedEventDetails = &sfntypes.StateExitedEventDetails{Name: aws.String(name)}
	})
}

// scheduled is a lambda:invoke TaskScheduled for signer; a callback task
// carries the task token in its parameters, as in AWS.
func (h *historyBuilder) scheduled(prev int64, sec float64, signer string, callback bool) int64 {
	resource, payload := "invoke", map[string]any{"documentId": "3", "signer": signer}
	if callback {
		resource, payload["taskToken"] = "invoke.waitForTaskToken", testToken
	}
	params, _ := json.Marshal(map[string]any{"FunctionName": "arn:aws:lambda:us-east-1:000000000000:function:F", "Payload": payload})
	return h.add(prev, sec, sfntypes.HistoryEventTypeTaskScheduled, func(e *sfntypes.HistoryEvent) {
		e.TaskScheduledEventDetails = &sfntypes.TaskScheduledEventDetails{
			ResourceType: aws.String("lambda"), Resource: aws.String(resource),
			Region: aws.String("us-east-1"), Parameters: aws.String(string(params)),
		}
	})
}

func (h *historyBuilder) taskFailed(prev int64, sec float64, errName, cause string) int64 {
	return h.add(prev, sec, sfntypes.HistoryEventTypeTaskFailed, func(e *sfntypes.HistoryEvent) {
		e.TaskFailedEventDetails = &sfntypes.TaskFailedEventDetails{Error: aws.String(errName), Cause: aws.String(cause)}
	})
}

// Event ids of signingHistory's steps.
type signingSteps struct{ aliceScheduled, bobScheduled, aliceDone, bobSubmitted int64 }

// tasksScheduled is a run of the project's state machine up to both
// signers' tasks scheduled (at 0.2s).
func tasksScheduled() (*historyBuilder, signingSteps) {
	h := &historyBuilder{}
	start := h.add(0, 0, sfntypes.HistoryEventTypeExecutionStarted, nil)
	par := h.entered(start, 0, sfntypes.HistoryEventTypeParallelStateEntered, "Collect signatures")
	started := h.add(par, 0, sfntypes.HistoryEventTypeParallelStateStarted, nil)
	alice := h.entered(started, 0.1, sfntypes.HistoryEventTypeTaskStateEntered, "Sign as Alice")
	bob := h.entered(started, 0.1, sfntypes.HistoryEventTypeTaskStateEntered, "Wait for Bob to sign")
	return h, signingSteps{aliceScheduled: h.scheduled(alice, 0.2, "Alice", false), bobScheduled: h.scheduled(bob, 0.2, "Bob", true)}
}

// signingHistory continues tasksScheduled up to Alice signed (at 1s) and
// Bob's request stored (at 2s): Bob's task waits for its callback.
func signingHistory() (*historyBuilder, signingSteps) {
	h, s := tasksScheduled()
	aliceStarted := h.add(s.aliceScheduled, 0.3, sfntypes.HistoryEventTypeTaskStarted, nil)
	bobStarted := h.add(s.bobScheduled, 0.3, sfntypes.HistoryEventTypeTaskStarted, nil)
	aliceOK := h.add(aliceStarted, 1, sfntypes.HistoryEventTypeTaskSucceeded, nil)
	s.aliceDone = h.exited(aliceOK, 1, sfntypes.HistoryEventTypeTaskStateExited, "Sign as Alice")
	s.bobSubmitted = h.add(bobStarted, 2, sfntypes.HistoryEventTypeTaskSubmitted, nil)
	return h, s
}

// signedHistory continues signingHistory: Bob signs at 30s, the run succeeds.
func signedHistory() []sfntypes.HistoryEvent {
	h, s := signingHistory()
	ok := h.add(s.bobSubmitted, 30, sfntypes.HistoryEventTypeTaskSucceeded, nil)
	exit := h.exited(ok, 30, sfntypes.HistoryEventTypeTaskStateExited, "Wait for Bob to sign")
	parOK := h.add(exit, 30, sfntypes.HistoryEventTypeParallelStateSucceeded, nil)
	parExit := h.exited(parOK, 30, sfntypes.HistoryEventTypeParallelStateExited, "Collect signatures")
	h.add(parExit, 30, sfntypes.HistoryEventTypeExecutionSucceeded, nil)
	return h.events
}

// declinedHistory continues signingHistory: Bob declines at 40s.
func declinedHistory() []sfntypes.HistoryEvent {
	h, s := signingHistory()
	failed := h.taskFailed(s.bobSubmitted, 40, errorDeclined, "wrong amount")
	parFailed := h.add(failed, 40, sfntypes.HistoryEventTypeParallelStateFailed, nil)
	h.add(parFailed, 40, sfntypes.HistoryEventTypeExecutionFailed, nil)
	return h.events
}

// timedOutHistory continues signingHistory: the run times out at 60s.
func timedOutHistory() []sfntypes.HistoryEvent {
	h, _ := signingHistory()
	h.add(0, 60, sfntypes.HistoryEventTypeExecutionTimedOut, nil)
	return h.events
}

// signingDefinition is the project's state machine shape (ASL).
const signingDefinition = `{"StartAt":"Collect signatures","States":{"Collect signatures":{"Type":"Parallel","End":true,
 "Branches":[
  {"StartAt":"Sign as Alice","States":{"Sign as Alice":{"Type":"Task","Resource":"arn:aws:states:::lambda:invoke","End":true}}},
  {"StartAt":"Wait for Bob to sign","States":{"Wait for Bob to sign":{"Type":"Task","Resource":"arn:aws:states:::lambda:invoke.waitForTaskToken","End":true}}}]}}}`
