package cli

import (
	"context"
	"errors"
	"fmt"
	"net"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	sfntypes "github.com/aws/aws-sdk-go-v2/service/sfn/types"
	"github.com/aws/smithy-go"
)

func TestExplain(t *testing.T) {
	tests := []struct {
		name     string
		err      error
		wantCode string
		wantExit int
		wantMsg  string
	}{
		{"a Error stays", NotFoundError("document 3 has no run", nil), "NotFound", ExitNotFound, "document 3 has no run"},
		{"throttled", fmt.Errorf("scan: %w", &smithy.GenericAPIError{Code: "ThrottlingException", Message: "Rate exceeded"}),
			"ThrottlingException", ExitRetry, "try again in a few seconds"},
		{"no state machine", &sfntypes.StateMachineDoesNotExist{Message: aws.String("gone")},
			"StateMachineDoesNotExist", ExitError, "Is the stack deployed"},
		{"bad credentials", &smithy.GenericAPIError{Code: "UnrecognizedClientException", Message: "invalid token"},
			"UnrecognizedClientException", ExitError, "Check your AWS credentials"},
		{"connection refused", fmt.Errorf("describe: %w", &net.OpError{Op: "dial", Net: "tcp", Err: syscall.ECONNREFUSED}),
			"EndpointUnreachable", ExitError, "is `signctl local` running"},
		{"no credentials", errors.New("get identity: failed to retrieve credentials: no providers"), "NoCredentials", ExitError, "aws configure"},
		{"interrupted", fmt.Errorf("watch: %w", context.Canceled), "Interrupted", ExitInterrupted, "interrupted"},
		{"timed out", fmt.Errorf("call: %w", context.DeadlineExceeded), "Timeout", ExitRetry, "try again"},
		{"something else", errors.New("boom"), "Error", ExitError, "boom"},
		{"a token in a message", errors.New(`bad request {"taskToken":"` + testToken + `"}`), "Error", ExitError, `"taskToken":"<redacted>"`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var ce *Error
			if !errors.As(Explain(tt.err), &ce) {
				t.Fatalf("Explain(%v) is not a *Error", tt.err)
			}
			if ce.Code != tt.wantCode || ce.Exit != tt.wantExit || !strings.Contains(ce.Msg, tt.wantMsg) {
				t.Errorf("explain = code %s exit %d %q; want %s %d containing %q", ce.Code, ce.Exit, ce.Msg, tt.wantCode, tt.wantExit, tt.wantMsg)
			}
			if strings.Contains(ce.Msg, testToken) {
				t.Error("the message shows the task token")
			}
		})
	}
	if Explain(nil) != nil {
		t.Error("Explain(nil) != nil")
	}
}

func TestElapsed(t *testing.T) {
	tests := []struct {
		d    time.Duration
		want string
	}{
		{-time.Second, "0ms"},
		{42 * time.Millisecond, "42ms"},
		{12340 * time.Millisecond, "12.3s"},
		{125 * time.Second, "2m05s"},
		{3*time.Hour + 4*time.Minute, "3h04m"},
		{7*24*time.Hour + 2*time.Hour, "7d02h"},
	}
	for _, tt := range tests {
		if got := Elapsed(tt.d); got != tt.want {
			t.Errorf("Elapsed(%v) = %q, want %q", tt.d, got, tt.want)
		}
	}
	if got, want := Relative(at(0), at(5)), "5.0s ago"; got != want {
		t.Errorf("Relative(past) = %q, want %q", got, want)
	}
	if got, want := Relative(at(65), at(5)), "in 1m00s"; got != want {
		t.Errorf("Relative(future) = %q, want %q", got, want)
	}
}

func at(sec int) time.Time { return time.Date(2026, 11, 22, 10, 0, sec, 0, time.UTC) }
