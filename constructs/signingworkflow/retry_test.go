package signingworkflow

import (
	"testing"
	"time"

	"github.com/aws/aws-cdk-go/awscdk/v2/awslambda"
)

func TestRequestAttemptsOutlastTheWindow(t *testing.T) {
	tests := []struct {
		window time.Duration
		want   int
	}{
		{0, 1},
		{time.Second, 1},
		{2 * time.Second, 2},  // 1+2
		{3 * time.Second, 2},  // 1+2
		{40 * time.Second, 6}, // 1+2+4+8+16+32 = 63 ≥ 30 s lease + 10 s invocation
		{63 * time.Second, 6}, // exactly
		{64 * time.Second, 7}, // one more doubling
	}
	for _, tt := range tests {
		got := requestAttempts(tt.window)
		if got != tt.want {
			t.Errorf("requestAttempts(%v) = %d, want %d", tt.window, got, tt.want)
		}
		// The waits the attempts make: 1, 2, 4, … seconds.
		if waits := time.Duration(1<<got-1) * requestRetryInterval; waits < tt.window {
			t.Errorf("requestAttempts(%v) = %d waits %v, shorter than the window", tt.window, got, waits)
		}
	}
}

// someFunction stands in for a Lambda function in props that are refused
// before any construct is made.
type someFunction struct{ awslambda.IFunction }

// TestCallbackSignersNeedTheLease checks that a workflow with a callback
// signer refuses props without the claim lease and request timeout that its
// retries are derived from.
func TestCallbackSignersNeedTheLease(t *testing.T) {
	tests := []struct {
		name           string
		lease, timeout time.Duration
	}{
		{"no lease", 0, 10 * time.Second},
		{"no request timeout", 30 * time.Second, 0},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			props := &WorkflowProps{Signers: DefaultSigners(), Timeout: time.Hour, PinDocument: &someFunction{}, SignDocument: &someFunction{},
				RequestSignature: &someFunction{}, ClaimLease: tt.lease, RequestTimeout: tt.timeout}
			defer func() {
				if prop, ok := recover().(*InvalidPropError); !ok || prop.Prop != "ClaimLease" {
					t.Errorf("mustValidate panicked with %v, want an *InvalidPropError for ClaimLease", prop)
				}
			}()
			mustValidate(props)
		})
	}
}

// TestDiedInvocationsAreRetried checks that every task retries the errors a
// died invocation surfaces as: Lambda.Unknown (a payload without errorType,
// as AWS's Step Functions best practice names out-of-memory errors and
// timeouts), and the errorTypes Lambda reports for an exited, out-of-memory
// or timed-out runtime.
func TestDiedInvocationsAreRetried(t *testing.T) {
	props := &WorkflowProps{ClaimLease: 30 * time.Second, RequestTimeout: 10 * time.Second}
	for _, mode := range []Mode{Auto, Callback} {
		retried := map[string]bool{}
		for _, r := range retriers(mode, props) {
			for _, e := range r.errors {
				retried[e] = true
			}
		}
		for _, name := range []string{"Lambda.Unknown", "Runtime.ExitError", "Runtime.OutOfMemory", "Sandbox.Timedout"} {
			if !retried[name] {
				t.Errorf("%s task: %s is not retried", mode, name)
			}
		}
	}
}

// TestEveryRunPinsItsDocument: the workflow refuses props without the
// function that pins the document.
func TestEveryRunPinsItsDocument(t *testing.T) {
	props := &WorkflowProps{Signers: DefaultSigners(), Timeout: time.Hour, SignDocument: &someFunction{},
		RequestSignature: &someFunction{}, ClaimLease: 30 * time.Second, RequestTimeout: 10 * time.Second}
	defer func() {
		if prop, ok := recover().(*InvalidPropError); !ok || prop.Prop != "PinDocument" {
			t.Errorf("mustValidate panicked with %v, want an *InvalidPropError for PinDocument", prop)
		}
	}()
	mustValidate(props)
}
