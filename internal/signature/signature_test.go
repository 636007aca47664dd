package signature_test

import (
	"context"
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/rand"
	"crypto/sha256"
	"encoding/base64"
	"errors"
	"math/big"
	"strings"
	"testing"
	"time"

	"github.com/hitl-go/docsign/internal/contract"
	"github.com/hitl-go/docsign/internal/jws"
	"github.com/hitl-go/docsign/internal/signature"
)

const keyARN = "arn:aws:kms:us-east-1:000000000000:key/6f0c1e3a-0000-4000-8000-000000000001"

var (
	doc = signature.Document{Bucket: "docs", Key: "documents/3", VersionID: "v1",
		SHA256: "9f86d081884c7d659a2feaa0c55ad015a3bf4f1b2b0b822cd15d6c15b0f00a08"}
	run = "arn:aws:states:us-east-1:000000000000:execution:Signing:3"
	at  = time.Date(2026, 12, 5, 13, 0, 0, 999, time.FixedZone("CET", 3600))
)

func newKey(t *testing.T) *ecdsa.PrivateKey {
	t.Helper()
	k, err := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	if err != nil {
		t.Fatal(err)
	}
	return k
}

// signer signs digests as KMS does: ASN.1 DER.
func signer(k *ecdsa.PrivateKey) jws.Signer {
	return jws.SignerFunc(func(_ context.Context, digest []byte) ([]byte, error) {
		return ecdsa.SignASN1(rand.Reader, k, digest)
	})
}

func seal(t *testing.T, k *ecdsa.PrivateKey, st signature.Statement) signature.Envelope {
	t.Helper()
	env, err := signature.Seal(t.Context(), signer(k), keyARN, st)
	if err != nil {
		t.Fatal(err)
	}
	return env
}

func TestStatementCanonicalForm(t *testing.T) {
	st := signature.NewStatement("3", doc, "Bob", run, contract.AuthenticatedByLink, at)
	env := seal(t, newKey(t), st)
	parts := strings.Split(env.JWS, ".")
	header, _ := base64.RawURLEncoding.DecodeString(parts[0])
	payload, _ := base64.RawURLEncoding.DecodeString(parts[1])
	if got, want := string(header), `{"alg":"ES256","kid":"`+keyARN+`"}`; got != want {
		t.Errorf("header = %s, want %s", got, want)
	}
	want := `{"documentId":"3","document":{"bucket":"docs","key":"documents/3","versionId":"v1",` +
		`"sha256":"` + doc.SHA256 + `"},"signer":"Bob","decision":"sign","signedAt":"2026-12-05T12:00:00Z",` +
		`"executionArn":"` + run + `","authenticatedBy":"link"}`
	if string(payload) != want {
		t.Errorf("payload = %s\nwant      %s", payload, want)
	}
	if env.Signer != "Bob" || env.Statement != st {
		t.Errorf("envelope = %+v, want signer Bob and the statement", env)
	}
}

// TestSealVerifiesIndependently checks the JWS with crypto/ecdsa directly:
// SHA-256 of the signing input, r‖s split in halves.
func TestSealVerifiesIndependently(t *testing.T) {
	k := newKey(t)
	env := seal(t, k, signature.NewStatement("3", doc, "Alice", run, contract.AuthenticatedByService, at))
	i := strings.LastIndex(env.JWS, ".")
	sig, err := base64.RawURLEncoding.DecodeString(env.JWS[i+1:])
	if err != nil || len(sig) != 64 {
		t.Fatalf("signature %q: %v, %d bytes; want 64", env.JWS[i+1:], err, len(sig))
	}
	digest := sha256.Sum256([]byte(env.JWS[:i]))
	r, s := new(big.Int).SetBytes(sig[:32]), new(big.Int).SetBytes(sig[32:])
	if !ecdsa.Verify(&k.PublicKey, digest[:], r, s) {
		t.Error("crypto/ecdsa does not verify the JWS")
	}
}

func TestVerify(t *testing.T) {
	k, other := newKey(t), newKey(t)
	st := signature.NewStatement("3", doc, "Bob", run, contract.AuthenticatedByLambdaInvoke, at)
	good := seal(t, k, st)
	want := signature.Expected{KeyARN: keyARN, DocumentID: "3", Document: doc, ExecutionARN: run}
	if got, err := signature.Verify(good, &k.PublicKey, want); err != nil || got != st {
		t.Fatalf("Verify = %+v, %v; want the statement", got, err)
	}
	otherDoc := doc
	otherDoc.VersionID = "v2"
	tampered := good
	tampered.Statement.Signer = "Mallory"
	sigFlipped := good
	sigFlipped.JWS = good.JWS[:len(good.JWS)-2] + flip(good.JWS[len(good.JWS)-2:])
	tests := []struct {
		name string
		env  signature.Envelope
		pub  *ecdsa.PublicKey
		want signature.Expected
		p    signature.Problem
	}{
		{"another key's public half", good, &other.PublicKey, want, signature.BadSignature},
		{"signature bytes changed", sigFlipped, &k.PublicKey, want, signature.BadSignature},
		{"another kid expected", good, &k.PublicKey, signature.Expected{KeyARN: keyARN + "0", DocumentID: "3", Document: doc, ExecutionARN: run}, signature.OtherKey},
		{"another document", good, &k.PublicKey, signature.Expected{KeyARN: keyARN, DocumentID: "4", Document: doc, ExecutionARN: run}, signature.OtherDocument},
		{"another version", good, &k.PublicKey, signature.Expected{KeyARN: keyARN, DocumentID: "3", Document: otherDoc, ExecutionARN: run}, signature.OtherDocument},
		{"another run", good, &k.PublicKey, signature.Expected{KeyARN: keyARN, DocumentID: "3", Document: doc, ExecutionARN: run + "x"}, signature.OtherRun},
		{"readable statement edited", tampered, &k.PublicKey, want, signature.Mismatch},
		{"not a JWS", signature.Envelope{Signer: "Bob", JWS: "nope"}, &k.PublicKey, want, signature.Malformed},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := signature.Verify(tt.env, tt.pub, tt.want)
			var ve *signature.VerifyError
			if !errors.As(err, &ve) || ve.Problem != tt.p {
				t.Errorf("Verify = %v, want problem %q", err, tt.p)
			}
		})
	}
}

func flip(s string) string {
	if s[0] == 'A' {
		return "B" + s[1:]
	}
	return "A" + s[1:]
}

func TestOpenRefusesNonCanonicalStatements(t *testing.T) {
	k := newKey(t)
	for _, payload := range []string{
		`{"documentId":"3"}`, // fields missing
		`{ "documentId":"3","document":{"bucket":"","key":"","versionId":"","sha256":""},"signer":"","decision":"","signedAt":"","executionArn":"","authenticatedBy":""}`,
		`{"documentId":"3","extra":1}`,
		`[]`,
	} {
		compact, err := jws.Sign(t.Context(), signer(k), jws.Header{KeyID: keyARN}, []byte(payload))
		if err != nil {
			t.Fatal(err)
		}
		if _, _, err := signature.Open(compact); err == nil {
			t.Errorf("Open(payload %s) succeeded, want a refusal", payload)
		}
	}
}

// TestVerifyRefusesWhatIsNoSignature: a sealed statement that is not a
// sign decision, or names an unknown authentication, does not verify.
func TestVerifyRefusesWhatIsNoSignature(t *testing.T) {
	k := newKey(t)
	for name, edit := range map[string]func(*signature.Statement){
		"a decline":              func(st *signature.Statement) { st.Decision = contract.DecisionDecline },
		"unknown authentication": func(st *signature.Statement) { st.AuthenticatedBy = "password" },
	} {
		st := signature.NewStatement("3", doc, "Bob", run, contract.AuthenticatedByLink, at)
		edit(&st)
		env := seal(t, k, st)
		_, err := signature.Verify(env, &k.PublicKey, signature.Expected{KeyARN: keyARN, DocumentID: "3", Document: doc, ExecutionARN: run})
		var ve *signature.VerifyError
		if !errors.As(err, &ve) || ve.Problem != signature.Malformed {
			t.Errorf("%s: Verify = %v, want problem %q", name, err, signature.Malformed)
		}
	}
}

func TestCheckDocument(t *testing.T) {
	long := strings.Repeat("b", 64)
	tests := []struct {
		name string
		doc  signature.Document
		ok   bool
	}{
		{"doc", doc, true},
		{"no bucket", signature.Document{Key: doc.Key, VersionID: "v1", SHA256: doc.SHA256}, false},
		{"bucket too long", signature.Document{Bucket: long, Key: doc.Key, VersionID: "v1", SHA256: doc.SHA256}, false},
		{"no version", signature.Document{Bucket: "docs", Key: doc.Key, SHA256: doc.SHA256}, false},
		{"another document's key", signature.Document{Bucket: "docs", Key: "documents/4", VersionID: "v1", SHA256: doc.SHA256}, false},
		{"short sha256", signature.Document{Bucket: "docs", Key: doc.Key, VersionID: "v1", SHA256: "2cf2"}, false},
		{"sha256 in capitals", signature.Document{Bucket: "docs", Key: doc.Key, VersionID: "v1", SHA256: strings.ToUpper(doc.SHA256)}, false},
	}
	for _, tt := range tests {
		if err := signature.CheckDocument("3", tt.doc); (err == nil) != tt.ok {
			t.Errorf("%s: CheckDocument = %v, want ok %t", tt.name, err, tt.ok)
		}
	}
}
