package main

import (
	"context"
	"encoding/json"
	"errors"
	"log/slog"

	"github.com/hitl-go/docsign/internal/contract"
	"github.com/hitl-go/docsign/internal/documents"
	"github.com/hitl-go/docsign/internal/event"
	"github.com/hitl-go/docsign/internal/fault"
	"github.com/hitl-go/docsign/internal/signature"
)

// Input is the run's documentId and the run's own name, which must be the
// same: a run is named after its document, so a document is signed once.
type Input struct {
	DocumentID    string `json:"documentId"`
	ExecutionName string `json:"executionName"`
}

// Output is the pinned document, what the Parallel state hands each signer.
type Output struct {
	DocumentID string             `json:"documentId"`
	Document   signature.Document `json:"document"`
}

// Handler pins documents in one bucket.
type Handler struct {
	s3     documents.S3
	bucket string
}

// NewHandler returns a Handler reading documents from bucket.
func NewHandler(s3 documents.S3, bucket string) *Handler { return &Handler{s3: s3, bucket: bucket} }

// Handle pins the document. Failures are *fault.InvalidInput (also for a
// run not named after its document),
// *fault.DocumentNotFound (no such document: the run fails, retrying would
// not help) or *fault.SignatureServiceUnavailable (S3 failed: retry).
func (h *Handler) Handle(ctx context.Context, payload json.RawMessage) (Output, error) {
	var in Input
	if err := event.Decode(payload, &in); err != nil {
		return Output{}, err
	}
	if err := contract.CheckDocumentID(in.DocumentID); err != nil {
		return Output{}, fault.Invalid("invalid input: %v", err)
	}
	if in.ExecutionName != in.DocumentID {
		return Output{}, fault.Invalid("invalid input: the run is named %q but signs documentId %q; name each run after its document",
			in.ExecutionName, in.DocumentID)
	}
	doc, err := documents.Pin(ctx, h.s3, h.bucket, in.DocumentID)
	switch {
	case errors.Is(err, documents.ErrNotFound):
		return Output{}, fault.DocumentMissing("document %s not found: upload it to s3://%s/%s, then start a run named after it",
			in.DocumentID, h.bucket, contract.DocumentKey(in.DocumentID))
	case err != nil:
		return Output{}, fault.Unavailable("pin document %s: %v; retry", in.DocumentID, err)
	}
	slog.InfoContext(ctx, "document pinned", "documentId", in.DocumentID, "versionId", doc.VersionID, "sha256", doc.SHA256)
	return Output{DocumentID: in.DocumentID, Document: doc}, nil
}
