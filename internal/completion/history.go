package completion

import (
	"encoding/json"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	sfntypes "github.com/aws/aws-sdk-go-v2/service/sfn/types"

	"github.com/hitl-go/docsign/internal/contract"
	"github.com/hitl-go/docsign/internal/signature"
	"github.com/hitl-go/docsign/internal/tokenstore"
)

// taskOutcome reads from an execution's history how the task that issued
// req's token closed. It finds the TaskScheduled event whose parameters carry
// the token and follows the events that descend from it (PreviousEventId) to
// the closing one. Without such an event, a TaskSucceeded event whose output
// is this signer's signature of this document also counts as signed.
func taskOutcome(events []sfntypes.HistoryEvent, req tokenstore.Request, now time.Time) (tokenstore.Outcome, bool) {
	ours := map[int64]bool{}
	for _, e := range events {
		switch {
		case e.Type == sfntypes.HistoryEventTypeTaskScheduled && e.TaskScheduledEventDetails != nil &&
			holdsToken(e.TaskScheduledEventDetails.Parameters, req.TaskToken):
			ours[e.Id] = true
		case ours[e.PreviousEventId]:
			if o, closed := closedBy(e, now); closed {
				return o, true
			}
			ours[e.Id] = true
		}
	}
	for _, e := range events {
		if e.Type == sfntypes.HistoryEventTypeTaskSucceeded && e.TaskSucceededEventDetails != nil &&
			isSignatureOf(e.TaskSucceededEventDetails.Output, req.Key) {
			return signedAt(e, now), true
		}
	}
	return tokenstore.Outcome{}, false
}

// closedBy reports whether e closes a task, and with what outcome (at the
// event's time, else now).
func closedBy(e sfntypes.HistoryEvent, now time.Time) (tokenstore.Outcome, bool) {
	at := timeOr(e.Timestamp, now)
	switch e.Type {
	case sfntypes.HistoryEventTypeTaskSucceeded:
		return signedAt(e, now), true
	case sfntypes.HistoryEventTypeTaskFailed:
		d := e.TaskFailedEventDetails
		if d != nil && d.Error != nil && *d.Error == contract.ErrorSignatureDeclined {
			o := tokenstore.Outcome{Status: contract.StatusDeclined, Decision: contract.DecisionDecline, At: at}
			if d.Cause != nil {
				o.Reason = *d.Cause
			}
			return o, true
		}
		return tokenstore.Outcome{Status: contract.StatusExpired, At: at}, true
	case sfntypes.HistoryEventTypeTaskTimedOut, sfntypes.HistoryEventTypeTaskStartFailed,
		sfntypes.HistoryEventTypeTaskSubmitFailed:
		return tokenstore.Outcome{Status: contract.StatusExpired, At: at}, true
	}
	return tokenstore.Outcome{}, false
}

// signedAt is the SIGNED outcome of a TaskSucceeded event, with the
// signature its output carries.
func signedAt(e sfntypes.HistoryEvent, now time.Time) tokenstore.Outcome {
	o := tokenstore.Outcome{Status: contract.StatusSigned, Decision: contract.DecisionSign, At: timeOr(e.Timestamp, now)}
	if d := e.TaskSucceededEventDetails; d != nil {
		o.JWS = envelopeOf(d.Output).JWS
	}
	return o
}

// holdsToken reports whether the JSON parameters contain token as a string
// value anywhere (lambda:invoke puts it under Payload).
func holdsToken(parameters *string, token string) bool {
	if parameters == nil || token == "" {
		return false
	}
	var v any
	if json.Unmarshal([]byte(*parameters), &v) != nil {
		return false
	}
	return containsString(v, token)
}

func containsString(v any, s string) bool {
	switch v := v.(type) {
	case string:
		return v == s
	case map[string]any:
		for _, e := range v {
			if containsString(e, s) {
				return true
			}
		}
	case []any:
		for _, e := range v {
			if containsString(e, s) {
				return true
			}
		}
	}
	return false
}

func isSignatureOf(output *string, k tokenstore.Key) bool {
	env := envelopeOf(output)
	return env.Statement.DocumentID == k.DocumentID && env.Signer == k.Signer && env.JWS != ""
}

// envelopeOf decodes a task output holding a signature's envelope; any
// other output gives the zero Envelope.
func envelopeOf(output *string) signature.Envelope {
	var env signature.Envelope
	if output == nil || json.Unmarshal([]byte(*output), &env) != nil {
		return signature.Envelope{}
	}
	return env
}

func timeOr(t *time.Time, fallback time.Time) time.Time {
	if t == nil {
		return fallback
	}
	return *t
}

// stateExited reports whether the state named name has exited in events.
func stateExited(events []sfntypes.HistoryEvent, name string) bool {
	for _, e := range events {
		if d := e.StateExitedEventDetails; d != nil && aws.ToString(d.Name) == name {
			return true
		}
	}
	return false
}

// signatureIn returns the JWS of k's signature in a SUCCEEDED run's output
// ({"signatures":[envelopes]}), or "" when the output holds none.
func signatureIn(output *string, k tokenstore.Key) string {
	var out struct{ Signatures []signature.Envelope }
	if output == nil || json.Unmarshal([]byte(*output), &out) != nil {
		return ""
	}
	for _, env := range out.Signatures {
		if env.Signer == k.Signer && env.Statement.DocumentID == k.DocumentID {
			return env.JWS
		}
	}
	return ""
}
