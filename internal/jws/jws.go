// Package jws makes and checks the signatures of signed statements: JWS
// compact serializations (RFC 7515) with ES256 (ECDSA P-256 over SHA-256,
// RFC 7518 section 3.4) and the protected header {"alg":"ES256","kid":…}.
package jws

import (
	"context"
	"crypto/sha256"
	"encoding/base64"
	"encoding/json"
	"errors"
	"fmt"
)

// Alg is the only algorithm made and accepted.
const Alg = "ES256"

// Header is the protected header. It is written as {"alg":"ES256","kid":…}
// in that order, with nothing else.
type Header struct {
	Alg string `json:"alg"`
	// KeyID is the key ARN of the KMS key that signs.
	KeyID string `json:"kid"`
}

// Signer signs a SHA-256 digest with a P-256 key and returns the ECDSA
// signature in ASN.1 DER, as KMS's Sign does.
type Signer interface {
	SignDigest(ctx context.Context, digest []byte) (der []byte, err error)
}

// SignerFunc adapts a function to a Signer.
type SignerFunc func(ctx context.Context, digest []byte) ([]byte, error)

// SignDigest calls f.
func (f SignerFunc) SignDigest(ctx context.Context, digest []byte) ([]byte, error) {
	return f(ctx, digest)
}

var b64 = base64.RawURLEncoding.Strict()

// Sign returns the JWS compact serialization of payload, signed by s under
// the protected header {"alg":"ES256","kid":h.KeyID}. h.Alg must be empty
// or ES256.
func Sign(ctx context.Context, s Signer, h Header, payload []byte) (string, error) {
	if h.Alg != "" && h.Alg != Alg {
		return "", fmt.Errorf("jws sign: algorithm %q, only %s is supported", h.Alg, Alg)
	}
	if h.KeyID == "" {
		return "", errors.New("jws sign: the header has no kid")
	}
	h.Alg = Alg
	header, err := json.Marshal(h)
	if err != nil {
		return "", fmt.Errorf("jws sign: encode header: %w", err)
	}
	input := b64.EncodeToString(header) + "." + b64.EncodeToString(payload)
	if len(input)+1+sigB64Len > MaxCompactSize {
		return "", fmt.Errorf("jws sign: %d bytes of signing input, over the %d-byte limit", len(input), MaxCompactSize)
	}
	digest := sha256.Sum256([]byte(input))
	der, err := s.SignDigest(ctx, digest[:])
	if err != nil {
		return "", fmt.Errorf("jws sign with %s: %w", h.KeyID, err)
	}
	sig, err := DERToJOSE(der)
	if err != nil {
		return "", fmt.Errorf("jws sign with %s: %w", h.KeyID, err)
	}
	return input + "." + b64.EncodeToString(sig), nil
}
