package jws

import (
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/x509"
	"errors"
	"fmt"
)

// PublicKeyFromDER decodes the public key KMS's GetPublicKey returns (DER
// SubjectPublicKeyInfo) and checks that it is a P-256 key.
func PublicKeyFromDER(der []byte) (*ecdsa.PublicKey, error) {
	k, err := x509.ParsePKIXPublicKey(der)
	if err != nil {
		return nil, fmt.Errorf("parse public key: %w", err)
	}
	pub, ok := k.(*ecdsa.PublicKey)
	if !ok {
		return nil, fmt.Errorf("public key is %T, not ECDSA", k)
	}
	if pub.Curve != elliptic.P256() {
		return nil, errors.New("public key is not on P-256")
	}
	return pub, nil
}
