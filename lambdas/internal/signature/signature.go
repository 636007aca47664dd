// Package signature defines a signature — the output of sign-document and the
// task output complete-signature sends — and the rules for the names in it.
package signature

import (
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"regexp"
	"time"
	"unicode"
)

// Signature is one signer's signature of one document.
type Signature struct {
	DocumentID string `json:"documentId"`
	Signer     string `json:"signer"`
	Signature  string `json:"signature"`
	SignedAt   string `json:"signedAt"` // RFC 3339, UTC
}

// New signs documentID as signer at the given time. The signature text is a
// digest binding the three, so a changed field no longer matches it.
func New(documentID, signer string, at time.Time) Signature {
	signedAt := at.UTC().Format(time.RFC3339)
	sum := sha256.Sum256([]byte(documentID + "\n" + signer + "\n" + signedAt))
	return Signature{
		DocumentID: documentID,
		Signer:     signer,
		Signature:  "sha256:" + hex.EncodeToString(sum[:16]),
		SignedAt:   signedAt,
	}
}

var documentIDPattern = regexp.MustCompile(`^[A-Za-z0-9_-]{1,80}$`)

// CheckDocumentID reports whether id is 1–80 characters of [A-Za-z0-9_-].
func CheckDocumentID(id string) error {
	if id == "" {
		return fmt.Errorf("documentId is required")
	}
	if !documentIDPattern.MatchString(id) {
		return fmt.Errorf("documentId must be 1-80 characters of A-Z a-z 0-9 _ - (got %d characters)", len(id))
	}
	return nil
}

// MaxSignerLength bounds a signer's name.
const MaxSignerLength = 80

// CheckSigner reports whether name is a usable signer name: 1–80 characters,
// no control characters.
func CheckSigner(name string) error {
	if name == "" {
		return fmt.Errorf("signer is required")
	}
	if len(name) > MaxSignerLength {
		return fmt.Errorf("signer is longer than %d bytes", MaxSignerLength)
	}
	for _, r := range name {
		if unicode.IsControl(r) || r == unicode.ReplacementChar {
			return fmt.Errorf("signer contains a control or invalid character")
		}
	}
	return nil
}
