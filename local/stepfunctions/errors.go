package stepfunctions

import "github.com/hitl-go/docsign/local/internal/apierror"

// APIError is an error of the Step Functions API: Code is AWS's error code
// (the "__type" of the JSON 1.0 error body), Message its message.
type APIError = apierror.Error

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

// validationError formats AWS's message for a request field that breaks a
// constraint. Values of sensitive fields (inputs, outputs, task tokens) are
// left out of the message, as AWS does; others are shown cut to
// apierror.MaxShown characters, so a huge value is never echoed back.
func validationError(field, value, constraint string) *APIError {
	if value == "" {
		return apierror.New(codeValidationException,
			"1 validation error detected: Value at '%s' failed to satisfy constraint: %s", field, constraint)
	}
	return apierror.New(codeValidationException,
		"1 validation error detected: Value '%s' at '%s' failed to satisfy constraint: %s", apierror.Clip(value), field, constraint)
}
