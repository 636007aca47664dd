package sns

import "github.com/hitl-go/docsign/local/internal/apierror"

// APIError is an error of the SNS API: Code is AWS's error code (the
// <Code> of the query protocol's <ErrorResponse>), Message its message.
type APIError = apierror.Error

// faultType is the <Type> of an error: Receiver for the service's own
// failures, Sender for the caller's.
func faultType(e *APIError) string {
	if e.HTTPStatus() >= 500 {
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

// invalidParameter is SNS's usual refusal: "Invalid parameter: <what>".
func invalidParameter(what string) *APIError {
	return apierror.New(codeInvalidParameter, "Invalid parameter: %s", what)
}
