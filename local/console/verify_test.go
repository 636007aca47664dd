package console

import (
	"context"
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/rand"
	"crypto/x509"
	"encoding/base64"
	"encoding/json"
	"net/http"
	"reflect"
	"testing"
	"time"

	"github.com/hitl-go/docsign/internal/contract"
	"github.com/hitl-go/docsign/internal/jws"
	"github.com/hitl-go/docsign/internal/signature"
)

const (
	testKeyARN = "arn:aws:kms:us-east-1:000000000000:key/6f0c1e3a-0000-4000-8000-000000000001"
	testRunARN = "arn:aws:states:us-east-1:000000000000:execution:SigningStateMachine:contract-7"
)

var testDocument = signature.Document{Bucket: "documentsigningstack-documents", Key: "documents/contract-7", VersionID: "v1",
	SHA256: "9f86d081884c7d659a2feaa0c55ad015a3bf4f1b2b0b822cd15d6c15b0f00a08"}

// testKey is a P-256 key standing in for the stack's KMS key: its public
// half in DER, as GetPublicKey returns it, and a signer that answers DER
// signatures, as KMS Sign does.
type testKey struct {
	der    string // base64
	signer jws.Signer
}

func newTestKey(t *testing.T) testKey {
	t.Helper()
	k, err := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	if err != nil {
		t.Fatal(err)
	}
	der, err := x509.MarshalPKIXPublicKey(&k.PublicKey)
	if err != nil {
		t.Fatal(err)
	}
	return testKey{der: base64.StdEncoding.EncodeToString(der),
		signer: jws.SignerFunc(func(_ context.Context, digest []byte) ([]byte, error) { return ecdsa.SignASN1(rand.Reader, k, digest) })}
}

func (k testKey) seal(t *testing.T, signer, authenticatedBy string) signature.Envelope {
	t.Helper()
	st := signature.NewStatement("contract-7", testDocument, signer, testRunARN, authenticatedBy, time.Date(2026, 12, 5, 12, 0, 0, 0, time.UTC))
	env, err := signature.Seal(t.Context(), k.signer, testKeyARN, st)
	if err != nil {
		t.Fatal(err)
	}
	return env
}

func verifyBody(t *testing.T, key testKey, keyARN string, envs ...signature.Envelope) string {
	t.Helper()
	b, err := json.Marshal(verifyRequest{KeyARN: keyARN, PublicKey: key.der, DocumentID: "contract-7", Document: testDocument,
		ExecutionARN: testRunARN, Signatures: envs})
	if err != nil {
		t.Fatal(err)
	}
	return string(b)
}

func TestVerify(t *testing.T) {
	key, other := newTestKey(t), newTestKey(t)
	alice, bob := key.seal(t, "Alice", contract.AuthenticatedByService), key.seal(t, "Bob", contract.AuthenticatedByLambdaInvoke)
	edited := bob
	edited.Statement.SignedAt = "2026-12-06T12:00:00Z"
	tests := []struct {
		name string
		body string
		want []verdict
	}{
		{"both valid", verifyBody(t, key, testKeyARN, alice, bob),
			[]verdict{{Signer: "Alice", Valid: true}, {Signer: "Bob", Valid: true}}},
		{"another key's public half", verifyBody(t, other, testKeyARN, alice),
			[]verdict{{Signer: "Alice", Problem: string(signature.BadSignature)}}},
		{"another key expected", verifyBody(t, key, testKeyARN+"0", alice),
			[]verdict{{Signer: "Alice", Problem: string(signature.OtherKey)}}},
		{"the readable statement edited", verifyBody(t, key, testKeyARN, alice, edited),
			[]verdict{{Signer: "Alice", Valid: true}, {Signer: "Bob", Problem: string(signature.Mismatch)}}},
	}
	h := Handler(Options{})
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			res := get(t, h, "POST", "/console/verify", tt.body, "Content-Type", "application/json")
			body := readBody(t, res)
			if res.StatusCode != http.StatusOK {
				t.Fatalf("status = %d (%s), want 200", res.StatusCode, body)
			}
			var got struct{ Signatures []verdict }
			if err := json.Unmarshal([]byte(body), &got); err != nil {
				t.Fatalf("answer %s: %v", body, err)
			}
			for i := range got.Signatures {
				if !got.Signatures[i].Valid && got.Signatures[i].Detail == "" {
					t.Errorf("verdict %+v has no detail", got.Signatures[i])
				}
				got.Signatures[i].Detail = ""
			}
			if !reflect.DeepEqual(got.Signatures, tt.want) {
				t.Errorf("verdicts = %+v, want %+v", got.Signatures, tt.want)
			}
		})
	}
}

func TestVerifyRefusesBadRequests(t *testing.T) {
	key := newTestKey(t)
	notP256 := key
	notP256.der = base64.StdEncoding.EncodeToString([]byte("not a key"))
	tests := []struct{ name, body, code string }{
		{"not JSON", "{", "InvalidRequest"},
		{"unknown member", `{"keyArn":"k","documentId":"d","executionArn":"e","extra":1}`, "InvalidRequest"},
		{"no key ARN", verifyBody(t, key, ""), "InvalidRequest"},
		{"public key not base64", `{"keyArn":"k","documentId":"d","executionArn":"e","publicKey":"%%"}`, "InvalidRequest"},
		{"public key not DER", verifyBody(t, notP256, testKeyARN), "InvalidPublicKey"},
	}
	h := Handler(Options{})
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			res := get(t, h, "POST", "/console/verify", tt.body)
			body := readBody(t, res)
			var e struct {
				Type string `json:"__type"`
			}
			json.Unmarshal([]byte(body), &e)
			if res.StatusCode != http.StatusBadRequest || e.Type != tt.code {
				t.Errorf("answer = %d %s, want 400 %s", res.StatusCode, body, tt.code)
			}
		})
	}
}
