package stepfunctions

import (
	"fmt"
	"net/http"
)

// APIError is an error of the Step Functions API: Code is AWS's error code
// (the "__type" of the JSON 1.0 error body), Message its message.
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

// AWS's error codes used by this engine.
const (
	codeExecutionAlreadyExists       = "ExecutionAlreadyExists"
	codeExecutionDoesNotExist        = "ExecutionDoesNotExist"
	codeInvalidArn                   = "InvalidArn"
	codeInvalidDefinition            = "InvalidDefinition"
	codeInvalidExecutionInput        = "InvalidExecutionInput"
	codeInvalidName                  = "InvalidName"
	codeInvalidOutput                = "InvalidOutput"
	codeInvalidToken                 = "InvalidToken"
	codeStateMachineAlreadyExists    = "StateMachineAlreadyExists"
	codeStateMachineDoesNotExist     = "StateMachineDoesNotExist"
	codeStateMachineTypeNotSupported = "StateMachineTypeNotSupported"
	codeTaskTimedOut                 = "TaskTimedOut"
	codeValidationException          = "ValidationException"
	codeSerializationException       = "SerializationException"
	codeUnknownOperationException    = "UnknownOperationException"
	codeInternalFailure              = "InternalFailure"
)

func apiErrorf(code, format string, args ...any) *APIError {
	return &APIError{Code: code, Message: fmt.Sprintf(format, args...)}
}

// validationError formats AWS's message for a request field that breaks a
// constraint. Values of sensitive fields (inputs, outputs, task tokens) are
// left out of the message, as AWS does; others are shown cut to
// maxShownValue characters, so a huge value is never echoed back.
func validationError(field, value, constraint string) *APIError {
	if value == "" {
		return apiErrorf(codeValidationException,
			"1 validation error detected: Value at '%s' failed to satisfy constraint: %s", field, constraint)
	}
	return apiErrorf(codeValidationException,
		"1 validation error detected: Value '%s' at '%s' failed to satisfy constraint: %s", clip(value), field, constraint)
}

// maxShownValue is how many characters of a request value an error message
// shows: as many as the longest ARN.
const maxShownValue = 256

// clip cuts s to maxShownValue characters, marking a cut with "...".
func clip(s string) string {
	if len(s) <= maxShownValue {
		return s
	}
	n := 0
	for i := range s {
		if n == maxShownValue {
			return s[:i] + "..."
		}
		n++
	}
	return s
}
