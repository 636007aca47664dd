package jws

import (
	"context"
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/rand"
	"strings"
	"testing"
)

// FuzzParse feeds Parse arbitrary strings: it must not panic, and what it
// accepts must be canonical — re-encoding the parts gives the input back —
// with an ES256 header, a kid and a 64-byte signature.
func FuzzParse(f *testing.F) {
	key, err := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	if err != nil {
		f.Fatal(err)
	}
	good, err := Sign(context.Background(), keySigner(key), Header{KeyID: testKID}, []byte(`{"documentId":"1"}`))
	if err != nil {
		f.Fatal(err)
	}
	parts := strings.Split(good, ".")
	for _, seed := range []string{
		good, "", "..", "a.b.c", parts[0] + "." + parts[1] + ".", good + ".",
		enc(`{"alg":"none","kid":"k"}`) + "." + parts[1] + "." + parts[2],
		enc(`{"alg":"ES256","alg":"ES256","kid":"k"}`) + "." + parts[1] + "." + parts[2],
		enc(`{"kid":"k","alg":"ES256","typ":"JWT"}`) + "." + parts[1] + "." + parts[2],
	} {
		f.Add(seed)
	}
	f.Fuzz(func(t *testing.T, compact string) {
		tok, err := Parse(compact)
		if err != nil {
			return
		}
		if tok.Header.Alg != Alg || tok.Header.KeyID == "" || len(tok.Signature) != 64 {
			t.Fatalf("accepted %q as %+v", compact, tok)
		}
		again := string(tok.SigningInput) + "." + b64.EncodeToString(tok.Signature)
		if again != compact || !strings.HasSuffix(string(tok.SigningInput), "."+b64.EncodeToString(tok.Payload)) {
			t.Fatalf("accepted a non-canonical %q", compact)
		}
	})
}
