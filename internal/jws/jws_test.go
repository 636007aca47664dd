package jws

import (
	"bytes"
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

	jose "github.com/go-jose/go-jose/v4"
)

const testKID = "arn:aws:kms:us-east-1:000000000000:key/1234abcd-12ab-34cd-56ef-1234567890ab"

func newTestKey(t testing.TB) *ecdsa.PrivateKey {
	t.Helper()
	k, err := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	if err != nil {
		t.Fatal(err)
	}
	return k
}

// keySigner signs as KMS does: a DER signature of the digest.
func keySigner(k *ecdsa.PrivateKey) Signer {
	return SignerFunc(func(_ context.Context, digest []byte) ([]byte, error) {
		return ecdsa.SignASN1(rand.Reader, k, digest)
	})
}

// TestSignRoundTrip signs statements and checks each token three ways:
// by hand (split, decode, crypto/ecdsa.Verify on r and s), with go-jose,
// and with Verify.
func TestSignRoundTrip(t *testing.T) {
	key := newTestKey(t)
	payloads := [][]byte{
		[]byte(`{"documentId":"1","decision":"sign","signer":"Alice"}`),
		[]byte(`{}`),
		{},
		bytes.Repeat([]byte{0xff, 0x00, '.'}, 1000),
	}
	for i, payload := range payloads {
		for range 20 { // different r, s sizes come up across signatures
			compact, err := Sign(context.Background(), keySigner(key), Header{KeyID: testKID}, payload)
			if err != nil {
				t.Fatal(err)
			}
			parts := strings.Split(compact, ".")
			header, _ := base64.RawURLEncoding.DecodeString(parts[0])
			if want := `{"alg":"ES256","kid":"` + testKID + `"}`; string(header) != want {
				t.Fatalf("header %s, want %s", header, want)
			}
			gotPayload, _ := base64.RawURLEncoding.DecodeString(parts[1])
			sig, _ := base64.RawURLEncoding.DecodeString(parts[2])
			digest := sha256.Sum256([]byte(parts[0] + "." + parts[1]))
			r, s := new(big.Int).SetBytes(sig[:32]), new(big.Int).SetBytes(sig[32:])
			if !bytes.Equal(gotPayload, payload) || len(sig) != 64 || !ecdsa.Verify(&key.PublicKey, digest[:], r, s) {
				t.Fatalf("payload %d: token %s does not verify by hand", i, compact)
			}
			jws, err := jose.ParseSignedCompact(compact, []jose.SignatureAlgorithm{jose.ES256})
			if err != nil {
				t.Fatalf("go-jose parse: %v", err)
			}
			if got, err := jws.Verify(&key.PublicKey); err != nil || !bytes.Equal(got, payload) {
				t.Fatalf("go-jose verify: %v", err)
			}
			tok, err := Verify(compact, &key.PublicKey)
			if err != nil || !bytes.Equal(tok.Payload, payload) || tok.Header.KeyID != testKID {
				t.Fatalf("Verify: %v", err)
			}
		}
	}
}

// TestVerifyGoJOSEToken checks Verify against a token go-jose made.
func TestVerifyGoJOSEToken(t *testing.T) {
	key := newTestKey(t)
	signer, err := jose.NewSigner(jose.SigningKey{Algorithm: jose.ES256, Key: jose.JSONWebKey{Key: key, KeyID: testKID}}, nil)
	if err != nil {
		t.Fatal(err)
	}
	obj, err := signer.Sign([]byte(`{"documentId":"7"}`))
	if err != nil {
		t.Fatal(err)
	}
	compact, err := obj.CompactSerialize()
	if err != nil {
		t.Fatal(err)
	}
	tok, err := Verify(compact, &key.PublicKey)
	if err != nil || string(tok.Payload) != `{"documentId":"7"}` || tok.Header.KeyID != testKID {
		t.Errorf("Verify(go-jose token): %+v, %v", tok, err)
	}
}

func TestVerifyRefuses(t *testing.T) {
	key, other := newTestKey(t), newTestKey(t)
	compact, err := Sign(context.Background(), keySigner(key), Header{KeyID: testKID}, []byte(`{"a":1}`))
	if err != nil {
		t.Fatal(err)
	}
	parts := strings.Split(compact, ".")
	otherPayload := parts[0] + "." + base64.RawURLEncoding.EncodeToString([]byte(`{"a":2}`)) + "." + parts[2]
	p384, _ := ecdsa.GenerateKey(elliptic.P384(), rand.Reader)
	tests := []struct {
		name    string
		compact string
		pub     *ecdsa.PublicKey
	}{
		{"other key", compact, &other.PublicKey},
		{"other payload", otherPayload, &key.PublicKey},
		{"nil key", compact, nil},
		{"P-384 key", compact, &p384.PublicKey},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			if _, err := Verify(tc.compact, tc.pub); err == nil {
				t.Error("verified")
			}
		})
	}
}

func TestSignRefuses(t *testing.T) {
	key := newTestKey(t)
	failing := SignerFunc(func(context.Context, []byte) ([]byte, error) { return nil, errors.New("throttled") })
	notDER := SignerFunc(func(context.Context, []byte) ([]byte, error) { return []byte("sig"), nil })
	tests := []struct {
		name    string
		signer  Signer
		header  Header
		payload []byte
		want    string
	}{
		{"other algorithm", keySigner(key), Header{Alg: "RS256", KeyID: testKID}, nil, "only ES256"},
		{"no kid", keySigner(key), Header{}, nil, "no kid"},
		{"signer fails", failing, Header{KeyID: testKID}, nil, "throttled"},
		{"signer returns no DER", notDER, Header{KeyID: testKID}, nil, "not DER"},
		{"payload too large", keySigner(key), Header{KeyID: testKID}, make([]byte, MaxCompactSize), "limit"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			_, err := Sign(context.Background(), tc.signer, tc.header, tc.payload)
			if err == nil || !strings.Contains(err.Error(), tc.want) {
				t.Errorf("got %v, want an error with %q", err, tc.want)
			}
		})
	}
}
