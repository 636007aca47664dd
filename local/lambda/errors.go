package lambda

import (
	"errors"
	"fmt"
)

// ErrHostClosed is returned by a Host that has been closed.
var ErrHostClosed = errors.New("lambda host closed")

// ResourceNotFoundError reports a function (or qualifier) the host does not
// serve. Lambda answers it as ResourceNotFoundException (404).
type ResourceNotFoundError struct {
	ARN string // the function ARN asked for, qualified when a qualifier was given
}

func (e *ResourceNotFoundError) Error() string { return "Function not found: " + e.ARN }

// ErrorCode is the AWS error code, as in Step Functions' "Lambda.<code>".
func (e *ResourceNotFoundError) ErrorCode() string { return "ResourceNotFoundException" }

// InvalidRequestContentError reports a payload that is not JSON, or a
// malformed client context (InvalidRequestContentException, 400).
type InvalidRequestContentError struct {
	Message string
}

func (e *InvalidRequestContentError) Error() string { return e.Message }

// ErrorCode is the AWS error code.
func (e *InvalidRequestContentError) ErrorCode() string { return "InvalidRequestContentException" }

// RequestTooLargeError reports a payload over Lambda's invocation limit
// (RequestTooLargeException, 413).
type RequestTooLargeError struct {
	Size           int
	Limit          int
	InvocationType string
}

func (e *RequestTooLargeError) Error() string {
	return fmt.Sprintf("%d byte payload is too large for the %s invocation type (limit %d bytes)",
		e.Size, e.InvocationType, e.Limit)
}

// ErrorCode is the AWS error code.
func (e *RequestTooLargeError) ErrorCode() string { return "RequestTooLargeException" }

// TooManyRequestsError reports an invocation refused because the function's
// reserved concurrency is in use (TooManyRequestsException, 429).
type TooManyRequestsError struct {
	Reason string // ThrottleReason, e.g. ReservedFunctionConcurrentInvocationLimitExceeded
}

func (e *TooManyRequestsError) Error() string { return "Rate Exceeded." }

// ErrorCode is the AWS error code.
func (e *TooManyRequestsError) ErrorCode() string { return "TooManyRequestsException" }

// InvalidParameterValueError reports a request parameter Lambda rejects
// (InvalidParameterValueException, 400).
type InvalidParameterValueError struct {
	Message string
}

func (e *InvalidParameterValueError) Error() string { return e.Message }

// ErrorCode is the AWS error code.
func (e *InvalidParameterValueError) ErrorCode() string { return "InvalidParameterValueException" }

// ValidationError reports a function name that matches none of the forms
// Lambda accepts (ValidationException, 400).
type ValidationError struct {
	Value string
}

func (e *ValidationError) Error() string {
	return fmt.Sprintf("1 validation error detected: Value '%s' at 'functionName' failed to satisfy constraint: "+
		"Member must satisfy regular expression pattern: %s", e.Value, functionNamePattern)
}

// ErrorCode is the AWS error code.
func (e *ValidationError) ErrorCode() string { return "ValidationException" }
