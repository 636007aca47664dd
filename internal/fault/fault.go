// Package fault defines the errors the Lambdas return to their callers.
//
// aws-lambda-go reports the Go type name of a returned error as the
// invocation's errorType, without unwrapping, so each type's name is part of
// the contract: return these values themselves, never wrapped. Messages carry
// context for people and are logged by the runtime: never put a task token in one.
package fault

import (
	"fmt"

	"github.com/hitl-go/docsign/internal/contract"
)

// InvalidInput: the event is malformed; nothing was read or written.
type InvalidInput struct{ msg string }

// SignatureRequestNotFound: no signature request exists for the document and signer.
type SignatureRequestNotFound struct{ msg string }

// SignatureAlreadyCompleted: the request was already signed or declined.
type SignatureAlreadyCompleted struct{ msg string }

// SignatureRequestExpired: the run no longer waits for this signature.
type SignatureRequestExpired struct{ msg string }

// SignatureServiceUnavailable: a transient failure or a completion in
// progress; retrying the same call is safe.
type SignatureServiceUnavailable struct{ msg string }

// SignatureRequestConflict: a request cannot be stored because one that must
// not be replaced (completed, or pending for another run) holds its place.
type SignatureRequestConflict struct{ msg string }

// DocumentNotFound: the document to sign, documents/<documentId>, does not exist.
type DocumentNotFound struct{ msg string }

// DocumentChanged: the pinned version of the document is gone or its bytes
// no longer hash to the pinned SHA-256; nothing was signed.
type DocumentChanged struct{ msg string }

// SignatureLinkInvalid: a signing link's code is wrong, was replaced by a
// newer request's, or was used; nothing was read beyond the request's key.
type SignatureLinkInvalid struct{ msg string }

func (e *InvalidInput) Error() string                { return e.msg }
func (e *SignatureRequestNotFound) Error() string    { return e.msg }
func (e *SignatureAlreadyCompleted) Error() string   { return e.msg }
func (e *SignatureRequestExpired) Error() string     { return e.msg }
func (e *SignatureServiceUnavailable) Error() string { return e.msg }
func (e *SignatureRequestConflict) Error() string    { return e.msg }
func (e *DocumentNotFound) Error() string            { return e.msg }
func (e *DocumentChanged) Error() string             { return e.msg }
func (e *SignatureLinkInvalid) Error() string        { return e.msg }

// Invalid returns an *InvalidInput with a formatted message.
func Invalid(format string, args ...any) *InvalidInput {
	return &InvalidInput{fmt.Sprintf(format, args...)}
}

// NotFound returns a *SignatureRequestNotFound with a formatted message.
func NotFound(format string, args ...any) *SignatureRequestNotFound {
	return &SignatureRequestNotFound{fmt.Sprintf(format, args...)}
}

// AlreadyCompleted returns a *SignatureAlreadyCompleted with a formatted message.
func AlreadyCompleted(format string, args ...any) *SignatureAlreadyCompleted {
	return &SignatureAlreadyCompleted{fmt.Sprintf(format, args...)}
}

// Expired returns a *SignatureRequestExpired with a formatted message.
func Expired(format string, args ...any) *SignatureRequestExpired {
	return &SignatureRequestExpired{fmt.Sprintf(format, args...)}
}

// Unavailable returns a *SignatureServiceUnavailable with a formatted message.
func Unavailable(format string, args ...any) *SignatureServiceUnavailable {
	return &SignatureServiceUnavailable{fmt.Sprintf(format, args...)}
}

// Conflict returns a *SignatureRequestConflict with a formatted message.
func Conflict(format string, args ...any) *SignatureRequestConflict {
	return &SignatureRequestConflict{fmt.Sprintf(format, args...)}
}

// DocumentMissing returns a *DocumentNotFound with a formatted message.
func DocumentMissing(format string, args ...any) *DocumentNotFound {
	return &DocumentNotFound{fmt.Sprintf(format, args...)}
}

// Changed returns a *DocumentChanged with a formatted message.
func Changed(format string, args ...any) *DocumentChanged {
	return &DocumentChanged{fmt.Sprintf(format, args...)}
}

// LinkInvalid returns a *SignatureLinkInvalid with a formatted message.
func LinkInvalid(format string, args ...any) *SignatureLinkInvalid {
	return &SignatureLinkInvalid{fmt.Sprintf(format, args...)}
}

// Of returns the error of type errorType (one of the contract's errorType
// values) with message msg, as a caller of a function that returned it
// sees it, and false for a type that is not one of these.
func Of(errorType, msg string) (error, bool) {
	switch errorType {
	case contract.ErrorInvalidInput:
		return Invalid("%s", msg), true
	case contract.ErrorSignatureRequestNotFound:
		return NotFound("%s", msg), true
	case contract.ErrorSignatureAlreadyCompleted:
		return AlreadyCompleted("%s", msg), true
	case contract.ErrorSignatureRequestExpired:
		return Expired("%s", msg), true
	case contract.ErrorSignatureServiceUnavailable:
		return Unavailable("%s", msg), true
	case contract.ErrorSignatureRequestConflict:
		return Conflict("%s", msg), true
	case contract.ErrorDocumentNotFound:
		return DocumentMissing("%s", msg), true
	case contract.ErrorDocumentChanged:
		return Changed("%s", msg), true
	case contract.ErrorSignatureLinkInvalid:
		return LinkInvalid("%s", msg), true
	}
	return nil, false
}
