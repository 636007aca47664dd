package contract

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
}

// CompleteResult is complete-signature's answer.
type CompleteResult struct {
	DocumentID string `json:"documentId"`
	Signer     string `json:"signer"`
	Status     Status `json:"status"`
}
