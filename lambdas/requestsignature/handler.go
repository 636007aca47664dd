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
	"github.com/hitl-go/docsign/internal/tokenstore"
)

// Input is the waitForTaskToken task's payload (the state's Parameters).
type Input struct {
	TaskToken      string             `json:"taskToken"`
	DocumentID     string             `json:"documentId"`
	Document       signature.Document `json:"document"` // the run's pinned document
	Signer         string             `json:"signer"`
	ExecutionARN   string             `json:"executionArn"`
	StartedAt      string             `json:"startedAt"` // $$.Execution.StartTime, ISO 8601
	TimeoutSeconds int64              `json:"timeoutSeconds"`
}

// Output reports the stored request. The task's result comes later, from
// complete-signature's SendTaskSuccess.
type Output struct {
	DocumentID string          `json:"documentId"`
	Signer     string          `json:"signer"`
	Status     contract.Status `json:"status"`
	ExpiresAt  int64           `json:"expiresAt"` // epoch seconds
}

// Store is what the handler needs of the token store.
type Store interface {
	Put(ctx context.Context, r tokenstore.Request, now time.Time) error
}

var _ Store = (*tokenstore.Store)(nil)

// Notifier tells the signer of a stored request, with a link carrying code.
type Notifier interface {
	Notify(ctx context.Context, r tokenstore.Request, code string) error
}

var _ Notifier = (*SNSNotifier)(nil)

// Handler stores signature requests and notifies their signers.
type Handler struct {
	store    Store
	notifier Notifier
	now      func() time.Time
	newCode  func() string
}

// NewHandler returns a Handler writing to store and notifying through n.
func NewHandler(store Store, n Notifier) *Handler {
	return &Handler{store: store, notifier: n, now: time.Now, newCode: newCode}
}

// Limits from the Step Functions API.
const (
	maxTokenLength = 2048 // SendTaskSuccess taskToken
	// maxTimeoutSeconds is the largest TimeoutSeconds the engine accepts in
	// a definition; beyond about 292 years a time.Duration would overflow.
	maxTimeoutSeconds = 99_999_999
)

// Handle validates the event, stores the request as PENDING with
// expiresAt = startedAt + timeoutSeconds and the hash of a new one-time
// code, then notifies the signer with the code's link. A retried task thus
// replaces the code, and the previous link stops working. Failures are *fault.InvalidInput,
// *fault.SignatureRequestConflict (a completed request, or one pending for
// another live run, holds the place) or *fault.SignatureServiceUnavailable
// (transient, or a completion of the previous token is in progress: retry).
func (h *Handler) Handle(ctx context.Context, payload json.RawMessage) (Output, error) {
	r, err := parse(payload)
	if err != nil {
		return Output{}, err
	}
	now, code := h.now(), h.newCode()
	r.RequestedAt, r.CodeHash = now, contract.HashCode(code)
	err = h.store.Put(ctx, r, now)
	var state *tokenstore.StateError
	switch {
	case errors.As(err, &state) && state.Current.Status == contract.StatusPending && state.Current.Claimed(now):
		return Output{}, fault.Unavailable("store signature request %s: a completion of the previous request is in progress; retry", r.Key)
	case errors.As(err, &state) && state.Current.Status == contract.StatusPending && state.Current.ExecutionARN == r.ExecutionARN:
		// Another attempt of this run stored its request no earlier (the
		// same millisecond, or a clock behind): a retry brings a later one.
		return Output{}, fault.Unavailable("store signature request %s: another attempt of this run stored one at the same time; retry", r.Key)
	case errors.As(err, &state) && state.Current.Status == contract.StatusPending:
		return Output{}, fault.Conflict("store signature request %s: pending for another run (%s)", r.Key, state.Current.ExecutionARN)
	case errors.As(err, &state):
		return Output{}, fault.Conflict("store signature request %s: already %s; a document is signed once, use a new documentId", r.Key, state.Current.Status)
	case err != nil:
		return Output{}, fault.Unavailable("store signature request %s: %v", r.Key, err)
	}
	slog.InfoContext(ctx, "signature request stored", "request", r)
	if err := h.notifier.Notify(ctx, r, code); err != nil {
		// The stored code is one nobody knows; the task's retry stores a new
		// one and notifies again.
		return Output{}, fault.Unavailable("signature request %s stored, but %v; retry", r.Key, err)
	}
	slog.InfoContext(ctx, "signer notified", "request", r)
	return Output{DocumentID: r.DocumentID, Signer: r.Signer, Status: contract.StatusPending, ExpiresAt: r.ExpiresAt.Unix()}, nil
}

// parse decodes and validates the event into a request (without RequestedAt).
func parse(payload json.RawMessage) (tokenstore.Request, error) {
	var in Input
	if err := event.Decode(payload, &in); err != nil {
		return tokenstore.Request{}, err
	}
	invalid := func(format string, args ...any) (tokenstore.Request, error) {
		return tokenstore.Request{}, fault.Invalid("invalid input: "+format, args...)
	}
	if err := contract.CheckDocumentID(in.DocumentID); err != nil {
		return invalid("%v", err)
	}
	if err := contract.CheckSigner(in.Signer); err != nil {
		return invalid("%v", err)
	}
	if err := signature.CheckDocument(in.DocumentID, in.Document); err != nil {
		return invalid("%v", err)
	}
	if in.TaskToken == "" || len(in.TaskToken) > maxTokenLength {
		return invalid("taskToken must be 1-%d characters", maxTokenLength)
	}
	if err := contract.CheckExecutionARN(in.ExecutionARN); err != nil {
		return invalid("%v", err)
	}
	started, err := time.Parse(time.RFC3339Nano, in.StartedAt)
	if err != nil {
		return invalid("startedAt must be an RFC 3339 time")
	}
	if in.TimeoutSeconds < 1 || in.TimeoutSeconds > maxTimeoutSeconds {
		return invalid("timeoutSeconds must be 1-%d", maxTimeoutSeconds)
	}
	deadline := started.Add(time.Duration(in.TimeoutSeconds) * time.Second)
	return tokenstore.Request{
		Key:          tokenstore.Key{DocumentID: in.DocumentID, Signer: in.Signer},
		TaskToken:    in.TaskToken,
		Status:       contract.StatusPending,
		ExecutionARN: in.ExecutionARN,
		Document:     in.Document,
		ExpiresAt:    tokenstore.RoundUp(deadline), // never expire before the run does
	}, nil
}
