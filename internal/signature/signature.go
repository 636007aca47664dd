// Package signature makes and checks signed statements: a signer's statement
// that they signed one pinned version of a document in one run, sealed as a
// JWS (ES256, KMS-signed; package jws) inside an envelope
// {"signer","statement","jws"}. Anyone with the key's public half can check
// an envelope offline; docs/design.md describes the format.
package signature

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"time"

	"github.com/hitl-go/docsign/internal/contract"
	"github.com/hitl-go/docsign/internal/jws"
)

// Document is one pinned version of a document: what every signature of a
// run is over.
type Document struct {
	Bucket    string `json:"bucket" dynamodbav:"bucket"`
	Key       string `json:"key" dynamodbav:"key"`
	VersionID string `json:"versionId" dynamodbav:"versionId"`
	SHA256    string `json:"sha256" dynamodbav:"sha256"` // lowercase hex of the version's bytes
}

// Statement is what a signer signs. Its JSON form, fields in this order and
// without spaces, is the JWS payload.
type Statement struct {
	DocumentID      string   `json:"documentId"`
	Document        Document `json:"document"`
	Signer          string   `json:"signer"`
	Decision        string   `json:"decision"` // contract.DecisionSign
	SignedAt        string   `json:"signedAt"` // RFC 3339, UTC, whole seconds
	ExecutionARN    string   `json:"executionArn"`
	AuthenticatedBy string   `json:"authenticatedBy"` // contract.AuthenticatedBy…
}

// Envelope is a signature: the statement, readable, and the JWS that seals it.
type Envelope struct {
	Signer    string    `json:"signer"`
	Statement Statement `json:"statement"`
	JWS       string    `json:"jws"`
}

// NewStatement is signer's statement that they sign doc, pinned for the run
// executionARN, at the given time.
func NewStatement(documentID string, doc Document, signer, executionARN, authenticatedBy string, at time.Time) Statement {
	return Statement{
		DocumentID: documentID, Document: doc, Signer: signer, Decision: contract.DecisionSign,
		SignedAt: at.UTC().Format(time.RFC3339), ExecutionARN: executionARN, AuthenticatedBy: authenticatedBy,
	}
}

// Seal signs st with s, the KMS key keyARN, and returns the envelope.
func Seal(ctx context.Context, s jws.Signer, keyARN string, st Statement) (Envelope, error) {
	payload, err := json.Marshal(st)
	if err != nil {
		return Envelope{}, fmt.Errorf("seal statement of %s for %s: %w", st.Signer, st.DocumentID, err)
	}
	compact, err := jws.Sign(ctx, s, jws.Header{KeyID: keyARN}, payload)
	if err != nil {
		return Envelope{}, fmt.Errorf("seal statement of %s for %s: %w", st.Signer, st.DocumentID, err)
	}
	return Envelope{Signer: st.Signer, Statement: st, JWS: compact}, nil
}

// Open reads the envelope sealed in compact without checking its signature:
// the statement is decoded strictly from the payload. Use Verify to trust it.
func Open(compact string) (Envelope, string, error) {
	tok, err := jws.Parse(compact)
	if err != nil {
		return Envelope{}, "", err
	}
	st, err := decodeStatement(tok.Payload)
	if err != nil {
		return Envelope{}, "", err
	}
	return Envelope{Signer: st.Signer, Statement: st, JWS: compact}, tok.Header.KeyID, nil
}

func decodeStatement(payload []byte) (Statement, error) {
	dec := json.NewDecoder(bytes.NewReader(payload))
	dec.DisallowUnknownFields()
	var st Statement
	if err := dec.Decode(&st); err != nil {
		return Statement{}, fmt.Errorf("statement: %w", err)
	}
	if dec.More() {
		return Statement{}, errors.New("statement: data after the JSON object")
	}
	if canonical, _ := json.Marshal(st); !bytes.Equal(canonical, payload) {
		return Statement{}, errors.New("statement: not in canonical form (fields in order, no spaces, nothing missing)")
	}
	return st, nil
}

// CheckDocument validates a pinned document given in an event, for the
// message of an *fault.InvalidInput.
func CheckDocument(documentID string, doc Document) error {
	switch {
	case doc.Bucket == "" || len(doc.Bucket) > 63 || doc.VersionID == "" || len(doc.VersionID) > 1024:
		return errors.New("document must name its bucket (1-63 characters) and versionId (1-1024)")
	case doc.Key != contract.DocumentKey(documentID):
		return fmt.Errorf("document key must be %s", contract.DocumentKey(documentID))
	case len(doc.SHA256) != 64 || !isLowerHex(doc.SHA256):
		return errors.New("document sha256 must be 64 lowercase hex digits")
	}
	return nil
}

func isLowerHex(s string) bool {
	for _, r := range s {
		if !(r >= '0' && r <= '9' || r >= 'a' && r <= 'f') {
			return false
		}
	}
	return true
}
