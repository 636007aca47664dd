package contract

import (
	"fmt"
	"unicode/utf8"
)

// Decisions a callback signer can make.
const (
	DecisionSign    = "sign"
	DecisionDecline = "decline"
)

// DefaultSigner completes a request whose event names no signer (unless the
// workflow's only callback signer is someone else).
const DefaultSigner = "Bob"

// MaxReasonLength bounds a decline's reason, in characters.
const MaxReasonLength = 1000

// CompleteInput is complete-signature's event: {"documentId":"3"}, or
// {"documentId":"3","signer":"Bob","decision":"decline","reason":"…"}.
type CompleteInput struct {
	DocumentID string `json:"documentId"`
	Signer     string `json:"signer,omitempty"`   // default DefaultSigner
	Decision   string `json:"decision,omitempty"` // DecisionSign (default) or DecisionDecline
	Reason     string `json:"reason,omitempty"`   // decline only
	// Code is a signing link's one-time code, when the signing page passes
	// the signer's answer on: the request completes only if it matches, and
	// the signature says authenticatedBy "link".
	Code string `json:"code,omitempty"`
}

// CompleteResult is complete-signature's answer.
type CompleteResult struct {
	DocumentID string `json:"documentId"`
	Signer     string `json:"signer"`
	Status     Status `json:"status"`
}

// CheckReason reports whether reason is a usable decline reason: at most
// MaxReasonLength characters, no control, format or invalid characters
// (whoever declines must not be able to rewrite an operator's terminal).
func CheckReason(reason string) error {
	if utf8.RuneCountInString(reason) > MaxReasonLength {
		return fmt.Errorf("reason is longer than %d characters", MaxReasonLength)
	}
	if hasUnprintable(reason) {
		return fmt.Errorf("reason contains a control or invalid character (Unicode Cc or Cf, or bad UTF-8)")
	}
	return nil
}
