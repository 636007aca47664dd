package main

import (
	"encoding/json"
	"os"
	"strings"
	"testing"

	"github.com/hitl-go/docsign/internal/contract"
	"github.com/hitl-go/docsign/internal/fault"
	"github.com/hitl-go/docsign/internal/signature"
)

// FuzzHandle: any event either signs exactly the document, signer and run it
// names, all valid, or fails with the *fault.InvalidInput itself
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
	h := NewHandler(fakeSealer{}, &fakeStore{})
	f.Fuzz(func(t *testing.T, payload []byte) {
		got, err := h.Handle(t.Context(), payload)
		if err != nil {
			if _, ok := err.(*fault.InvalidInput); !ok {
				t.Fatalf("Handle(%q) = %T %v, want *fault.InvalidInput itself", payload, err, err)
			}
			if got != (signature.Envelope{}) {
				t.Fatalf("Handle(%q) failed with output %+v", payload, got)
			}
			return
		}
		var in Input
		if err := json.Unmarshal(payload, &in); err != nil || in.DocumentID != got.Statement.DocumentID || in.Signer != got.Signer ||
			in.Document != got.Statement.Document || in.ExecutionARN != got.Statement.ExecutionARN {
			t.Fatalf("Handle(%q) signed %+v; the event says %+v (%v)", payload, got.Statement, in, err)
		}
		if contract.CheckDocumentID(got.Statement.DocumentID) != nil || contract.CheckSigner(got.Signer) != nil {
			t.Fatalf("Handle(%q) accepted invalid names: %+v", payload, got)
		}
	})
}
