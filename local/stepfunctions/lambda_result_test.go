package stepfunctions

import (
	"context"
	"testing"
)

// TestDiedLambdaErrorNames runs a Task whose function dies, with the payloads
// Lambda returns for it, and checks the task error is named as Step Functions
// names it: the payload's errorType, or Lambda.Unknown (with AWS's cause)
// when there is none.
func TestDiedLambdaErrorNames(t *testing.T) {
	tests := []struct {
		name      string
		payload   string
		wantError string
		wantCause string
	}{
		{"timed out", `{"errorType":"Sandbox.Timedout","errorMessage":"RequestId: r Error: Task timed out after 10.00 seconds"}`,
			"Sandbox.Timedout", `{"errorType":"Sandbox.Timedout","errorMessage":"RequestId: r Error: Task timed out after 10.00 seconds"}`},
		{"killed", `{"errorType":"Runtime.ExitError","errorMessage":"RequestId: r Error: Runtime exited with error: signal: killed"}`,
			"Runtime.ExitError", `{"errorType":"Runtime.ExitError","errorMessage":"RequestId: r Error: Runtime exited with error: signal: killed"}`},
		{"out of memory", `{"errorType":"Runtime.OutOfMemory","errorMessage":"RequestId: r Error: Runtime exited with error: signal: killed"}`,
			"Runtime.OutOfMemory", `{"errorType":"Runtime.OutOfMemory","errorMessage":"RequestId: r Error: Runtime exited with error: signal: killed"}`},
		{"timed out without errorType", `{"errorMessage":"2021-10-29T16:03:15.756Z r Task timed out after 30.03 seconds"}`,
			"Lambda.Unknown", "The cause could not be determined because Lambda did not return an error type. " +
				`Returned payload: {"errorMessage":"2021-10-29T16:03:15.756Z r Task timed out after 30.03 seconds"}`},
		{"not JSON", `exit`, "Lambda.Unknown",
			"The cause could not be determined because Lambda did not return an error type. Returned payload: exit"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			svc := New(Options{Invoker: lambdaFunc(func(context.Context, string, []byte) ([]byte, string, error) {
				return []byte(tt.payload), "Unhandled", nil
			})})
			x := mustStart(t, svc, `{"StartAt":"T","States":{"T":{"Type":"Task",
				"Resource":"arn:aws:states:::lambda:invoke","Parameters":{"FunctionName":"Dies"},"End":true}}}`, `{}`)
			waitDone(t, x)
			if x.errName != tt.wantError || x.cause != tt.wantCause {
				t.Errorf("got error %q cause %q,\nwant %q cause %q", x.errName, x.cause, tt.wantError, tt.wantCause)
			}
		})
	}
}
