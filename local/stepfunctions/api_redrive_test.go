package stepfunctions

import (
	"context"
	"slices"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/sfn"
	"github.com/aws/aws-sdk-go-v2/service/sfn/types"
)

// TestDescribeExecutionRedriveStatus: RedriveExecution is not served, so no
// execution is reported REDRIVABLE (a client would offer a redrive that
// cannot work); the reason says why.
func TestDescribeExecutionRedriveStatus(t *testing.T) {
	const (
		wait    = `{"StartAt":"W","States":{"W":{"Type":"Wait","Seconds":3600,"End":true}}}`
		timeout = `{"TimeoutSeconds":1,"StartAt":"W","States":{"W":{"Type":"Wait","Seconds":3600,"End":true}}}`
		fail    = `{"StartAt":"F","States":{"F":{"Type":"Fail","Error":"Nope"}}}`
		local   = "Redrive is not supported by the local Step Functions engine"
	)
	tests := []struct {
		name       string
		def        string
		finish     func(*testing.T, *sfn.Client, *fakeClock, *string)
		wantStatus types.ExecutionStatus
		wantReason string
	}{
		{"running", wait, nil, types.ExecutionStatusRunning, "Execution is RUNNING and cannot be redriven"},
		{"succeeded", passDef, nil, types.ExecutionStatusSucceeded, "Execution is SUCCEEDED and cannot be redriven"},
		{"failed", fail, nil, types.ExecutionStatusFailed, local},
		{"timed out", timeout, func(_ *testing.T, _ *sfn.Client, c *fakeClock, _ *string) { c.Advance(2 * time.Second) },
			types.ExecutionStatusTimedOut, local},
		{"aborted", wait, func(t *testing.T, client *sfn.Client, _ *fakeClock, arn *string) {
			if _, err := client.StopExecution(context.Background(), &sfn.StopExecutionInput{ExecutionArn: arn}); err != nil {
				t.Fatal(err)
			}
		}, types.ExecutionStatusAborted, local},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			clock := newFakeClock()
			svc := New(Options{Clock: clock})
			client, _ := newClient(t, svc)
			x := mustStart(t, svc, tt.def, `{}`)
			arn := aws.String(x.arn)
			if tt.finish != nil {
				tt.finish(t, client, clock, arn)
			}
			if tt.wantStatus != types.ExecutionStatusRunning {
				waitDone(t, x)
			}
			desc, err := client.DescribeExecution(context.Background(), &sfn.DescribeExecutionInput{ExecutionArn: arn})
			if err != nil {
				t.Fatal(err)
			}
			got := []string{string(desc.Status), string(desc.RedriveStatus), aws.ToString(desc.RedriveStatusReason)}
			want := []string{string(tt.wantStatus), string(types.ExecutionRedriveStatusNotRedrivable), tt.wantReason}
			if !slices.Equal(got, want) {
				t.Errorf("got %q, want %q", got, want)
			}
		})
	}
}
