package docsapi

import (
	"time"

	"github.com/hitl-go/docsign/internal/contract"
	"github.com/hitl-go/docsign/internal/signature"
)

// Started is POST's answer (202): the run that signs the document.
type Started struct {
	DocumentID   string `json:"documentId"`
	ExecutionARN string `json:"executionArn"`
}

// DocumentStatus is GET's answer (200): the document's run and where each
// signer it reached stands.
type DocumentStatus struct {
	DocumentID   string `json:"documentId"`
	ExecutionARN string `json:"executionArn"`
	// Status is the run's: RUNNING, SUCCEEDED, FAILED, TIMED_OUT or ABORTED.
	Status string `json:"status"`
	// Document is the version the run pinned, null until a signer's request
	// records it.
	Document *signature.Document `json:"document"`
	Signers  []SignerStatus      `json:"signers"` // in signer order; [] before the run reaches any
}

// SignerStatus is one signer's request: never its task token or code hash.
type SignerStatus struct {
	Signer      string              `json:"signer"`
	Status      contract.Status     `json:"status"`
	CompletedAt time.Time           `json:"completedAt,omitzero"` // UTC, once signed, declined or expired
	Reason      string              `json:"reason,omitempty"`     // a decline's
	Envelope    *signature.Envelope `json:"envelope,omitempty"`   // the signature, once SIGNED
}

// Refusal is the body of every refusal the handler makes itself (4xx, 503).
type Refusal struct {
	ErrorType string `json:"errorType"`
	Message   string `json:"message"`
}

// gatewayRefusal is the body API Gateway gives its own refusals
// ({"message":"Forbidden"}); the handler answers a request API Gateway should
// have refused the same way.
type gatewayRefusal struct {
	Message string `json:"message"`
}
