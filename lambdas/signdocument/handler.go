package main

import (
	"context"
	"encoding/json"
	"errors"
	"log/slog"
	"time"

	"github.com/hitl-go/docsign/internal/contract"
	"github.com/hitl-go/docsign/internal/event"
	"github.com/hitl-go/docsign/internal/fault"
	"github.com/hitl-go/docsign/internal/signature"
	"github.com/hitl-go/docsign/internal/signing"
	"github.com/hitl-go/docsign/internal/tokenstore"
)

// Input is the sign-document event: the auto signer, the run and its
// pinned document.
type Input struct {
	DocumentID   string             `json:"documentId"`
	Document     signature.Document `json:"document"`
	Signer       string             `json:"signer"`
	ExecutionARN string             `json:"executionArn"`
}

// Sealer is what the handler needs to sign.
type Sealer interface {
	Sign(ctx context.Context, documentID string, doc signature.Document, signer, executionARN, authenticatedBy string) (signature.Envelope, error)
}

// Store is what the handler needs of the token store.
type Store interface {
	Record(ctx context.Context, r tokenstore.Request) error
}

var (
	_ Sealer = (*signing.Sealer)(nil)
	_ Store  = (*tokenstore.Store)(nil)
)

// Handler signs documents for automatic signers.
type Handler struct {
	sealer Sealer
	store  Store
}

// NewHandler returns a Handler signing with sealer and recording in store.
func NewHandler(sealer Sealer, store Store) *Handler { return &Handler{sealer: sealer, store: store} }

// Handle validates the event, signs the pinned document as the signer
// (authenticated by the service itself), records the signature in the table
// and returns its envelope. Failures are *fault.InvalidInput,
// *fault.DocumentChanged, *fault.SignatureRequestConflict (another run's
// signature holds the place) or *fault.SignatureServiceUnavailable (retry).
func (h *Handler) Handle(ctx context.Context, payload json.RawMessage) (signature.Envelope, error) {
	in, err := parse(payload)
	if err != nil {
		return signature.Envelope{}, err
	}
	env, err := h.sealer.Sign(ctx, in.DocumentID, in.Document, in.Signer, in.ExecutionARN, contract.AuthenticatedByService)
	if err != nil {
		return signature.Envelope{}, err
	}
	signedAt, _ := time.Parse(time.RFC3339, env.Statement.SignedAt)
	err = h.store.Record(ctx, tokenstore.Request{
		Key:          tokenstore.Key{DocumentID: in.DocumentID, Signer: in.Signer},
		ExecutionARN: in.ExecutionARN, Document: in.Document, CompletedAt: signedAt,
		Decision: contract.DecisionSign, JWS: env.JWS,
	})
	var state *tokenstore.StateError
	switch {
	case errors.As(err, &state):
		return signature.Envelope{}, fault.Conflict("record signature of %s for %s: already %s by another run (%s); a document is signed once, use a new documentId",
			in.Signer, in.DocumentID, state.Current.Status, state.Current.ExecutionARN)
	case err != nil:
		return signature.Envelope{}, fault.Unavailable("record signature of %s for %s: %v; retry", in.Signer, in.DocumentID, err)
	}
	slog.InfoContext(ctx, "document signed", "documentId", in.DocumentID, "signer", in.Signer, "versionId", in.Document.VersionID)
	return env, nil
}

func parse(payload json.RawMessage) (Input, error) {
	var in Input
	if err := event.Decode(payload, &in); err != nil {
		return Input{}, err
	}
	invalid := func(err error) (Input, error) { return Input{}, fault.Invalid("invalid input: %v", err) }
	if err := contract.CheckDocumentID(in.DocumentID); err != nil {
		return invalid(err)
	}
	if err := contract.CheckSigner(in.Signer); err != nil {
		return invalid(err)
	}
	if err := signature.CheckDocument(in.DocumentID, in.Document); err != nil {
		return invalid(err)
	}
	if err := contract.CheckExecutionARN(in.ExecutionARN); err != nil {
		return invalid(err)
	}
	return in, nil
}
