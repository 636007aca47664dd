package signature_test

import (
	"context"
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/rand"
	"encoding/json"
	"testing"
	"time"

	"github.com/hitl-go/docsign/internal/contract"
	"github.com/hitl-go/docsign/internal/jws"
	"github.com/hitl-go/docsign/internal/signature"
)

// FuzzOpen: whatever text a table item or a run's output holds, Open (what
// verify reads envelopes with) never panics, and what it accepts is a
// statement in canonical form that Verify either accepts under the key that
// signed it or refuses with a *VerifyError.
func FuzzOpen(f *testing.F) {
	key, err := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	if err != nil {
		f.Fatal(err)
	}
	signer := jws.SignerFunc(func(_ context.Context, d []byte) ([]byte, error) { return ecdsa.SignASN1(rand.Reader, key, d) })
	st := signature.NewStatement("3", doc, "Bob", run, contract.AuthenticatedByLink, time.Unix(1_800_000_000, 0))
	env, err := signature.Seal(context.Background(), signer, keyARN, st)
	if err != nil {
		f.Fatal(err)
	}
	for _, s := range []string{env.JWS, env.JWS + "x", "a.b.c", "", "..", env.JWS[:len(env.JWS)/2]} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, compact string) {
		opened, kid, err := signature.Open(compact)
		if err != nil {
			return
		}
		payload, _ := json.Marshal(opened.Statement)
		if opened.Signer != opened.Statement.Signer || opened.JWS != compact || kid == "" || len(payload) == 0 {
			t.Fatalf("Open(%q) = %+v, kid %q: inconsistent", compact, opened, kid)
		}
		want := signature.Expected{DocumentID: opened.Statement.DocumentID, Document: opened.Statement.Document}
		if _, err := signature.Verify(opened, &key.PublicKey, want); err != nil {
			if _, ok := err.(*signature.VerifyError); !ok {
				t.Fatalf("Verify(%q) = %T %v, want a *VerifyError", compact, err, err)
			}
		}
	})
}
