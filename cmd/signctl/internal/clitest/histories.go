package clitest

import (
	"encoding/json"

	"github.com/aws/aws-sdk-go-v2/aws"
	sfntypes "github.com/aws/aws-sdk-go-v2/service/sfn/types"

	"github.com/hitl-go/docsign/internal/contract"
)

// HistoryBuilder writes execution Histories the way Step Functions does.
type HistoryBuilder struct{ Events []sfntypes.HistoryEvent }

func (h *HistoryBuilder) Add(prev int64, sec float64, typ sfntypes.HistoryEventType, set func(*sfntypes.HistoryEvent)) int64 {
	e := sfntypes.HistoryEvent{Id: int64(len(h.Events) + 1), PreviousEventId: prev, Timestamp: aws.Time(At(sec)), Type: typ}
	if set != nil {
		set(&e)
	}
	h.Events = append(h.Events, e)
	return e.Id
}

func (h *HistoryBuilder) Entered(prev int64, sec float64, typ sfntypes.HistoryEventType, name string) int64 {
	return h.Add(prev, sec, typ, func(e *sfntypes.HistoryEvent) {
		e.StateEnteredEventDetails = &sfntypes.StateEnteredEventDetails{Name: aws.String(name)}
	})
}

func (h *HistoryBuilder) Exited(prev int64, sec float64, typ sfntypes.HistoryEventType, name string) int64 {
	return h.Add(prev, sec, typ, func(e *sfntypes.HistoryEvent) {
		e.StateExitedEventDetails = &sfntypes.StateExitedEventDetails{Name: aws.String(name)}
	})
}

// Scheduled is a lambda:invoke TaskScheduled for signer; a callback task
// carries the task token in its parameters, as in AWS.
func (h *HistoryBuilder) Scheduled(prev int64, sec float64, signer string, callback bool) int64 {
	resource, Payload := "invoke", map[string]any{"documentId": "3", "signer": signer}
	if callback {
		resource, Payload["taskToken"] = "invoke.waitForTaskToken", Token
	}
	params, _ := json.Marshal(map[string]any{"FunctionName": "arn:aws:lambda:us-east-1:000000000000:function:F", "Payload": Payload})
	return h.Add(prev, sec, sfntypes.HistoryEventTypeTaskScheduled, func(e *sfntypes.HistoryEvent) {
		e.TaskScheduledEventDetails = &sfntypes.TaskScheduledEventDetails{
			ResourceType: aws.String("lambda"), Resource: aws.String(resource),
			Region: aws.String("us-east-1"), Parameters: aws.String(string(params)),
		}
	})
}

func (h *HistoryBuilder) TaskFailed(prev int64, sec float64, errName, cause string) int64 {
	return h.Add(prev, sec, sfntypes.HistoryEventTypeTaskFailed, func(e *sfntypes.HistoryEvent) {
		e.TaskFailedEventDetails = &sfntypes.TaskFailedEventDetails{Error: aws.String(errName), Cause: aws.String(cause)}
	})
}

// Event ids of SigningHistory's steps.
type SigningSteps struct{ AliceScheduled, BobScheduled, AliceDone, BobSubmitted int64 }

// TasksScheduled is a run of the project's state machine up to both
// signers' tasks Scheduled (At 0.2s).
func TasksScheduled() (*HistoryBuilder, SigningSteps) {
	h := &HistoryBuilder{}
	start := h.Add(0, 0, sfntypes.HistoryEventTypeExecutionStarted, nil)
	par := h.Entered(start, 0, sfntypes.HistoryEventTypeParallelStateEntered, "Collect signatures")
	Started := h.Add(par, 0, sfntypes.HistoryEventTypeParallelStateStarted, nil)
	alice := h.Entered(Started, 0.1, sfntypes.HistoryEventTypeTaskStateEntered, "Sign as Alice")
	bob := h.Entered(Started, 0.1, sfntypes.HistoryEventTypeTaskStateEntered, "Wait for Bob to sign")
	return h, SigningSteps{AliceScheduled: h.Scheduled(alice, 0.2, "Alice", false), BobScheduled: h.Scheduled(bob, 0.2, "Bob", true)}
}

// SigningHistory continues TasksScheduled up to Alice signed (At 1s) and
// Bob's request stored (At 2s): Bob's task waits for its callback.
func SigningHistory() (*HistoryBuilder, SigningSteps) {
	h, s := TasksScheduled()
	aliceStarted := h.Add(s.AliceScheduled, 0.3, sfntypes.HistoryEventTypeTaskStarted, nil)
	bobStarted := h.Add(s.BobScheduled, 0.3, sfntypes.HistoryEventTypeTaskStarted, nil)
	aliceOK := h.Add(aliceStarted, 1, sfntypes.HistoryEventTypeTaskSucceeded, nil)
	s.AliceDone = h.Exited(aliceOK, 1, sfntypes.HistoryEventTypeTaskStateExited, "Sign as Alice")
	s.BobSubmitted = h.Add(bobStarted, 2, sfntypes.HistoryEventTypeTaskSubmitted, nil)
	return h, s
}

// SignedHistory continues SigningHistory: Bob signs At 30s, the run succeeds.
func SignedHistory() []sfntypes.HistoryEvent {
	h, s := SigningHistory()
	ok := h.Add(s.BobSubmitted, 30, sfntypes.HistoryEventTypeTaskSucceeded, nil)
	exit := h.Exited(ok, 30, sfntypes.HistoryEventTypeTaskStateExited, "Wait for Bob to sign")
	parOK := h.Add(exit, 30, sfntypes.HistoryEventTypeParallelStateSucceeded, nil)
	parExit := h.Exited(parOK, 30, sfntypes.HistoryEventTypeParallelStateExited, "Collect signatures")
	h.Add(parExit, 30, sfntypes.HistoryEventTypeExecutionSucceeded, nil)
	return h.Events
}

// DeclinedHistory continues SigningHistory: Bob declines At 40s.
func DeclinedHistory() []sfntypes.HistoryEvent {
	h, s := SigningHistory()
	failed := h.TaskFailed(s.BobSubmitted, 40, contract.ErrorSignatureDeclined, "wrong amount")
	parFailed := h.Add(failed, 40, sfntypes.HistoryEventTypeParallelStateFailed, nil)
	h.Add(parFailed, 40, sfntypes.HistoryEventTypeExecutionFailed, nil)
	return h.Events
}

// TimedOutHistory continues SigningHistory: the run times out At 60s.
func TimedOutHistory() []sfntypes.HistoryEvent {
	h, _ := SigningHistory()
	h.Add(0, 60, sfntypes.HistoryEventTypeExecutionTimedOut, nil)
	return h.Events
}

// SigningDefinition is the project's state machine shape (ASL).
const SigningDefinition = `{"StartAt":"Collect signatures","States":{"Collect signatures":{"Type":"Parallel","End":true,
 "Branches":[
  {"StartAt":"Sign as Alice","States":{"Sign as Alice":{"Type":"Task","Resource":"arn:aws:states:::lambda:invoke","End":true}}},
  {"StartAt":"Wait for Bob to sign","States":{"Wait for Bob to sign":{"Type":"Task","Resource":"arn:aws:states:::lambda:invoke.waitForTaskToken","End":true}}}]}}}`
