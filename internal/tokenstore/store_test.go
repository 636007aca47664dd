package tokenstore_test

import (
	"errors"
	"fmt"
	"testing"
	"time"

	"github.com/hitl-go/docsign/internal/contract"
	"github.com/hitl-go/docsign/internal/dynalite/dynalitetest"
	"github.com/hitl-go/docsign/internal/signature"
	"github.com/hitl-go/docsign/internal/tokenstore"
	"github.com/hitl-go/docsign/internal/tokenstore/tokenstoretest"
)

var t0 = time.Unix(1_900_000_000, 0) // a fixed "now"; conditions use the times passed in

const (
	run1  = "arn:aws:states:us-east-1:000000000000:execution:Signing:run1"
	run2  = "arn:aws:states:us-east-1:000000000000:execution:Signing:run2"
	lease = 30 * time.Second
)

// TestStore runs every case against one dynalite and one table; each case
// uses its own document ID.
func TestStore(t *testing.T) {
	db := dynalitetest.Client(dynalitetest.Start(t))
	table := tokenstoretest.NewTable(t, db)
	store := tokenstore.New(db, table)
	t.Run("put then get", func(t *testing.T) { testPutGet(t, store) })
	t.Run("put replaces only what may be replaced", func(t *testing.T) { testPutReplace(t, store) })
	t.Run("claim", func(t *testing.T) { testClaim(t, store) })
	t.Run("claim with a link's code", func(t *testing.T) { testClaimWithCode(t, store) })
	t.Run("the same request stored again", func(t *testing.T) { testPutSameRequest(t, store) })
	t.Run("finish", func(t *testing.T) { testFinish(t, store) })
	t.Run("concurrent claims", func(t *testing.T) { testConcurrentClaims(t, store) })
	t.Run("record", func(t *testing.T) { testRecord(t, store) })
	t.Run("list", func(t *testing.T) { testList(t, store, db, table) })
}

// testRecord stores auto signers' signatures: once per document and signer,
// again only by the same run.
func testRecord(t *testing.T, store *tokenstore.Store) {
	doc := signature.Document{Bucket: "b", Key: "documents/rec", VersionID: "v1", SHA256: "ab"}
	signed := func(arn, jws string) tokenstore.Request {
		return tokenstore.Request{Key: tokenstore.Key{DocumentID: "rec", Signer: "Alice"}, ExecutionARN: arn,
			Document: doc, CompletedAt: t0, Decision: contract.DecisionSign, JWS: jws, TaskToken: "ignored"}
	}
	if err := store.Record(t.Context(), signed(run1, "h.p.s1")); err != nil {
		t.Fatalf("Record = %v", err)
	}
	got := mustGet(t, store, tokenstore.Key{DocumentID: "rec", Signer: "Alice"})
	if got.Status != contract.StatusSigned || got.JWS != "h.p.s1" || got.TaskToken != "" || got.Document != doc {
		t.Errorf("stored %+v, want SIGNED with the JWS and document, no token", got)
	}
	if err := store.Record(t.Context(), signed(run1, "h.p.s2")); err != nil {
		t.Errorf("Record again by the same run = %v, want it replaced", err)
	}
	var state *tokenstore.StateError
	if err := store.Record(t.Context(), signed(run2, "h.p.s3")); !errors.As(err, &state) || state.Current.JWS != "h.p.s2" {
		t.Errorf("Record by another run = %v, want a *StateError carrying the stored signature", err)
	}
	mustPut(t, store, pending("rec-pending", "tok", run1))
	r := signed(run1, "h.p.s4")
	r.Key = tokenstore.Key{DocumentID: "rec-pending", Signer: "Bob"}
	if err := store.Record(t.Context(), r); !errors.As(err, &state) || state.Current.Status != contract.StatusPending {
		t.Errorf("Record over a pending request = %v, want a *StateError", err)
	}
}

func pending(doc, token, arn string) tokenstore.Request {
	return tokenstore.Request{
		Key:          tokenstore.Key{DocumentID: doc, Signer: "Bob"},
		TaskToken:    token,
		ExecutionARN: arn,
		RequestedAt:  t0,
		ExpiresAt:    t0.Add(time.Hour),
	}
}

func mustPut(t *testing.T, store *tokenstore.Store, r tokenstore.Request) {
	t.Helper()
	if err := store.Put(t.Context(), r, r.RequestedAt); err != nil {
		t.Fatalf("Put(%s) = %v", r.Key, err)
	}
}

func mustGet(t *testing.T, store *tokenstore.Store, k tokenstore.Key) tokenstore.Request {
	t.Helper()
	r, err := store.Get(t.Context(), k)
	if err != nil {
		t.Fatalf("Get(%s) = %v", k, err)
	}
	return r
}

func testPutGet(t *testing.T, store *tokenstore.Store) {
	want := pending("put-get", "token-1", run1)
	mustPut(t, store, want)
	want.Status = contract.StatusPending
	if got := mustGet(t, store, want.Key); got != want {
		t.Errorf("Get = %+v\nwant %+v", got, want)
	}
	if _, err := store.Get(t.Context(), tokenstore.Key{DocumentID: "absent", Signer: "Bob"}); !errors.Is(err, tokenstore.ErrNotFound) {
		t.Errorf("Get(absent) = %v, want ErrNotFound", err)
	}
}

// finished puts a request, claims it and finishes it with status.
func finished(t *testing.T, store *tokenstore.Store, doc string, status contract.Status) {
	mustPut(t, store, pending(doc, "old-token", run1))
	k := tokenstore.Key{DocumentID: doc, Signer: "Bob"}
	if _, err := store.Claim(t.Context(), k, "c0", t0, lease, ""); err != nil {
		t.Fatal(err)
	}
	if err := store.Finish(t.Context(), k, "c0", tokenstore.Outcome{Status: status, At: t0}); err != nil {
		t.Fatal(err)
	}
}

func testPutReplace(t *testing.T, store *tokenstore.Store) {
	tests := []struct {
		name    string
		setup   func(t *testing.T, doc string)
		arn     string
		now     time.Time
		replace bool
	}{
		// A retry waits at least a second (the workflow's retriers).
		{"retried task of the same run", func(t *testing.T, doc string) { mustPut(t, store, pending(doc, "old-token", run1)) }, run1, t0.Add(time.Second), true},
		// Attempts are ordered to the millisecond: a crashed attempt's late
		// write in the same second as its retry's cannot restore its token.
		{"a late write of an earlier attempt within the same second", func(t *testing.T, doc string) {
			later := pending(doc, "old-token", run1)
			later.RequestedAt = t0.Add(700 * time.Millisecond)
			mustPut(t, store, later)
		}, run1, t0.Add(200 * time.Millisecond), false},
		{"another attempt at the same instant", func(t *testing.T, doc string) { mustPut(t, store, pending(doc, "old-token", run1)) }, run1, t0, false},
		{"same run under a live claim", func(t *testing.T, doc string) {
			mustPut(t, store, pending(doc, "old-token", run1))
			store.Claim(t.Context(), tokenstore.Key{DocumentID: doc, Signer: "Bob"}, "c1", t0, lease, "")
		}, run1, t0.Add(lease - time.Second), false},
		{"same run after the claim's lease", func(t *testing.T, doc string) {
			mustPut(t, store, pending(doc, "old-token", run1))
			store.Claim(t.Context(), tokenstore.Key{DocumentID: doc, Signer: "Bob"}, "c1", t0, lease, "")
		}, run1, t0.Add(lease), true},
		{"a late write of an earlier attempt of the same run", func(t *testing.T, doc string) {
			later := pending(doc, "old-token", run1)
			later.RequestedAt = t0.Add(time.Minute) // the retry's request, stored first
			mustPut(t, store, later)
		}, run1, t0, false},
		{"another run still pending", func(t *testing.T, doc string) { mustPut(t, store, pending(doc, "old-token", run2)) }, run1, t0, false},
		{"another run past its deadline, under a live claim", func(t *testing.T, doc string) {
			mustPut(t, store, pending(doc, "old-token", run2))
			store.Claim(t.Context(), tokenstore.Key{DocumentID: doc, Signer: "Bob"}, "c1", t0.Add(time.Hour), lease, "")
		}, run1, t0.Add(time.Hour + time.Second), false},
		{"another run past its deadline", func(t *testing.T, doc string) { mustPut(t, store, pending(doc, "old-token", run2)) }, run1, t0.Add(time.Hour), true},
		{"expired", func(t *testing.T, doc string) { finished(t, store, doc, contract.StatusExpired) }, run2, t0, true},
		{"signed", func(t *testing.T, doc string) { finished(t, store, doc, contract.StatusSigned) }, run1, t0, false},
		{"declined", func(t *testing.T, doc string) { finished(t, store, doc, contract.StatusDeclined) }, run1, t0, false},
	}
	for i, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			doc := fmt.Sprintf("replace-%d", i)
			tt.setup(t, doc)
			before := mustGet(t, store, tokenstore.Key{DocumentID: doc, Signer: "Bob"})
			r := pending(doc, "new-token", tt.arn)
			r.RequestedAt = tt.now
			err := store.Put(t.Context(), r, tt.now)
			got := mustGet(t, store, r.Key)
			if tt.replace {
				if err != nil || got.TaskToken != "new-token" || got.Status != contract.StatusPending || got.ClaimID != "" {
					t.Errorf("Put = %v, stored %v (claim %q, new token %t); want the new pending request",
						err, got, got.ClaimID, got.TaskToken == "new-token")
				}
				return
			}
			var state *tokenstore.StateError
			if !errors.As(err, &state) || state.Current != before {
				t.Errorf("Put = %v, want a *StateError carrying the stored request %v", err, before)
			}
			if got != before {
				t.Errorf("stored request changed to %v, want it untouched", got)
			}
		})
	}
}
