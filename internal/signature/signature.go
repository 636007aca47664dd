// Package signature defines a signature — the output of sign-document and the
// task output complete-signature sends.
package signature

import (
	"crypto/sha256"
	"encoding/hex"
	"time"
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
