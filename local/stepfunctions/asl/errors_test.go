package asl

import (
	"testing"
)

func TestErrorMatches(t *testing.T) {
	tests := []struct {
		name        string
		errorEquals []string
		errorName   string
		want        bool
	}{
		{"exact name", []string{"HandledError"}, "HandledError", true},
		{"names are case-sensitive", []string{"handlederror"}, "HandledError", false},
		{"one of several", []string{"ErrorA", "ErrorB"}, "ErrorB", true},
		{"States.ALL matches a task error", []string{ErrAll}, "Lambda.Unknown", true},
		{"States.ALL matches States.Timeout", []string{ErrAll}, ErrTimeout, true},
		// Developer guide, "Error handling": States.ALL does not catch these.
		{"States.ALL skips States.Runtime", []string{ErrAll}, ErrRuntime, false},
		{"States.ALL skips States.DataLimitExceeded", []string{ErrAll}, ErrDataLimitExceeded, false},
		{"explicit States.DataLimitExceeded", []string{ErrDataLimitExceeded}, ErrDataLimitExceeded, true},
		{"States.Runtime is never caught", []string{ErrRuntime}, ErrRuntime, false},
		// Developer guide: States.TaskFailed "matches any known error name except for States.Timeout".
		{"States.TaskFailed matches a Lambda error", []string{ErrTaskFailed}, "Lambda.Unknown", true},
		{"States.TaskFailed matches a custom error", []string{ErrTaskFailed}, "SignatureDeclined", true},
		{"States.TaskFailed skips States.Timeout", []string{ErrTaskFailed}, ErrTimeout, false},
		{"States.TaskFailed skips States.HeartbeatTimeout", []string{ErrTaskFailed}, ErrHeartbeatTimeout, false},
		{"States.Timeout covers a missed heartbeat (spec)", []string{ErrTimeout}, ErrHeartbeatTimeout, true},
		{"States.HeartbeatTimeout is not States.Timeout", []string{ErrHeartbeatTimeout}, ErrTimeout, false},
		{"States.ResultPathMatchFailure is catchable", []string{ErrAll}, ErrResultPathMatchFailure, true},
		{"no match", []string{"States.Permissions"}, "Lambda.Unknown", false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := ErrorMatches(tt.errorEquals, tt.errorName); got != tt.want {
				t.Errorf("ErrorMatches(%v, %q) = %v, want %v", tt.errorEquals, tt.errorName, got, tt.want)
			}
		})
	}
}

func TestValidateErrorEquals(t *testing.T) {
	tests := []struct {
		name    string
		lists   [][]string
		wantMsg string // "" means valid
	}{
		// ASL spec, "Retrying after error": the retry-everything-but-timeouts example.
		{"States.ALL last and alone", [][]string{{ErrTimeout}, {ErrAll}}, ""},
		{"named errors only", [][]string{{"ErrorA", "ErrorB"}, {"ErrorC"}}, ""},
		{"States.ALL not alone", [][]string{{ErrAll, "ErrorA"}}, "Retry[0].ErrorEquals: States.ALL must appear alone"},
		{"States.ALL not last", [][]string{{ErrAll}, {"ErrorA"}}, "Retry[0].ErrorEquals: States.ALL must appear only in the last element"},
		{"empty list", [][]string{{}}, "Retry[0].ErrorEquals must be a non-empty array"},
		{"empty name", [][]string{{""}}, "empty error name"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			err := ValidateErrorEquals("Retry", tt.lists)
			if tt.wantMsg == "" {
				if err != nil {
					t.Errorf("got %v, want no error", err)
				}
				return
			}
			checkCompileError(t, err, tt.wantMsg)
		})
	}
}

func TestErrorString(t *testing.T) {
	tests := []struct {
		err  *Error
		want string
	}{
		{&Error{Name: ErrRuntime, Cause: "boom"}, "States.Runtime: boom"},
		{&Error{Name: "Custom"}, "Custom"},
	}
	for _, tt := range tests {
		if got := tt.err.Error(); got != tt.want {
			t.Errorf("got %q, want %q", got, tt.want)
		}
	}
}
