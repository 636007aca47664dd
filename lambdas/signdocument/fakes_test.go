package main

import (
	"context"
	"sync"
	"time"

	"github.com/hitl-go/docsign/internal/signature"
	"github.com/hitl-go/docsign/internal/tokenstore"
)

var at = time.Date(2026, 11, 22, 12, 0, 0, 0, time.UTC)

const (
	execARN    = "arn:aws:states:us-east-1:000000000000:execution:DocumentSigningStateMachine:3"
	pinnedJSON = `{"bucket":"docs","key":"documents/3","versionId":"v1","sha256":"2cf24dba5fb0a30e26e83b2ac5b9e29e1b161e5c1fa7425e73043362938b9824"}`
)

var pinned = signature.Document{Bucket: "docs", Key: "documents/3", VersionID: "v1",
	SHA256: "2cf24dba5fb0a30e26e83b2ac5b9e29e1b161e5c1fa7425e73043362938b9824"}

// fakeSealer seals without KMS (package signing's tests sign for real).
type fakeSealer struct {
	err   error
	calls *int
}

func (f fakeSealer) Sign(_ context.Context, documentID string, doc signature.Document, signer, executionARN, authenticatedBy string) (signature.Envelope, error) {
	if f.calls != nil {
		*f.calls++
	}
	if f.err != nil {
		return signature.Envelope{}, f.err
	}
	st := signature.NewStatement(documentID, doc, signer, executionARN, authenticatedBy, at)
	return signature.Envelope{Signer: signer, Statement: st, JWS: "header." + documentID + "." + signer}, nil
}

// fakeStore records what is recorded, answering err.
type fakeStore struct {
	mu      sync.Mutex
	err     error
	records []tokenstore.Request
}

func (s *fakeStore) Record(_ context.Context, r tokenstore.Request) error {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.err != nil {
		return s.err
	}
	s.records = append(s.records, r)
	return nil
}
