package jws

import (
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/rand"
	"crypto/x509"
	"testing"
)

func TestPublicKeyFromDER(t *testing.T) {
	key := newTestKey(t)
	der, err := x509.MarshalPKIXPublicKey(&key.PublicKey)
	if err != nil {
		t.Fatal(err)
	}
	pub, err := PublicKeyFromDER(der)
	if err != nil || !pub.Equal(&key.PublicKey) {
		t.Fatalf("PublicKeyFromDER: %v", err)
	}
	p384, _ := ecdsa.GenerateKey(elliptic.P384(), rand.Reader)
	p384DER, _ := x509.MarshalPKIXPublicKey(&p384.PublicKey)
	for name, bad := range map[string][]byte{"P-384": p384DER, "garbage": []byte("nope"), "truncated": der[:len(der)-1]} {
		if _, err := PublicKeyFromDER(bad); err == nil {
			t.Errorf("%s: accepted", name)
		}
	}
}
