package main

import (
	"encoding/json"
	"os"
	"strings"
	"testing"
	"time"

	"github.com/hitl-go/docsign/internal/contract"
	"github.com/hitl-go/docsign/internal/fault"
	"github.com/hitl-go/docsign/internal/signature"
)

// FuzzHandle: any event either signs a valid documentId for a valid signer,
// exactly as signature.New does, or fails with the *fault.InvalidInput itself
// and no output. It never panics.
func FuzzHandle(f *testing.F) {
	alice, err := os.ReadFile("testdata/alice.json")
	if err != nil {
		f.Fatal(err)
	}
	f.Add(alice)
	for _, s := range []string{``, `null`, `{"documentId":"3"}`, `{"documentId":"a/b","signer":"Alice"}`,
		`{"documentId":"3","signer":"Al\u0000ice"}`, `{"documentId":"3","signer":"Alice"}}`, "{\"documentId\":\"3\",\"signer\":\"\xff\"}",
		`{"documentId":"3","signer":"Alice","documentId":"4"}`, `{"DOCUMENTID":"3","Signer":"Alice"}`,
		`{"documentId":"` + strings.Repeat("d", 81) + `","signer":"Alice"}`} {
		f.Add([]byte(s))
	}
	at := time.Date(2026, 11, 22, 12, 0, 0, 0, time.UTC)
	h := &Handler{now: func() time.Time { return at }}
	f.Fuzz(func(t *testing.T, payload []byte) {
		got, err := h.Handle(t.Context(), payload)
		if err != nil {
			if _, ok := err.(*fault.InvalidInput); !ok {
				t.Fatalf("Handle(%q) = %T %v, want *fault.InvalidInput itself", payload, err, err)
			}
			if got != (signature.Signature{}) {
				t.Fatalf("Handle(%q) failed with output %+v", payload, got)
			}
			return
		}
		var in Input
		if err := json.Unmarshal(payload, &in); err != nil || in.DocumentID != got.DocumentID || in.Signer != got.Signer {
			t.Fatalf("Handle(%q) signed %q for %q; the event says %+v (%v)", payload, got.DocumentID, got.Signer, in, err)
		}
		if contract.CheckDocumentID(got.DocumentID) != nil || contract.CheckSigner(got.Signer) != nil {
			t.Fatalf("Handle(%q) accepted invalid names: %+v", payload, got)
		}
		if want := signature.New(got.DocumentID, got.Signer, at); got != want {
			t.Fatalf("Handle(%q) = %+v, want %+v", payload, got, want)
		}
	})
}
