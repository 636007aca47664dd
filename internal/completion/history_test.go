package completion

import (
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws"
	sfntypes "github.com/aws/aws-sdk-go-v2/service/sfn/types"

	"github.com/hitl-go/docsign/internal/contract"
	"github.com/hitl-go/docsign/internal/tokenstore"
)

func TestTaskOutcome(t *testing.T) {
	ev := func(id, prev int64, typ sfntypes.HistoryEventType) sfntypes.HistoryEvent {
		return sfntypes.HistoryEvent{Id: id, PreviousEventId: prev, Type: typ}
	}
	scheduled := func(id, prev int64, tok, signer string) sfntypes.HistoryEvent {
		e := ev(id, prev, sfntypes.HistoryEventTypeTaskScheduled)
		e.TaskScheduledEventDetails = &sfntypes.TaskScheduledEventDetails{
			Parameters: aws.String(`{"Payload":{"taskToken":` + quote(tok) + `,"documentId":"3","signer":"` + signer + `"}}`)}
		return e
	}
	failed := func(id, prev int64, name, cause string) sfntypes.HistoryEvent {
		e := ev(id, prev, sfntypes.HistoryEventTypeTaskFailed)
		e.TaskFailedEventDetails = &sfntypes.TaskFailedEventDetails{Error: aws.String(name), Cause: aws.String(cause)}
		return e
	}
	succeeded := func(id, prev int64, output string) sfntypes.HistoryEvent {
		e := ev(id, prev, sfntypes.HistoryEventTypeTaskSucceeded)
		e.TaskSucceededEventDetails = &sfntypes.TaskSucceededEventDetails{Output: aws.String(output)}
		return e
	}
	bobSignature := `{"signer":"Bob","statement":{"documentId":"3","signer":"Bob"},"jws":"h.p.s"}`
	tests := []struct {
		name   string
		events []sfntypes.HistoryEvent
		want   contract.Status // "" = no outcome in the history
	}{
		{"our task succeeded", []sfntypes.HistoryEvent{
			scheduled(2, 1, token, "Bob"), ev(3, 2, sfntypes.HistoryEventTypeTaskStarted), ev(4, 3, sfntypes.HistoryEventTypeTaskSubmitted),
			succeeded(5, 4, `{"anything":1}`)}, contract.StatusSigned},
		{"our task declined", []sfntypes.HistoryEvent{
			scheduled(2, 1, token, "Bob"), ev(3, 2, sfntypes.HistoryEventTypeTaskStarted), failed(4, 3, "SignatureDeclined", "no")}, contract.StatusDeclined},
		{"another callback signer declined; our task was aborted", []sfntypes.HistoryEvent{
			scheduled(3, 1, token, "Bob"), scheduled(4, 2, "carol-token", "Carol"),
			ev(5, 3, sfntypes.HistoryEventTypeTaskStarted), ev(6, 4, sfntypes.HistoryEventTypeTaskStarted),
			failed(7, 6, "SignatureDeclined", "Carol says no"), ev(8, 7, sfntypes.HistoryEventTypeExecutionFailed)}, ""},
		{"our attempt failed and was retried with a new token", []sfntypes.HistoryEvent{
			scheduled(2, 1, token, "Bob"), failed(3, 2, "Lambda.ServiceException", ""),
			scheduled(4, 3, "retry-token", "Bob"), succeeded(5, 4, `{}`)}, contract.StatusExpired},
		{"our task timed out", []sfntypes.HistoryEvent{
			scheduled(2, 1, token, "Bob"), ev(3, 2, sfntypes.HistoryEventTypeTaskTimedOut)}, contract.StatusExpired},
		{"no parameters, our signature in a TaskSucceeded", []sfntypes.HistoryEvent{
			ev(2, 1, sfntypes.HistoryEventTypeTaskScheduled), succeeded(3, 2, bobSignature)}, contract.StatusSigned},
		{"no parameters, another signer's signature", []sfntypes.HistoryEvent{
			ev(2, 1, sfntypes.HistoryEventTypeTaskScheduled),
			succeeded(3, 2, `{"signer":"Alice","statement":{"documentId":"3","signer":"Alice"},"jws":"h.p.s"}`)}, ""},
		{"still waiting", []sfntypes.HistoryEvent{scheduled(2, 1, token, "Bob"), ev(3, 2, sfntypes.HistoryEventTypeTaskStarted)}, ""},
	}
	req := *pendingRequest()
	for _, tt := range tests {
		got, ok := taskOutcome(tt.events, req, t0)
		if got.Status != tt.want || ok != (tt.want != "") {
			t.Errorf("%s: taskOutcome = %+v, %t; want status %q", tt.name, got, ok, tt.want)
		}
		if tt.name == "no parameters, our signature in a TaskSucceeded" && got.JWS != "h.p.s" {
			t.Errorf("%s: JWS %q, want the envelope's, to record", tt.name, got.JWS)
		}
		if got.Status == contract.StatusDeclined && got.Reason != "no" {
			t.Errorf("%s: reason %q, want the failure's cause", tt.name, got.Reason)
		}
	}
}

func TestSignatureIn(t *testing.T) {
	key := tokenstore.Key{DocumentID: "3", Signer: "Bob"}
	output := `{"documentId":"3","signatures":[{"signer":"Alice","statement":{"documentId":"3","signer":"Alice"},"jws":"a.b.c"},` +
		`{"signer":"Bob","statement":{"documentId":"3","signer":"Bob"},"jws":"d.e.f"}]}`
	tests := []struct {
		output *string
		want   string
	}{
		{aws.String(output), "d.e.f"},
		{aws.String(`{"signatures":[]}`), ""},
		{aws.String(`not json`), ""},
		{nil, ""},
	}
	for _, tt := range tests {
		if got := signatureIn(tt.output, key); got != tt.want {
			t.Errorf("signatureIn(%v) = %q, want %q", aws.ToString(tt.output), got, tt.want)
		}
	}
}
