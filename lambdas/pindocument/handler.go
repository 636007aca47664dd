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

// Input is the run's input: {"documentId":"3"}.
type Input struct {
	DocumentID string `json:"documentId"`
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

// Handle pins the document. Failures are *fault.InvalidInput,
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
