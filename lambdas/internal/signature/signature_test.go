package signature_test

import (
	"strings"
	"testing"
	"time"

	"github.com/hitl-go/docsign/lambdas/internal/signature"
)

func TestNew(t *testing.T) {
	at := time.Date(2026, 11, 22, 13, 0, 0, 999, time.FixedZone("CET", 3600))
	got := signature.New("3", "Alice", at)
	if got.DocumentID != "3" || got.Signer != "Alice" || got.SignedAt != "2026-11-22T12:00:00Z" ||
		!strings.HasPrefix(got.Signature, "sha256:") || len(got.Signature) != len("sha256:")+32 {
		t.Errorf("New = %+v", got)
	}
	if again := signature.New("3", "Alice", at); again != got {
		t.Errorf("New is not deterministic: %+v vs %+v", again, got)
	}
	for _, other := range []signature.Signature{signature.New("4", "Alice", at), signature.New("3", "Bob", at), signature.New("3", "Alice", at.Add(time.Second))} {
		if other.Signature == got.Signature {
			t.Errorf("%+v has the same signature text as %+v", other, got)
		}
	}
}

func TestCheckDocumentID(t *testing.T) {
	tests := []struct {
		id string
		ok bool
	}{
		{"3", true}, {"invoice_2026-11", true}, {strings.Repeat("a", 80), true},
		{"", false}, {strings.Repeat("a", 81), false}, {"a b", false}, {"a/b", false}, {"é", false}, {"a.b", false}, {"3\n", false},
	}
	for _, tt := range tests {
		if err := signature.CheckDocumentID(tt.id); (err == nil) != tt.ok {
			t.Errorf("CheckDocumentID(%q) = %v, want ok %t", tt.id, err, tt.ok)
		}
	}
}

func TestCheckSigner(t *testing.T) {
	tests := []struct {
		name string
		ok   bool
	}{
		{"Bob", true}, {"Dr. Ada Lovelace", true}, {"Zoë", true}, {strings.Repeat("s", 80), true},
		{"", false}, {strings.Repeat("s", 81), false}, {"Bob\n", false}, {"Bob\x00", false}, {"Bob\xff", false},
	}
	for _, tt := range tests {
		if err := signature.CheckSigner(tt.name); (err == nil) != tt.ok {
			t.Errorf("CheckSigner(%q) = %v, want ok %t", tt.name, err, tt.ok)
		}
	}
}
