package sns

import (
	"fmt"
	"net/http"
)

// APIError is an error of the SNS API: Code is AWS's error code (the
// <Code> of the query protocol's <ErrorResponse>), Message its message.
type APIError struct {
	Code    string
	Message string
	// Status is the HTTP status code; 0 means 400.
	Status int
}

func (e *APIError) Error() string { return e.Code + ": " + e.Message }

func (e *APIError) httpStatus() int {
	if e.Status == 0 {
		return http.StatusBadRequest
	}
	return e.Status
}

// faultType is the <Type> of the error: Receiver for the service's own
// failures, Sender for the caller's.
func (e *APIError) faultType() string {
	if e.httpStatus() >= 500 {
		return "Receiver"
	}
	return "Sender"
}

// AWS's error codes used here: the awsQueryError codes of the SNS model
// (aws-sdk-go-v2/service/sns schemas: InvalidParameterException is
// "InvalidParameter", InvalidParameterValueException is
// "ParameterValueInvalid", NotFoundException "NotFound" with 404,
// AuthorizationErrorException "AuthorizationError" with 403), plus the
// query protocol's own.
const (
	codeInvalidParameter      = "InvalidParameter"
	codeParameterValueInvalid = "ParameterValueInvalid"
	codeNotFound              = "NotFound"
	codeAuthorization         = "AuthorizationError"
	codeValidation            = "ValidationError"
	codeInvalidAction         = "InvalidAction"
	codeMissingAction         = "MissingAction"
	codeMalformedQuery        = "MalformedQueryString"
	codeInternal              = "InternalError"
)

func apiErrorf(code, format string, args ...any) *APIError {
	return &APIError{Code: code, Message: fmt.Sprintf(format, args...)}
}

// invalidParameter is SNS's usual refusal: "Invalid parameter: <what>".
func invalidParameter(what string) *APIError {
	return apiErrorf(codeInvalidParameter, "Invalid parameter: %s", what)
}

// maxShownValue is how many characters of a request value an error message
// shows, so a huge value is never echoed back.
const maxShownValue = 256

// clip cuts s to maxShownValue characters, marking a cut with "...".
func clip(s string) string {
	n := 0
	for i := range s {
		if n == maxShownValue {
			return s[:i] + "..."
		}
		n++
	}
	return s
}
