// Package signing is what the signing Lambdas share: check that the pinned
// document is still there, unchanged, then seal the signer's statement with
// the stack's KMS key. Its errors are the faults callers see.
package signing

import (
	"context"
	"errors"
	"fmt"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/kms"

	"github.com/hitl-go/docsign/internal/contract"
	"github.com/hitl-go/docsign/internal/documents"
	"github.com/hitl-go/docsign/internal/fault"
	"github.com/hitl-go/docsign/internal/jws"
	"github.com/hitl-go/docsign/internal/signature"
)

// Sealer signs statements over pinned documents.
type Sealer struct {
	Documents documents.S3
	Key       jws.Signer
	KeyARN    string // the kid of every JWS
	Now       func() time.Time
}

// New returns a Sealer reading documents through cfg's S3 and signing with
// the KMS key named by the environment (contract.EnvSigningKeyARN).
func New(cfg aws.Config, getenv func(string) string) (*Sealer, error) {
	keyARN := getenv(contract.EnvSigningKeyARN)
	if keyARN == "" {
		return nil, fmt.Errorf("%s is not set", contract.EnvSigningKeyARN)
	}
	return &Sealer{
		Documents: documents.NewClient(cfg),
		Key:       KMSSigner{Client: kms.NewFromConfig(cfg), KeyID: keyARN},
		KeyARN:    keyARN,
		Now:       time.Now,
	}, nil
}

// Sign checks that doc is unchanged and returns signer's sealed statement
// that they sign it in the run executionARN. It returns a
// *fault.DocumentChanged when the pinned version is gone or differs, and a
// *fault.SignatureServiceUnavailable when S3 or KMS failed (retry).
func (s *Sealer) Sign(ctx context.Context, documentID string, doc signature.Document, signer, executionARN, authenticatedBy string) (signature.Envelope, error) {
	err := documents.Check(ctx, s.Documents, doc)
	switch {
	case errors.Is(err, documents.ErrNotFound), errors.Is(err, documents.ErrChanged):
		return signature.Envelope{}, fault.Changed("document %s: the pinned version is gone or changed, nothing was signed (%v); "+
			"upload the document again and sign it under a new documentId", documentID, err)
	case err != nil:
		return signature.Envelope{}, fault.Unavailable("document %s: check the pinned version: %v; retry", documentID, err)
	}
	st := signature.NewStatement(documentID, doc, signer, executionARN, authenticatedBy, s.Now())
	env, err := signature.Seal(ctx, s.Key, s.KeyARN, st)
	if err != nil {
		return signature.Envelope{}, fault.Unavailable("document %s: sign for %s: %v; retry", documentID, signer, err)
	}
	return env, nil
}
