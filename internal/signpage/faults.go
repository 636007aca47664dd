package signpage

import (
	"errors"
	"fmt"

	"github.com/hitl-go/docsign/internal/contract"
	"github.com/hitl-go/docsign/internal/fault"
)

// faultStatus maps a completer's error to the HTTP status and error type
// the page answers with; ok is false for an error no completer may return.
func faultStatus(err error) (status int, errorType string, ok bool) {
	var (
		invalid     *fault.InvalidInput
		link        *fault.SignatureLinkInvalid
		notFound    *fault.SignatureRequestNotFound
		completed   *fault.SignatureAlreadyCompleted
		changed     *fault.DocumentChanged
		expired     *fault.SignatureRequestExpired
		unavailable *fault.SignatureServiceUnavailable
	)
	switch {
	case errors.As(err, &invalid):
		return 400, contract.ErrorInvalidInput, true
	case errors.As(err, &link):
		return 403, contract.ErrorSignatureLinkInvalid, true
	case errors.As(err, &notFound):
		return 404, contract.ErrorSignatureRequestNotFound, true
	case errors.As(err, &completed):
		return 409, contract.ErrorSignatureAlreadyCompleted, true
	case errors.As(err, &changed):
		return 409, contract.ErrorDocumentChanged, true
	case errors.As(err, &expired):
		return 410, contract.ErrorSignatureRequestExpired, true
	case errors.As(err, &unavailable):
		return 503, contract.ErrorSignatureServiceUnavailable, true
	}
	return 500, errorInternal, false
}

// completerError is the JSON answer to a completer's error. The message is
// the completer's own, for the signer to read, less the code.
func completerError(err error, code string) reply {
	status, errorType, ok := faultStatus(err)
	if !ok {
		r := jsonError(status, errorType, "something went wrong on our side; try again later")
		r.internal = internalDetail(err, code)
		return r
	}
	return jsonError(status, errorType, redact(err.Error(), code))
}

// internalDetail is what the log says of an error no completer may return:
// its type and message, less the code.
func internalDetail(err error, code string) string {
	return redact(fmt.Sprintf("%T: %v", err, err), code)
}
