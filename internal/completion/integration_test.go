package completion

import (
	"context"
	"encoding/json"
	"errors"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/hitl-go/docsign/internal/contract"
	"github.com/hitl-go/docsign/internal/dynalite/dynalitetest"
	"github.com/hitl-go/docsign/internal/tokenstore"
	"github.com/hitl-go/docsign/internal/tokenstore/tokenstoretest"
)

// TestWithDynalite runs the handler on the real token store against dynalite.
// Each case uses its own document ID in one shared table.
func TestWithDynalite(t *testing.T) {
	db := dynalitetest.Client(dynalitetest.Start(t))
	store := tokenstore.New(db, tokenstoretest.NewTable(t, db))
	t.Run("20 concurrent completions send once", func(t *testing.T) { testConcurrentCompletions(t, store) })
	t.Run("decline", func(t *testing.T) { testDeclineRecordsAudit(t, store) })
	t.Run("expired", func(t *testing.T) { testExpiry(t, store) })
	t.Run("not found", func(t *testing.T) { testNotFound(t, store) })
	t.Run("invalid input changes nothing", func(t *testing.T) { testInvalidInputChangesNothing(t, store) })
	t.Run("crash after the claim", func(t *testing.T) { testCrashAfterClaim(t, store) })
	t.Run("lost answer settled on retry", func(t *testing.T) { testLostAnswer(t, store) })
	t.Run("recording failed, retried past expiresAt", func(t *testing.T) { testRetryPastExpiry(t, store) })
}

// putPending stores a request the way request-signature does.
func putPending(t *testing.T, store *tokenstore.Store, doc string, now time.Time, expires time.Duration) tokenstore.Key {
	t.Helper()
	r := *pendingRequest()
	r.DocumentID, r.RequestedAt, r.ExpiresAt = doc, now, now.Add(expires)
	if err := store.Put(t.Context(), r, now); err != nil {
		t.Fatalf("Put: %v", err)
	}
	return r.Key
}

func get(t *testing.T, store *tokenstore.Store, k tokenstore.Key) tokenstore.Request {
	t.Helper()
	r, err := store.Get(t.Context(), k)
	if err != nil {
		t.Fatalf("Get(%s): %v", k, err)
	}
	return r
}

func payloadFor(doc, decision string) json.RawMessage {
	in := map[string]string{"documentId": doc}
	if decision == contract.DecisionDecline {
		in["decision"], in["reason"] = decision, "wrong amount"
	}
	b, _ := json.Marshal(in)
	return b
}

func realClockHandler(store Store, sfn StepFunctions, lease time.Duration) *Handler {
	return NewHandler(store, sfn, fakeSealer{}, Config{CallbackSigners: []string{"Bob"}, Lease: lease})
}

func testConcurrentCompletions(t *testing.T, store *tokenstore.Store) {
	k := putPending(t, store, "concurrent", time.Now(), time.Hour)
	sfn := &fakeSFN{token: token}
	h := realClockHandler(store, sfn, lease)
	const callers = 20
	var wg sync.WaitGroup
	results := make([]Result, callers)
	errs := make([]error, callers)
	for i := range callers {
		wg.Go(func() { results[i], errs[i] = h.Handle(t.Context(), payloadFor(k.DocumentID, contract.DecisionSign)) })
	}
	wg.Wait()
	signed := 0
	for i, err := range errs {
		switch errorType(err) {
		case "":
			if results[i].Status != contract.StatusSigned {
				t.Errorf("caller %d: status %q, want SIGNED", i, results[i].Status)
			}
			signed++
		case "SignatureAlreadyCompleted", "SignatureServiceUnavailable":
		default:
			t.Errorf("caller %d: %v (%s), want SignatureAlreadyCompleted or SignatureServiceUnavailable", i, err, errorType(err))
		}
	}
	sends, calls := sfn.counts()
	if signed != 1 || sends != 1 || calls != 1 {
		t.Errorf("%d callers got SIGNED, %d sends of %d send calls; want exactly 1 of each", signed, sends, calls)
	}
	if got := get(t, store, k); got.Status != contract.StatusSigned || got.TaskToken != "" || !got.ExpiresAt.IsZero() {
		t.Errorf("stored %v (token kept: %t, expiresAt %v), want SIGNED without token or expiresAt", got, got.TaskToken != "", got.ExpiresAt)
	}
	if _, err := h.Handle(t.Context(), payloadFor(k.DocumentID, contract.DecisionSign)); errorType(err) != "SignatureAlreadyCompleted" {
		t.Errorf("a later call: %v, want SignatureAlreadyCompleted", err)
	}
}

func testDeclineRecordsAudit(t *testing.T, store *tokenstore.Store) {
	k := putPending(t, store, "decline", time.Now(), time.Hour)
	sfn := &fakeSFN{token: token}
	got, err := realClockHandler(store, sfn, lease).Handle(t.Context(), payloadFor(k.DocumentID, contract.DecisionDecline))
	if err != nil || got != (Result{DocumentID: k.DocumentID, Signer: "Bob", Status: contract.StatusDeclined}) {
		t.Fatalf("Handle = %+v, %v; want DECLINED", got, err)
	}
	checkSent(t, sfn)
	r := get(t, store, k)
	if r.Status != contract.StatusDeclined || r.Decision != "decline" || r.Reason != "wrong amount" || r.CompletedAt.IsZero() ||
		r.TaskToken != "" || r.ClaimID != "" || !r.ExpiresAt.IsZero() {
		t.Errorf("stored %+v; want DECLINED with decision, reason, completedAt, and no token, claim or expiresAt", r)
	}
}

func testExpiry(t *testing.T, store *tokenstore.Store) {
	k := putPending(t, store, "expired", time.Now().Add(-time.Hour), time.Hour-time.Second)
	sfn := &fakeSFN{token: token}
	_, err := realClockHandler(store, sfn, lease).Handle(t.Context(), payloadFor(k.DocumentID, contract.DecisionSign))
	if errorType(err) != "SignatureRequestExpired" {
		t.Errorf("Handle = %v, want SignatureRequestExpired", err)
	}
	if _, calls := sfn.counts(); calls != 0 {
		t.Errorf("%d send calls, want none past expiresAt", calls)
	}
	if r := get(t, store, k); r.Status != contract.StatusExpired || r.TaskToken != "" || r.ExpiresAt.IsZero() {
		t.Errorf("stored %v (token kept: %t), want EXPIRED without token, keeping expiresAt for TTL", r, r.TaskToken != "")
	}
}

func testNotFound(t *testing.T, store *tokenstore.Store) {
	_, err := realClockHandler(store, &fakeSFN{token: token}, lease).Handle(t.Context(), payloadFor("never-requested", contract.DecisionSign))
	if errorType(err) != "SignatureRequestNotFound" {
		t.Errorf("Handle = %v, want SignatureRequestNotFound", err)
	}
	if _, err := store.Get(t.Context(), tokenstore.Key{DocumentID: "never-requested", Signer: "Bob"}); !errors.Is(err, tokenstore.ErrNotFound) {
		t.Errorf("after the call: Get = %v, want ErrNotFound (nothing written)", err)
	}
}

func testInvalidInputChangesNothing(t *testing.T, store *tokenstore.Store) {
	k := putPending(t, store, "invalid", time.Now(), time.Hour)
	before := get(t, store, k)
	h := realClockHandler(store, &fakeSFN{token: token}, lease)
	for _, payload := range []string{`{"documentId":"invalid","decision":"maybe"}`, `{"documentId":"invalid","signer":"Carol"}`, `{"documentId":`} {
		if _, err := h.Handle(t.Context(), json.RawMessage(payload)); errorType(err) != "InvalidInput" {
			t.Errorf("Handle(%s) = %v, want InvalidInput", payload, err)
		}
	}
	if after := get(t, store, k); after != before {
		t.Errorf("request changed from %v to %v", before, after)
	}
}

func testCrashAfterClaim(t *testing.T, store *tokenstore.Store) {
	const shortLease = time.Second
	k := putPending(t, store, "crash", time.Now(), time.Hour)
	// A completion claimed the request and died before sending.
	crashed, err := store.Claim(t.Context(), k, "crashed-call", time.Now(), shortLease, "")
	if err != nil {
		t.Fatal(err)
	}
	sfn := &fakeSFN{token: token}
	h := realClockHandler(store, sfn, shortLease)
	if _, err := h.Handle(t.Context(), payloadFor(k.DocumentID, contract.DecisionSign)); errorType(err) != "SignatureServiceUnavailable" {
		t.Fatalf("during the lease: %v, want SignatureServiceUnavailable", err)
	}
	time.Sleep(time.Until(crashed.ClaimExpiresAt))
	got, err := h.Handle(t.Context(), payloadFor(k.DocumentID, contract.DecisionSign))
	if err != nil || got.Status != contract.StatusSigned {
		t.Fatalf("after the lease: %+v, %v; want SIGNED", got, err)
	}
	if sends, _ := sfn.counts(); sends != 1 {
		t.Errorf("%d sends, want 1", sends)
	}
}

func testLostAnswer(t *testing.T, store *tokenstore.Store) {
	now := time.Now().Truncate(time.Second)
	k := putPending(t, store, "lost-answer", now, time.Hour)
	sfn := &fakeSFN{token: token, lostAnswers: 1}
	c := newClock(now)
	h := newTestHandler(store, sfn, c)
	if _, err := h.Handle(t.Context(), payloadFor(k.DocumentID, contract.DecisionSign)); errorType(err) != "SignatureServiceUnavailable" {
		t.Fatalf("first call: %v, want SignatureServiceUnavailable", err)
	}
	c.set(now.Add(lease))
	if got, err := h.Handle(t.Context(), payloadFor(k.DocumentID, contract.DecisionSign)); err != nil || got.Status != contract.StatusSigned {
		t.Fatalf("retry after the lease: %+v, %v; want SIGNED", got, err)
	}
	if r := get(t, store, k); r.Status != contract.StatusSigned {
		t.Errorf("stored %v, want SIGNED", r)
	}
	if sends, _ := sfn.counts(); sends != 1 {
		t.Errorf("%d sends reached the task, want 1", sends)
	}
}

// failingFinish is the real store whose first Finish fails, as when the
// function died between SendTaskSuccess and recording the outcome.
type failingFinish struct {
	*tokenstore.Store
	failed atomic.Bool
}

func (s *failingFinish) Finish(ctx context.Context, k tokenstore.Key, claimID string, o tokenstore.Outcome) error {
	if !s.failed.Swap(true) {
		return errors.New("dynamodb: 500")
	}
	return s.Store.Finish(ctx, k, claimID, o)
}

func testRetryPastExpiry(t *testing.T, store *tokenstore.Store) {
	now := time.Now().Truncate(time.Second)
	k := putPending(t, store, "retry-past-expiry", now, time.Minute)
	sfn := &fakeSFN{token: token}
	c := newClock(now)
	h := newTestHandler(&failingFinish{Store: store}, sfn, c)
	if _, err := h.Handle(t.Context(), payloadFor(k.DocumentID, contract.DecisionSign)); errorType(err) != "SignatureServiceUnavailable" {
		t.Fatalf("first call: %v, want SignatureServiceUnavailable", err)
	}
	c.set(now.Add(time.Hour))
	if got, err := h.Handle(t.Context(), payloadFor(k.DocumentID, contract.DecisionSign)); err != nil || got.Status != contract.StatusSigned {
		t.Fatalf("retry past expiresAt: %+v, %v (%s); want SIGNED", got, err, errorType(err))
	}
	if r := get(t, store, k); r.Status != contract.StatusSigned || r.TaskToken != "" {
		t.Errorf("stored %v (token kept: %t), want SIGNED without token", r, r.TaskToken != "")
	}
	if sends, calls := sfn.counts(); sends != 1 || calls != 1 {
		t.Errorf("%d sends of %d send calls, want 1 of 1", sends, calls)
	}
}
