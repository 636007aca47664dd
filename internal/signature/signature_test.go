package signature_test

import (
	"strings"
	"testing"
	"time"

	"github.com/hitl-go/docsign/internal/signature"
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
