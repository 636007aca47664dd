package main

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
	exitOK          = 0
	exitError       = 1   // anything else: setup, credentials, AWS or network errors
	exitUsage       = 2   // bad arguments or input
	exitNotFound    = 3   // no such document, run or signature request
	exitCompleted   = 4   // already signed, declined or finished
	exitExpired     = 5   // the signature request or run expired
	exitRetry       = 6   // temporarily unavailable: try again
	exitRunFailed   = 7   // watch: the run ended without every signature
	exitInterrupted = 130 // stopped by Ctrl-C or SIGTERM
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
  130  interrupted`

// cliError is an error as signctl reports it: in words, with what to do,
// and the exit code and machine-readable code scripts see.
type cliError struct {
	Code   string // e.g. "NotFound", or a complete-signature errorType
	Exit   int
	Msg    string
	Detail any // extra data shown with --json (e.g. the finished run)
	Err    error
}

func (e *cliError) Error() string { return e.Msg }
func (e *cliError) Unwrap() error { return e.Err }

func (e *cliError) jsonView() map[string]any {
	v := map[string]any{"code": e.Code, "exitCode": e.Exit, "message": e.Msg}
	if e.Detail != nil {
		v["detail"] = e.Detail
	}
	return v
}

func usageError(msg string) *cliError {
	return &cliError{Code: "InvalidArgument", Exit: exitUsage, Msg: msg}
}

func notFoundError(msg string, err error) *cliError {
	return &cliError{Code: "NotFound", Exit: exitNotFound, Msg: msg, Err: err}
}

// explain turns any error into a *cliError, putting AWS and network errors
// in words. Task tokens never appear in messages (redactTokens).
func explain(err error) error {
	if err == nil {
		return nil
	}
	var ce *cliError
	if errors.As(err, &ce) {
		ce.Msg = redactTokens(ce.Msg)
		return ce
	}
	if errors.Is(err, context.Canceled) {
		return &cliError{Code: "Interrupted", Exit: exitInterrupted, Msg: "interrupted", Err: err}
	}
	code, exit, advice := classifyAWSError(err)
	msg := redactTokens(err.Error())
	if advice != "" {
		msg += "\n  " + advice
	}
	return &cliError{Code: code, Exit: exit, Msg: msg, Err: err}
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
			return code, exitRetry, "The service is busy or briefly unavailable: try again in a few seconds."
		case "UnrecognizedClientException", "InvalidSignatureException", "ExpiredTokenException",
			"AccessDeniedException", "AccessDenied", "ExpiredToken":
			return code, exitError, "Check your AWS credentials and that they may call this API (aws sts get-caller-identity)."
		case "StateMachineDoesNotExist", "ResourceNotFoundException":
			return code, exitError, "Is the stack deployed, and is the outputs file (--outputs-file) from this deployment and endpoint?"
		}
		return code, exitError, ""
	}
	var netErr *net.OpError
	var dnsErr *net.DNSError
	switch {
	case errors.Is(err, syscall.ECONNREFUSED), errors.As(err, &netErr), errors.As(err, &dnsErr):
		return "EndpointUnreachable", exitError,
			"Cannot reach the endpoint: is `signctl local` running, and is --endpoint / AWS_ENDPOINT_URL right?"
	case strings.Contains(err.Error(), "failed to retrieve credentials"), strings.Contains(err.Error(), "no EC2 IMDS role found"):
		return "NoCredentials", exitError,
			"No AWS credentials found: configure them (aws configure), or pass --endpoint for the local stack."
	case errors.Is(err, context.DeadlineExceeded):
		return "Timeout", exitRetry, "The call timed out: try again."
	}
	return "Error", exitError, ""
}

// wrapf adds context to an error while keeping it classifiable (errors.As
// still finds a *cliError or an SDK error inside).
func wrapf(err error, format string, args ...any) error {
	return fmt.Errorf(format+": %w", append(args, err)...)
}
