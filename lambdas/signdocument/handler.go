package main

import (
	"context"
	"encoding/json"
	"time"

	"github.com/hitl-go/docsign/internal/contract"
	"github.com/hitl-go/docsign/internal/event"
	"github.com/hitl-go/docsign/internal/fault"
	"github.com/hitl-go/docsign/internal/signature"
)

// Input is the sign-document event: {"documentId":"3","signer":"Alice"}.
type Input struct {
	DocumentID string `json:"documentId"`
	Signer     string `json:"signer"`
}

// Handler signs documents for automatic signers.
type Handler struct {
	now func() time.Time
}

// NewHandler returns a Handler using the system clock.
func NewHandler() *Handler { return &Handler{now: time.Now} }

// Handle validates the event and returns the signature at once. Failures are
// *fault.InvalidInput.
func (h *Handler) Handle(_ context.Context, payload json.RawMessage) (signature.Signature, error) {
	var in Input
	if err := event.Decode(payload, &in); err != nil {
		return signature.Signature{}, err
	}
	if err := contract.CheckDocumentID(in.DocumentID); err != nil {
		return signature.Signature{}, fault.Invalid("invalid input: %v", err)
	}
	if err := contract.CheckSigner(in.Signer); err != nil {
		return signature.Signature{}, fault.Invalid("invalid input: %v", err)
	}
	return signature.New(in.DocumentID, in.Signer, h.now()), nil
}
