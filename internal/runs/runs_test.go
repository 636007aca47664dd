package runs_test

import (
	"context"
	"errors"
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/sfn"
	sfntypes "github.com/aws/aws-sdk-go-v2/service/sfn/types"

	"github.com/hitl-go/docsign/internal/runs"
)

func TestExecutionARN(t *testing.T) {
	tests := []struct {
		sm, name, want string
	}{
		{"arn:aws:states:us-east-1:000000000000:stateMachine:Signing", "3",
			"arn:aws:states:us-east-1:000000000000:execution:Signing:3"},
		{"arn:aws-cn:states:cn-north-1:123456789012:stateMachine:SM-abc", "doc_1",
			"arn:aws-cn:states:cn-north-1:123456789012:execution:SM-abc:doc_1"},
		{"arn:aws:lambda:us-east-1:000000000000:function:F", "3", ""},
		{"Signing", "3", ""},
		{"arn:aws:states:us-east-1:000000000000:stateMachine:", "3", ""},
		{"arn:aws:states:us-east-1:000000000000:execution:Signing:3", "3", ""},
	}
	for _, tt := range tests {
		got, err := runs.ExecutionARN(tt.sm, tt.name)
		if got != tt.want || (err != nil) != (tt.want == "") {
			t.Errorf("ExecutionARN(%q, %q) = %q, %v; want %q", tt.sm, tt.name, got, err, tt.want)
		}
	}
}

func TestInput(t *testing.T) {
	if got, want := runs.Input("3-v2"), `{"documentId":"3-v2"}`; got != want {
		t.Errorf("Input = %s, want %s", got, want)
	}
}

// fakeSFN answers from fields and records what it was asked.
type fakeSFN struct {
	started  []sfn.StartExecutionInput
	startErr error
	descErr  error
}

func (f *fakeSFN) StartExecution(_ context.Context, in *sfn.StartExecutionInput, _ ...func(*sfn.Options)) (*sfn.StartExecutionOutput, error) {
	f.started = append(f.started, *in)
	if f.startErr != nil {
		return nil, f.startErr
	}
	return &sfn.StartExecutionOutput{ExecutionArn: aws.String("arn:run")}, nil
}

func (f *fakeSFN) DescribeExecution(_ context.Context, in *sfn.DescribeExecutionInput, _ ...func(*sfn.Options)) (*sfn.DescribeExecutionOutput, error) {
	if f.descErr != nil {
		return nil, f.descErr
	}
	return &sfn.DescribeExecutionOutput{ExecutionArn: in.ExecutionArn, Status: sfntypes.ExecutionStatusRunning}, nil
}

func TestStart(t *testing.T) {
	const sm = "arn:aws:states:us-east-1:000000000000:stateMachine:Signing"
	f := &fakeSFN{}
	out, err := runs.Start(t.Context(), f, sm, "3")
	if err != nil || aws.ToString(out.ExecutionArn) != "arn:run" {
		t.Fatalf("Start = %+v, %v", out, err)
	}
	in := f.started[0]
	if aws.ToString(in.StateMachineArn) != sm || aws.ToString(in.Name) != "3" || aws.ToString(in.Input) != `{"documentId":"3"}` {
		t.Errorf("StartExecution(%s, name %s, input %s), want the machine, name 3 and {\"documentId\":\"3\"}",
			aws.ToString(in.StateMachineArn), aws.ToString(in.Name), aws.ToString(in.Input))
	}
	f.startErr = &sfntypes.ExecutionAlreadyExists{Message: aws.String("Execution Already Exists")}
	var exists *sfntypes.ExecutionAlreadyExists
	if _, err := runs.Start(t.Context(), f, sm, "3"); !errors.As(err, &exists) {
		t.Errorf("Start of an existing run = %v, want ExecutionAlreadyExists wrapped", err)
	}
}

func TestDescribe(t *testing.T) {
	tests := []struct {
		name      string
		err       error
		wantFound bool
		wantErr   bool
	}{
		{"exists", nil, true, false},
		{"absent", &sfntypes.ExecutionDoesNotExist{Message: aws.String("Execution Does Not Exist")}, false, false},
		{"failing", &sfntypes.InvalidArn{Message: aws.String("Invalid Arn")}, false, true},
	}
	for _, tt := range tests {
		out, found, err := runs.Describe(t.Context(), &fakeSFN{descErr: tt.err}, "arn:run")
		if found != tt.wantFound || (err != nil) != tt.wantErr || (found && aws.ToString(out.ExecutionArn) != "arn:run") {
			t.Errorf("%s: Describe = %+v, %t, %v; want found %t, error %t", tt.name, out, found, err, tt.wantFound, tt.wantErr)
		}
	}
}
