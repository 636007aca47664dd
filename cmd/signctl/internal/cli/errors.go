package cli

import (
	"context"
	"errors"
	"fmt"
	"net"
	"strings"
	"syscall"

	"github.com/aws/smithy-go"
)

// Exit codes (documented in exitCodesHelp).
const (
	ExitOK          = 0
	ExitError       = 1   // anything else: setup, credentials, AWS or network errors
	ExitUsage       = 2   // bad arguments or input
	ExitNotFound    = 3   // no such document, run or signature request
	ExitCompleted   = 4   // already signed, declined or finished
	ExitExpired     = 5   // the signature request or run expired
	ExitRetry       = 6   // temporarily unavailable: try again
	ExitRunFailed   = 7   // watch: the run ended without every signature
	ExitInvalid     = 8   // verify: a signature does not hold, a signer is missing, or the file is not the pinned document
	ExitInterrupted = 130 // stopped by Ctrl-C or SIGTERM
)

const exitCodesHelp = `Exit codes:
  0    success
  1    error (setup, credentials, AWS or network) — the message says what to do
  2    invalid arguments or input
  3    not found: no such document, run or signature request
  4    already completed: the document was already signed, declined or finished
  5    expired: the signature request or run timed out
  6    temporarily unavailable: try again in a few seconds
  7    watch: the run ended without every signature (FAILED, TIMED_OUT, ABORTED)
  8    verify: the document's signatures do not verify (bad signature, other key,
       other document, other run, missing signer) or the file is not the pinned one
  130  interrupted`

// Error is an error as signctl reports it: in words, with what to do, and
// the exit code and machine-readable code scripts see.
type Error struct {
	Code   string // e.g. "NotFound", or a complete-signature errorType
	Exit   int
	Msg    string
	Detail any // extra data shown with --json (e.g. the finished run)
	Err    error
	// Reported means the command already printed its result as JSON (a
	// report that says what failed): with --json, Execute adds no
	// {"error":…} document to stdout, only the message to stderr.
	Reported bool
}

func (e *Error) Error() string { return e.Msg }
func (e *Error) Unwrap() error { return e.Err }

func (e *Error) jsonView() map[string]any {
	v := map[string]any{"code": e.Code, "exitCode": e.Exit, "message": e.Msg}
	if e.Detail != nil {
		v["detail"] = e.Detail
	}
	return v
}

// UsageError reports bad arguments or input (exit 2).
func UsageError(msg string) *Error {
	return &Error{Code: "InvalidArgument", Exit: ExitUsage, Msg: msg}
}

// NotFoundError reports a missing document, run or request (exit 3).
func NotFoundError(msg string, err error) *Error {
	return &Error{Code: "NotFound", Exit: ExitNotFound, Msg: msg, Err: err}
}

// Explain turns any error into an *Error, putting AWS and network errors
// in words. Token-shaped text never appears in messages (RedactTokens).
func Explain(err error) error {
	if err == nil {
		return nil
	}
	var ce *Error
	if errors.As(err, &ce) {
		ce.Msg = RedactTokens(ce.Msg)
		return ce
	}
	if errors.Is(err, context.Canceled) {
		return &Error{Code: "Interrupted", Exit: ExitInterrupted, Msg: "interrupted", Err: err}
	}
	code, exit, advice := classifyAWSError(err)
	msg := RedactTokens(err.Error())
	if advice != "" {
		msg += "\n  " + advice
	}
	return &Error{Code: code, Exit: exit, Msg: msg, Err: err}
}

// classifyAWSError maps an SDK or network error to a code, an exit code and
// advice on what to do.
func classifyAWSError(err error) (code string, exit int, advice string) {
	var apiErr smithy.APIError
	if errors.As(err, &apiErr) {
		code = apiErr.ErrorCode()
		switch code {
		case "ThrottlingException", "TooManyRequestsException", "ProvisionedThroughputExceededException",
			"RequestLimitExceeded", "ServiceUnavailable", "ServiceException", "InternalServerError":
			return code, ExitRetry, "The service is busy or briefly unavailable: try again in a few seconds."
		case "UnrecognizedClientException", "InvalidSignatureException", "ExpiredTokenException",
			"AccessDeniedException", "AccessDenied", "ExpiredToken":
			return code, ExitError, "Check your AWS credentials and that they may call this API (aws sts get-caller-identity)."
		case "StateMachineDoesNotExist", "ResourceNotFoundException":
			return code, ExitError, "Is the stack deployed, and is the outputs file (--outputs-file) from this deployment and endpoint?"
		}
		return code, ExitError, ""
	}
	var netErr *net.OpError
	var dnsErr *net.DNSError
	switch {
	case errors.Is(err, syscall.ECONNREFUSED), errors.As(err, &netErr), errors.As(err, &dnsErr):
		return "EndpointUnreachable", ExitError,
			"Cannot reach the endpoint: is `signctl local` running, and is --endpoint / AWS_ENDPOINT_URL right?"
	case strings.Contains(err.Error(), "failed to retrieve credentials"), strings.Contains(err.Error(), "no EC2 IMDS role found"):
		return "NoCredentials", ExitError,
			"No AWS credentials found: configure them (aws configure), or pass --endpoint for the local stack."
	case errors.Is(err, context.DeadlineExceeded):
		return "Timeout", ExitRetry, "The call timed out: try again."
	}
	return "Error", ExitError, ""
}

// Wrapf adds context to an error while keeping it classifiable (errors.As
// still finds an *Error or an SDK error inside).
func Wrapf(err error, format string, args ...any) error {
	return fmt.Errorf(format+": %w", append(args, err)...)
}
