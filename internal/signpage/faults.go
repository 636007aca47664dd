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

// completerError is the JSON answer to a completer's error: its message,
// less the code, for the signer to read. A 503's message is the page's own,
// since the cause (an AWS error) is no business of the public: the log has it.
func completerError(err error, code string) reply {
	status, errorType, ok := faultStatus(err)
	switch {
	case !ok:
		r := jsonError(status, errorType, "something went wrong on our side; try again later")
		r.detail = detail(err, code)
		return r
	case status == 503:
		r := jsonError(status, errorType, fmt.Sprintf("the signing service is busy or briefly unavailable; try again in %d seconds", retryAfterSeconds))
		r.detail = detail(err, code)
		return r
	}
	return jsonError(status, errorType, redact(err.Error(), code))
}

// detail is what the log says of a completer's error: its type and
// message, less the code.
func detail(err error, code string) string {
	return redact(fmt.Sprintf("%T: %v", err, err), code)
}
