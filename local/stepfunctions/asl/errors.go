package asl

import (
	"fmt"
	"strings"
)

// Predefined error names (ASL spec, Appendix A, and the developer guide's
// "Error handling" page).
const (
	ErrAll                     = "States.ALL"
	ErrDataLimitExceeded       = "States.DataLimitExceeded"
	ErrRuntime                 = "States.Runtime"
	ErrTimeout                 = "States.Timeout"
	ErrHeartbeatTimeout        = "States.HeartbeatTimeout"
	ErrTaskFailed              = "States.TaskFailed"
	ErrPermissions             = "States.Permissions"
	ErrResultPathMatchFailure  = "States.ResultPathMatchFailure"
	ErrParameterPathFailure    = "States.ParameterPathFailure"
	ErrBranchFailed            = "States.BranchFailed"
	ErrNoChoiceMatched         = "States.NoChoiceMatched"
	ErrIntrinsicFailure        = "States.IntrinsicFailure"
	ErrExceedToleratedFailures = "States.ExceedToleratedFailureThreshold"
)

// Error is a Step Functions runtime error: Name is the error name that
// Retry/Catch match ("States.Runtime", "States.ResultPathMatchFailure", …) and
// Cause is human-readable text as AWS words it.
type Error struct {
	Name  string
	Cause string
}

// Error returns "Name: Cause".
func (e *Error) Error() string {
	if e.Cause == "" {
		return e.Name
	}
	return e.Name + ": " + e.Cause
}

func runtimeError(format string, args ...any) *Error {
	return &Error{Name: ErrRuntime, Cause: fmt.Sprintf(format, args...)}
}

// ErrorMatches reports whether a Retrier's or Catcher's ErrorEquals list
// matches errorName. Semantics (developer guide, "Error handling"):
//   - a name matches itself;
//   - States.ALL matches any name except States.Runtime and
//     States.DataLimitExceeded;
//   - States.TaskFailed matches any name except States.Timeout,
//     States.HeartbeatTimeout, States.Runtime and States.DataLimitExceeded;
//   - States.Timeout also matches States.HeartbeatTimeout (the spec describes
//     States.Timeout as covering a missed heartbeat);
//   - States.Runtime is never matched, even when listed: AWS documents it as
//     "not retriable, and will always cause the execution to fail".
func ErrorMatches(errorEquals []string, errorName string) bool {
	if errorName == ErrRuntime {
		return false
	}
	for _, e := range errorEquals {
		switch {
		case e == errorName:
			return true
		case e == ErrAll && errorName != ErrDataLimitExceeded:
			return true
		case e == ErrTaskFailed && !isTimeout(errorName) && errorName != ErrDataLimitExceeded:
			return true
		case e == ErrTimeout && errorName == ErrHeartbeatTimeout:
			return true
		}
	}
	return false
}

func isTimeout(name string) bool {
	return name == ErrTimeout || name == ErrHeartbeatTimeout
}

// ValidateErrorEquals checks the ErrorEquals lists of one state's Retry or
// Catch field (field is "Retry" or "Catch", used in messages) at load time:
// each list is non-empty, holds non-empty names, and States.ALL appears alone
// and only in the last element (ASL spec, "Retrying after error" and
// "Fallback states").
func ValidateErrorEquals(field string, lists [][]string) error {
	for i, list := range lists {
		where := fmt.Sprintf("%s[%d].ErrorEquals", field, i)
		if len(list) == 0 {
			return fmt.Errorf("%s must be a non-empty array", where)
		}
		for _, name := range list {
			if strings.TrimSpace(name) == "" {
				return fmt.Errorf("%s holds an empty error name", where)
			}
			if name != ErrAll {
				continue
			}
			if len(list) > 1 {
				return fmt.Errorf("%s: %s must appear alone in the array", where, ErrAll)
			}
			if i != len(lists)-1 {
				return fmt.Errorf("%s: %s must appear only in the last element of %s", where, ErrAll, field)
			}
		}
	}
	return nil
}
