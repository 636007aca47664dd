package tokenstore_test

import (
	"errors"
	"fmt"
	"sync"
	"testing"
	"time"

	"github.com/hitl-go/docsign/internal/contract"
	"github.com/hitl-go/docsign/internal/tokenstore"
)

func testClaim(t *testing.T, store *tokenstore.Store) {
	ctx := t.Context()
	k := tokenstore.Key{DocumentID: "claim", Signer: "Bob"}
	if _, err := store.Claim(ctx, k, "c1", t0, lease, ""); !errors.Is(err, tokenstore.ErrNotFound) {
		t.Fatalf("Claim(absent) = %v, want ErrNotFound", err)
	}
	mustPut(t, store, pending(k.DocumentID, "token-1", run1))

	got, err := store.Claim(ctx, k, "c1", t0, lease, "")
	if err != nil {
		t.Fatalf("first Claim = %v", err)
	}
	if got.TaskToken != "token-1" || got.ClaimID != "c1" || !got.ClaimExpiresAt.Equal(t0.Add(lease)) {
		t.Errorf("first Claim returned %v claim %q until %v, want token-1, c1 until %v", got, got.ClaimID, got.ClaimExpiresAt, t0.Add(lease))
	}
	for _, at := range []time.Time{t0, t0.Add(lease - time.Second)} {
		var state *tokenstore.StateError
		_, err := store.Claim(ctx, k, "c2", at, lease, "")
		if !errors.As(err, &state) || !state.Current.Claimed(at) || state.Current.ClaimID != "c1" {
			t.Errorf("Claim during the lease at +%v = %v, want a *StateError showing c1's live claim", at.Sub(t0), err)
		}
	}
	// The lease ends on its own: no write released it.
	if got, err := store.Claim(ctx, k, "c3", t0.Add(lease), lease, ""); err != nil || got.ClaimID != "c3" {
		t.Errorf("Claim after the lease = %v (claim %q), want c3's claim", err, got.ClaimID)
	}
}

func testFinish(t *testing.T, store *tokenstore.Store) {
	tests := []struct {
		outcome     tokenstore.Outcome
		keepsExpiry bool
	}{
		{tokenstore.Outcome{Status: contract.StatusSigned, Decision: "sign", At: t0.Add(time.Minute)}, false},
		{tokenstore.Outcome{Status: contract.StatusDeclined, Decision: "decline", Reason: "wrong amount", At: t0.Add(time.Minute)}, false},
		{tokenstore.Outcome{Status: contract.StatusExpired, At: t0.Add(time.Minute)}, true},
	}
	for _, tt := range tests {
		t.Run(string(tt.outcome.Status), func(t *testing.T) {
			ctx := t.Context()
			k := tokenstore.Key{DocumentID: "finish-" + string(tt.outcome.Status), Signer: "Bob"}
			mustPut(t, store, pending(k.DocumentID, "token-1", run1))
			if _, err := store.Claim(ctx, k, "mine", t0, lease, ""); err != nil {
				t.Fatal(err)
			}
			if err := store.Finish(ctx, k, "other", tt.outcome); !errors.Is(err, tokenstore.ErrClaimLost) {
				t.Errorf("Finish with another claim ID = %v, want ErrClaimLost", err)
			}
			if err := store.Finish(ctx, k, "mine", tt.outcome); err != nil {
				t.Fatalf("Finish = %v", err)
			}
			got := mustGet(t, store, k)
			want := tokenstore.Request{
				Key: k, Status: tt.outcome.Status, ExecutionARN: run1, RequestedAt: t0,
				CompletedAt: tt.outcome.At, Decision: tt.outcome.Decision, Reason: tt.outcome.Reason,
			}
			if tt.keepsExpiry {
				want.ExpiresAt = t0.Add(time.Hour)
			}
			if got != want {
				t.Errorf("stored %+v\nwant   %+v (no token, no claim)", got, want)
			}
			if err := store.Finish(ctx, k, "mine", tt.outcome); !errors.Is(err, tokenstore.ErrClaimLost) {
				t.Errorf("second Finish = %v, want ErrClaimLost", err)
			}
		})
	}
}

func testConcurrentClaims(t *testing.T, store *tokenstore.Store) {
	k := tokenstore.Key{DocumentID: "race", Signer: "Bob"}
	mustPut(t, store, pending(k.DocumentID, "token-1", run1))
	const callers = 20
	var wg sync.WaitGroup
	errs := make([]error, callers)
	for i := range callers {
		wg.Go(func() {
			_, errs[i] = store.Claim(t.Context(), k, fmt.Sprint("c", i), t0, lease, "")
		})
	}
	wg.Wait()
	won := 0
	for i, err := range errs {
		var state *tokenstore.StateError
		switch {
		case err == nil:
			won++
		case !errors.As(err, &state):
			t.Errorf("caller %d: %v, want a *StateError", i, err)
		}
	}
	if won != 1 {
		t.Errorf("%d of %d concurrent claims won, want exactly 1", won, callers)
	}
}

// testClaimWithCode: a link's claim holds only with the stored code's hash;
// signing or declining uses the code up, expiring keeps it.
func testClaimWithCode(t *testing.T, store *tokenstore.Store) {
	ctx := t.Context()
	right, wrong := contract.HashCode("right"), contract.HashCode("wrong")
	tests := []struct {
		name     string
		outcome  contract.Status
		wantHash string // what stays stored after Finish
	}{
		{"signed", contract.StatusSigned, ""},
		{"declined", contract.StatusDeclined, ""},
		{"expired", contract.StatusExpired, right},
	}
	for i, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			r := pending(fmt.Sprint("code-", i), "token-1", run1)
			r.CodeHash = right
			mustPut(t, store, r)
			var state *tokenstore.StateError
			if _, err := store.Claim(ctx, r.Key, "c1", t0, lease, wrong); !errors.As(err, &state) || state.Current.CodeHash != right {
				t.Fatalf("Claim(wrong code) = %v, want a *StateError showing the stored hash", err)
			}
			if got := mustGet(t, store, r.Key); got.ClaimID != "" {
				t.Fatalf("a refused code claimed the request (claim %q)", got.ClaimID)
			}
			if _, err := store.Claim(ctx, r.Key, "c1", t0, lease, right); err != nil {
				t.Fatalf("Claim(right code) = %v", err)
			}
			if err := store.Finish(ctx, r.Key, "c1", tokenstore.Outcome{Status: tt.outcome, At: t0}); err != nil {
				t.Fatal(err)
			}
			if got := mustGet(t, store, r.Key); got.CodeHash != tt.wantHash {
				t.Errorf("after %s the stored code hash is %q, want %q", tt.outcome, got.CodeHash, tt.wantHash)
			}
		})
	}
}

// testPutSameRequest: storing the very request again succeeds, but not with
// another code: its link would name a code the table does not hold.
func testPutSameRequest(t *testing.T, store *tokenstore.Store) {
	r := pending("same-request", "token-1", run1)
	r.CodeHash = contract.HashCode("first")
	mustPut(t, store, r)
	if err := store.Put(t.Context(), r, r.RequestedAt); err != nil {
		t.Errorf("Put(the same request) = %v, want nil", err)
	}
	other := r
	other.CodeHash = contract.HashCode("second")
	var state *tokenstore.StateError
	if err := store.Put(t.Context(), other, r.RequestedAt); !errors.As(err, &state) {
		t.Errorf("Put(the same request with another code) = %v, want a *StateError", err)
	}
	if got := mustGet(t, store, r.Key); got.CodeHash != r.CodeHash {
		t.Errorf("stored code hash %q, want the first code's", got.CodeHash)
	}
}
