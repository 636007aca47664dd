package jws

import (
	"bytes"
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/sha256"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"strings"
	"unicode/utf8"
)

// Size limits of Parse. A signed statement is well under a kilobyte;
// MaxCompactSize also bounds what an attacker can make Parse decode.
const (
	MaxCompactSize = 64 << 10
	MaxHeaderSize  = 4 << 10
)

// Token is a parsed JWS.
type Token struct {
	Header Header
	// Payload is the decoded payload.
	Payload []byte
	// SigningInput is what was signed: BASE64URL(header) "." BASE64URL(payload).
	SigningInput []byte
	// Signature is the JOSE signature, r‖s (64 bytes).
	Signature []byte
}

// Parse decodes a JWS compact serialization strictly: three parts of
// unpadded base64url, a header that is a JSON object with exactly the
// members alg (ES256) and kid (non-empty), each once, and a 64-byte
// signature. It does not check the signature: see Verify.
func Parse(compact string) (*Token, error) {
	if len(compact) > MaxCompactSize {
		return nil, fmt.Errorf("jws: %d bytes, over the %d-byte limit", len(compact), MaxCompactSize)
	}
	parts := strings.Split(compact, ".")
	if len(parts) != 3 {
		return nil, fmt.Errorf("jws: %d parts, want 3 (header.payload.signature)", len(parts))
	}
	if len(parts[0]) > b64.EncodedLen(MaxHeaderSize) {
		return nil, fmt.Errorf("jws: header over %d bytes", MaxHeaderSize)
	}
	names := [3]string{"header", "payload", "signature"}
	var raw [3][]byte
	for i, p := range parts {
		b, err := b64.DecodeString(p)
		if err == nil && !isBase64URL(p) {
			err = errors.New("character outside the base64url alphabet")
		}
		if err != nil {
			return nil, fmt.Errorf("jws: %s is not unpadded base64url: %w", names[i], err)
		}
		raw[i] = b
	}
	h, err := parseHeader(raw[0])
	if err != nil {
		return nil, fmt.Errorf("jws: header: %w", err)
	}
	if _, _, err := splitJOSE(raw[2]); err != nil {
		return nil, fmt.Errorf("jws: %w", err)
	}
	return &Token{Header: h, Payload: raw[1], SigningInput: []byte(parts[0] + "." + parts[1]), Signature: raw[2]}, nil
}

// Verify parses compact and checks its signature with pub, a P-256 key.
func Verify(compact string, pub *ecdsa.PublicKey) (*Token, error) {
	if pub == nil || pub.Curve != elliptic.P256() {
		return nil, errors.New("jws verify: the key is not a P-256 public key")
	}
	t, err := Parse(compact)
	if err != nil {
		return nil, err
	}
	r, s, err := splitJOSE(t.Signature)
	if err != nil {
		return nil, fmt.Errorf("jws verify: %w", err)
	}
	digest := sha256.Sum256(t.SigningInput)
	if !ecdsa.Verify(pub, digest[:], r, s) {
		return nil, fmt.Errorf("jws verify: the signature does not match key %s", t.Header.KeyID)
	}
	return t, nil
}

// parseHeader decodes the protected header strictly: one JSON object of
// string members alg and kid, each exactly once, nothing else (so no crit,
// no jwk or x5u pointing elsewhere, no duplicate a lenient parser would
// read differently).
func parseHeader(data []byte) (Header, error) {
	var h Header
	if !utf8.Valid(data) {
		return h, errors.New("not UTF-8")
	}
	dec := json.NewDecoder(bytes.NewReader(data))
	if tok, err := dec.Token(); err != nil || tok != json.Delim('{') {
		return h, errors.New("not a JSON object")
	}
	seen := map[string]bool{}
	for dec.More() {
		tok, err := dec.Token()
		if err != nil {
			return h, fmt.Errorf("malformed JSON: %w", err)
		}
		name, _ := tok.(string)
		if name != "alg" && name != "kid" {
			return h, fmt.Errorf("member %q is not allowed (only alg and kid)", name)
		}
		if seen[name] {
			return h, fmt.Errorf("member %q appears twice", name)
		}
		seen[name] = true
		tok, err = dec.Token()
		value, ok := tok.(string)
		if err != nil || !ok {
			return h, fmt.Errorf("member %q is not a string", name)
		}
		if name == "alg" {
			h.Alg = value
		} else {
			h.KeyID = value
		}
	}
	if tok, err := dec.Token(); err != nil || tok != json.Delim('}') {
		return h, errors.New("malformed JSON object")
	}
	if _, err := dec.Token(); !errors.Is(err, io.EOF) {
		return h, errors.New("data after the JSON object")
	}
	if h.Alg != Alg {
		return h, fmt.Errorf("alg %q, only %s is accepted", h.Alg, Alg)
	}
	if h.KeyID == "" {
		return h, errors.New("no kid")
	}
	return h, nil
}

// isBase64URL reports whether s holds only base64url characters: Go's
// decoder skips CR and LF, which a compact serialization must not contain.
func isBase64URL(s string) bool {
	for i := 0; i < len(s); i++ {
		c := s[i]
		if !('A' <= c && c <= 'Z' || 'a' <= c && c <= 'z' || '0' <= c && c <= '9' || c == '-' || c == '_') {
			return false
		}
	}
	return true
}
