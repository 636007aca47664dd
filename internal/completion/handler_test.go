package completion

import (
	"encoding/json"
	"errors"
	"fmt"
	"log/slog"
	"os"
	"reflect"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	sfntypes "github.com/aws/aws-sdk-go-v2/service/sfn/types"

	"github.com/hitl-go/docsign/internal/contract"
	"github.com/hitl-go/docsign/internal/fault"
	"github.com/hitl-go/docsign/internal/logtest"
	"github.com/hitl-go/docsign/internal/signature"
	"github.com/hitl-go/docsign/internal/tokenstore"
)

var t0 = time.Date(2026, 11, 22, 12, 0, 0, 0, time.UTC)

const (
	token   = "secret-token/AAAA+BBBB=="
	lease   = 30 * time.Second
	execARN = "arn:aws:states:us-east-1:000000000000:execution:DocumentSigning:3"

	signPayload    = `{"documentId":"3"}`
	declinePayload = `{"documentId":"3","signer":"Bob","decision":"decline","reason":"wrong amount"}`
)

// logs collects every log line of the package's tests; TestMain checks that
// no task token reached it.
var logs logtest.Buffer

func TestMain(m *testing.M) {
	slog.SetDefault(slog.New(slog.NewJSONHandler(&logs, nil)))
	code := m.Run()
	if strings.Contains(logs.String(), "secret-token") {
		fmt.Fprintln(os.Stderr, "FAIL: a task token was logged")
		code = 1
	}
	os.Exit(code)
}

func pendingRequest() *tokenstore.Request {
	return &tokenstore.Request{
		Key:          tokenstore.Key{DocumentID: "3", Signer: "Bob"},
		TaskToken:    token,
		Status:       contract.StatusPending,
		ExecutionARN: execARN,
		Document:     pinned,
		RequestedAt:  t0.Add(-time.Minute),
		ExpiresAt:    t0.Add(time.Hour),
	}
}

// clock is a settable time source.
type clock struct{ now atomic.Int64 }

func (c *clock) set(t time.Time)  { c.now.Store(t.UnixNano()) }
func (c *clock) Now() time.Time   { return time.Unix(0, c.now.Load()).UTC() }
func newClock(t time.Time) *clock { c := &clock{}; c.set(t); return c }

func newTestHandler(store Store, sfn StepFunctions, c *clock) *Handler {
	h := NewHandler(store, sfn, fakeSealer{}, Config{CallbackSigners: []string{"Bob", "Carol"}, Lease: lease})
	h.now = c.Now
	var n atomic.Int64
	h.newClaimID = func() string { return fmt.Sprint("claim-", n.Add(1)) }
	return h
}

// errorType is what aws-lambda-go reports as errorType for a returned error
// (the Go type's name, the pointer's element for a pointer, never unwrapped).
func errorType(err error) string {
	if err == nil {
		return ""
	}
	t := reflect.TypeOf(err)
	if t.Kind() == reflect.Pointer {
		t = t.Elem()
	}
	return t.Name()
}

// call is one invocation at t0+after, and what it must answer.
type call struct {
	after   time.Duration
	payload string
	want    contract.Status // the Result's status, or
	wantErr string          // the errorType
}

func TestHandleScenarios(t *testing.T) {
	expired := func(r *tokenstore.Request) { r.ExpiresAt = t0 }
	expiresSoon := func(r *tokenstore.Request) { r.ExpiresAt = t0.Add(time.Second) }
	completed := func(s contract.Status) func(*tokenstore.Request) {
		return func(r *tokenstore.Request) { r.Status, r.TaskToken, r.CompletedAt = s, "", t0.Add(-time.Second) }
	}
	claimedByOther := func(r *tokenstore.Request) { r.ClaimID, r.ClaimExpiresAt = "other", t0.Add(lease) }
	tests := []struct {
		name       string
		request    func(*tokenstore.Request) // edits the stored request; nil keeps it pending
		noRequest  bool
		sfn        *fakeSFN // nil: a task that accepts the send
		finishErr  error
		calls      []call
		wantStored contract.Status
		wantSends  int
	}{
		{name: "sign", calls: []call{{0, signPayload, contract.StatusSigned, ""}},
			wantStored: contract.StatusSigned, wantSends: 1},
		{name: "decline", calls: []call{{0, declinePayload, contract.StatusDeclined, ""}},
			wantStored: contract.StatusDeclined, wantSends: 1},
		{name: "not found", noRequest: true, calls: []call{{0, signPayload, "", "SignatureRequestNotFound"}}},
		{name: "signed already", request: completed(contract.StatusSigned),
			calls: []call{{0, signPayload, "", "SignatureAlreadyCompleted"}}, wantStored: contract.StatusSigned},
		{name: "declined already, then signed", request: completed(contract.StatusDeclined),
			calls: []call{{0, signPayload, "", "SignatureAlreadyCompleted"}}, wantStored: contract.StatusDeclined},
		{name: "expired already", request: completed(contract.StatusExpired), sfn: &fakeSFN{status: sfntypes.ExecutionStatusFailed},
			calls: []call{{0, signPayload, "", "SignatureRequestExpired"}}, wantStored: contract.StatusExpired},
		{name: "expired already, past expiresAt", request: func(r *tokenstore.Request) { completed(contract.StatusExpired)(r); expired(r) },
			calls: []call{{0, signPayload, "", "SignatureRequestExpired"}}, wantStored: contract.StatusExpired},
		{name: "expired already, the run still runs: it asks again, retry", request: completed(contract.StatusExpired),
			calls: []call{{0, signPayload, "", "SignatureServiceUnavailable"}}, wantStored: contract.StatusExpired},
		// However long the task's retries wait (throttled ones reach minutes),
		// a run whose callback state has not exited will ask again.
		{name: "expired already, the run still runs and its callback state has not exited: retry, however long after",
			request: completed(contract.StatusExpired),
			calls:   []call{{10 * time.Minute, signPayload, "", "SignatureServiceUnavailable"}}, wantStored: contract.StatusExpired},
		{name: "expired already, the run still runs but its callback state exited: expired",
			request: completed(contract.StatusExpired), sfn: &fakeSFN{stateExited: true},
			calls: []call{{0, signPayload, "", "SignatureRequestExpired"}}, wantStored: contract.StatusExpired},
		{name: "InvalidToken while the run still runs: retry while its callback state has not exited",
			sfn: &fakeSFN{sendFaults: []error{&sfntypes.InvalidToken{}}},
			calls: []call{
				{0, signPayload, "", "SignatureServiceUnavailable"},
				{10 * time.Minute, signPayload, "", "SignatureServiceUnavailable"},
			},
			wantStored: contract.StatusExpired},
		{name: "InvalidToken, the run has ended: expired",
			sfn:   &fakeSFN{sendFaults: []error{&sfntypes.InvalidToken{}}, status: sfntypes.ExecutionStatusFailed},
			calls: []call{{0, signPayload, "", "SignatureRequestExpired"}}, wantStored: contract.StatusExpired},
		{name: "past expiresAt: expired without a send", request: expired,
			calls: []call{{0, signPayload, "", "SignatureRequestExpired"}}, wantStored: contract.StatusExpired},
		{name: "signature went through, recording failed: a retry past expiresAt settles it as signed",
			request: expiresSoon, finishErr: errors.New("dynamodb: 500"),
			calls: []call{
				{0, signPayload, "", "SignatureServiceUnavailable"},
				{lease, signPayload, contract.StatusSigned, ""},
				{lease + time.Second, signPayload, "", "SignatureAlreadyCompleted"},
			},
			wantStored: contract.StatusSigned, wantSends: 1},
		{name: "decline went through, recording failed: a retry past expiresAt settles it as declined",
			request: expiresSoon, finishErr: errors.New("dynamodb: 500"),
			calls: []call{
				{0, declinePayload, "", "SignatureServiceUnavailable"},
				{lease, declinePayload, contract.StatusDeclined, ""},
			},
			wantStored: contract.StatusDeclined, wantSends: 1},
		{name: "signature went through, recording failed: a decline past expiresAt finds it signed",
			request: expiresSoon, finishErr: errors.New("dynamodb: 500"),
			calls: []call{
				{0, signPayload, "", "SignatureServiceUnavailable"},
				{lease, declinePayload, "", "SignatureAlreadyCompleted"},
			},
			wantStored: contract.StatusSigned, wantSends: 1},
		{name: "past expiresAt: history inconclusive, execution SUCCEEDED", request: expired,
			sfn:   &fakeSFN{status: sfntypes.ExecutionStatusSucceeded},
			calls: []call{{0, signPayload, contract.StatusSigned, ""}}, wantStored: contract.StatusSigned},
		{name: "past expiresAt: execution TIMED_OUT", request: expired,
			sfn:   &fakeSFN{status: sfntypes.ExecutionStatusTimedOut},
			calls: []call{{0, signPayload, "", "SignatureRequestExpired"}}, wantStored: contract.StatusExpired},
		{name: "past expiresAt: history unreadable: retry", request: expired,
			sfn:   &fakeSFN{historyErr: errTransient},
			calls: []call{{0, signPayload, "", "SignatureServiceUnavailable"}}, wantStored: contract.StatusPending},
		{name: "past expiresAt: execution gone", request: expired,
			sfn:   &fakeSFN{historyErr: &sfntypes.ExecutionDoesNotExist{}},
			calls: []call{{0, signPayload, "", "SignatureRequestExpired"}}, wantStored: contract.StatusExpired},
		{name: "another call holds a live claim", request: claimedByOther,
			calls: []call{{0, signPayload, "", "SignatureServiceUnavailable"}}, wantStored: contract.StatusPending},
		{name: "another call's claim lapsed", request: claimedByOther,
			calls: []call{{lease, signPayload, contract.StatusSigned, ""}}, wantStored: contract.StatusSigned, wantSends: 1},
		{name: "transient send failure, retried after the lease",
			sfn: &fakeSFN{sendFaults: []error{errTransient}},
			calls: []call{
				{0, signPayload, "", "SignatureServiceUnavailable"},
				{time.Second, signPayload, "", "SignatureServiceUnavailable"}, // our own claim still holds
				{lease, signPayload, contract.StatusSigned, ""},
			},
			wantStored: contract.StatusSigned, wantSends: 1},
		{name: "send accepted but its answer lost: the retry finds it in the history",
			sfn: &fakeSFN{lostAnswers: 1},
			calls: []call{
				{0, signPayload, "", "SignatureServiceUnavailable"},
				{lease, signPayload, contract.StatusSigned, ""},
				{lease + time.Second, signPayload, "", "SignatureAlreadyCompleted"},
			},
			wantStored: contract.StatusSigned, wantSends: 1},
		{name: "decline accepted but its answer lost",
			sfn: &fakeSFN{lostAnswers: 1},
			calls: []call{
				{0, declinePayload, "", "SignatureServiceUnavailable"},
				{lease, declinePayload, contract.StatusDeclined, ""},
			},
			wantStored: contract.StatusDeclined, wantSends: 1},
		{name: "sign lost, then a decline finds it signed",
			sfn: &fakeSFN{lostAnswers: 1},
			calls: []call{
				{0, signPayload, "", "SignatureServiceUnavailable"},
				{lease, declinePayload, "", "SignatureAlreadyCompleted"},
			},
			wantStored: contract.StatusSigned, wantSends: 1},
		{name: "signature went through, recording failed: the retry settles it",
			finishErr: errors.New("dynamodb: 500"),
			calls: []call{
				{0, signPayload, "", "SignatureServiceUnavailable"},
				{lease, signPayload, contract.StatusSigned, ""},
			},
			wantStored: contract.StatusSigned, wantSends: 1},
		{name: "outcome recorded by a later claimer: ours stands", finishErr: tokenstore.ErrClaimLost,
			calls: []call{{0, signPayload, contract.StatusSigned, ""}}, wantStored: contract.StatusPending, wantSends: 1},
		{name: "task closed by the run's timeout",
			sfn:   &fakeSFN{closed: sfntypes.HistoryEventTypeTaskTimedOut, status: sfntypes.ExecutionStatusTimedOut},
			calls: []call{{0, signPayload, "", "SignatureRequestExpired"}}, wantStored: contract.StatusExpired},
		{name: "task failed and the run retries it: recorded EXPIRED for the new token, the caller retries",
			sfn: &fakeSFN{closed: sfntypes.HistoryEventTypeTaskFailed, errorName: "Lambda.ServiceException"},
			calls: []call{
				{0, signPayload, "", "SignatureServiceUnavailable"},
				{time.Second, signPayload, "", "SignatureServiceUnavailable"}, // still running: the new token is not stored yet
			},
			wantStored: contract.StatusExpired},
		{name: "task failed, the run then failed: expired",
			sfn:   &fakeSFN{closed: sfntypes.HistoryEventTypeTaskFailed, errorName: "Lambda.ServiceException", status: sfntypes.ExecutionStatusFailed},
			calls: []call{{0, signPayload, "", "SignatureRequestExpired"}}, wantStored: contract.StatusExpired},
		{name: "task failed, past expiresAt: expired", request: expired,
			sfn:   &fakeSFN{closed: sfntypes.HistoryEventTypeTaskFailed, errorName: "Lambda.ServiceException"},
			calls: []call{{0, signPayload, "", "SignatureRequestExpired"}}, wantStored: contract.StatusExpired},
		{name: "run timed out: no closing event, execution TIMED_OUT",
			sfn:   &fakeSFN{sendFaults: []error{&sfntypes.TaskTimedOut{}}, status: sfntypes.ExecutionStatusTimedOut},
			calls: []call{{0, signPayload, "", "SignatureRequestExpired"}}, wantStored: contract.StatusExpired},
		{name: "task closed, execution still running without an outcome: retry",
			sfn:   &fakeSFN{sendFaults: []error{&sfntypes.TaskTimedOut{}}},
			calls: []call{{0, signPayload, "", "SignatureServiceUnavailable"}}, wantStored: contract.StatusPending},
		{name: "history without parameters: our output in a TaskSucceeded event counts",
			sfn:        &fakeSFN{lostAnswers: 1, hideParams: true},
			calls:      []call{{0, signPayload, "", "SignatureServiceUnavailable"}, {lease, signPayload, contract.StatusSigned, ""}},
			wantStored: contract.StatusSigned, wantSends: 1},
		{name: "history inconclusive, execution SUCCEEDED",
			sfn:   &fakeSFN{sendFaults: []error{&sfntypes.TaskTimedOut{}}, status: sfntypes.ExecutionStatusSucceeded},
			calls: []call{{0, signPayload, contract.StatusSigned, ""}}, wantStored: contract.StatusSigned},
		{name: "history unreadable: retry",
			sfn:   &fakeSFN{sendFaults: []error{&sfntypes.TaskTimedOut{}}, historyErr: errTransient},
			calls: []call{{0, signPayload, "", "SignatureServiceUnavailable"}}, wantStored: contract.StatusPending},
		{name: "execution gone", sfn: &fakeSFN{sendFaults: []error{&sfntypes.TaskTimedOut{}}, historyErr: &sfntypes.ExecutionDoesNotExist{}},
			calls: []call{{0, signPayload, "", "SignatureRequestExpired"}}, wantStored: contract.StatusExpired},
		{name: "InvalidToken", sfn: &fakeSFN{sendFaults: []error{&sfntypes.InvalidToken{}}, status: sfntypes.ExecutionStatusAborted},
			calls: []call{{0, signPayload, "", "SignatureRequestExpired"}}, wantStored: contract.StatusExpired},
		{name: "TaskDoesNotExist", sfn: &fakeSFN{sendFaults: []error{&sfntypes.TaskDoesNotExist{}}, status: sfntypes.ExecutionStatusFailed},
			calls: []call{{0, declinePayload, "", "SignatureRequestExpired"}}, wantStored: contract.StatusExpired},
		{name: "TaskDoesNotExist after our lost send: the history finds it signed",
			sfn: &fakeSFN{lostAnswers: 1, closedErr: &sfntypes.TaskDoesNotExist{}},
			calls: []call{
				{0, signPayload, "", "SignatureServiceUnavailable"},
				{lease, signPayload, contract.StatusSigned, ""},
			},
			wantStored: contract.StatusSigned, wantSends: 1},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			store := &fakeStore{finishErr: tt.finishErr}
			if !tt.noRequest {
				store.req = pendingRequest()
				if tt.request != nil {
					tt.request(store.req)
				}
			}
			sfn := tt.sfn
			if sfn == nil {
				sfn = &fakeSFN{}
			}
			sfn.token = token
			c := newClock(t0)
			h := newTestHandler(store, sfn, c)
			for i, call := range tt.calls {
				c.set(t0.Add(call.after))
				got, err := h.Handle(t.Context(), json.RawMessage(call.payload))
				if errorType(err) != call.wantErr || got.Status != call.want {
					t.Fatalf("call %d: Handle = %+v, %v (%s); want status %q, errorType %q", i, got, err, errorType(err), call.want, call.wantErr)
				}
				if err != nil && strings.Contains(err.Error(), token) {
					t.Errorf("call %d: error message contains the task token: %v", i, err)
				}
			}
			if got := store.stored().Status; got != tt.wantStored {
				t.Errorf("stored status = %q, want %q", got, tt.wantStored)
			}
			if sends, _ := sfn.counts(); sends != tt.wantSends {
				t.Errorf("sends that reached the task = %d, want %d", sends, tt.wantSends)
			}
			checkSent(t, sfn)
		})
	}
}

// checkSent checks that what reached the task has the contract's shape.
func checkSent(t *testing.T, sfn *fakeSFN) {
	t.Helper()
	if sends, _ := sfn.counts(); sends == 0 {
		return // the task was closed by something else
	}
	switch sfn.closed {
	case sfntypes.HistoryEventTypeTaskSucceeded:
		var got signature.Envelope
		dec := json.NewDecoder(strings.NewReader(sfn.output))
		dec.DisallowUnknownFields()
		if err := dec.Decode(&got); err != nil || got.Signer != "Bob" || got.JWS == "" {
			t.Errorf("SendTaskSuccess output = %s (%v), want Bob's signature envelope", sfn.output, err)
		}
		st := got.Statement
		want := signature.Statement{DocumentID: "3", Document: pinned, Signer: "Bob", Decision: contract.DecisionSign,
			SignedAt: st.SignedAt, ExecutionARN: execARN, AuthenticatedBy: contract.AuthenticatedByLambdaInvoke}
		if st != want {
			t.Errorf("statement = %+v, want %+v", st, want)
		}
		if _, err := time.Parse(time.RFC3339, st.SignedAt); err != nil || !strings.HasSuffix(st.SignedAt, "Z") {
			t.Errorf("signedAt = %q, want RFC 3339 UTC", st.SignedAt)
		}
	case sfntypes.HistoryEventTypeTaskFailed:
		if sfn.errorName != "SignatureDeclined" || sfn.cause != "wrong amount" {
			t.Errorf("SendTaskFailure error %q cause %q, want SignatureDeclined, wrong amount", sfn.errorName, sfn.cause)
		}
	}
}

// TestSealsWhatTheClaimHolds: when the request changes between the read
// and the claim (a retried task stores it anew), the statement sent is for
// the claimed request, never a stale or missing one.
func TestSealsWhatTheClaimHolds(t *testing.T) {
	oldRun := *pendingRequest()
	oldRun.ExecutionARN = execARN + "-earlier"
	expired := *pendingRequest()
	expired.Status, expired.TaskToken = contract.StatusExpired, ""
	for name, read := range map[string]tokenstore.Request{"read another run's request": oldRun, "read it EXPIRED": expired} {
		t.Run(name, func(t *testing.T) {
			store := &fakeStore{req: pendingRequest(), readFirst: &read}
			sfn := &fakeSFN{token: token}
			got, err := newTestHandler(store, sfn, newClock(t0)).Handle(t.Context(), json.RawMessage(signPayload))
			if err != nil || got.Status != contract.StatusSigned {
				t.Fatalf("Handle = %+v, %v; want SIGNED", got, err)
			}
			var env signature.Envelope
			if err := json.Unmarshal([]byte(sfn.output), &env); err != nil || env.Statement.ExecutionARN != execARN || env.JWS == "" {
				t.Errorf("sent %s (%v), want the claimed run's statement", sfn.output, err)
			}
			checkSent(t, sfn)
		})
	}
}

// TestDocumentChangedChangesNothing: a sign refused because the pinned
// version is gone claims nothing and sends nothing.
func TestDocumentChangedChangesNothing(t *testing.T) {
	store := &fakeStore{req: pendingRequest()}
	sfn := &fakeSFN{token: token}
	h := newTestHandler(store, sfn, newClock(t0))
	h.sealer = fakeSealer{err: fault.Changed("gone")}
	before := store.stored()
	_, err := h.Handle(t.Context(), json.RawMessage(signPayload))
	if errorType(err) != contract.ErrorDocumentChanged {
		t.Fatalf("Handle = %v, want %s", err, contract.ErrorDocumentChanged)
	}
	if after := store.stored(); !reflect.DeepEqual(after, before) {
		t.Errorf("request changed from %+v to %+v", before, after)
	}
	if _, calls := sfn.counts(); calls != 0 {
		t.Errorf("%d Step Functions sends, want none", calls)
	}
}
