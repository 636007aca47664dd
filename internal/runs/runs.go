// Package runs names, starts and looks up a document's run: the state
// machine's execution named after the document, started with input
// {"documentId":"<id>"}. signctl and the documents API both start runs
// through it, so a run is named and started the same way by every caller.
package runs

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"strings"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/sfn"
	sfntypes "github.com/aws/aws-sdk-go-v2/service/sfn/types"

	"github.com/hitl-go/docsign/internal/contract"
)

// Starter lists the Step Functions call Start makes.
type Starter interface {
	StartExecution(context.Context, *sfn.StartExecutionInput, ...func(*sfn.Options)) (*sfn.StartExecutionOutput, error)
}

// Describer lists the Step Functions call Describe makes.
type Describer interface {
	DescribeExecution(context.Context, *sfn.DescribeExecutionInput, ...func(*sfn.Options)) (*sfn.DescribeExecutionOutput, error)
}

var (
	_ Starter   = (*sfn.Client)(nil)
	_ Describer = (*sfn.Client)(nil)
)

// ExecutionARN is the ARN of the execution named name of the state machine
// stateMachineARN ("arn:P:states:R:A:stateMachine:SM" → "arn:P:states:R:A:execution:SM:name").
func ExecutionARN(stateMachineARN, name string) (string, error) {
	parts := strings.Split(stateMachineARN, ":")
	if len(parts) != 7 || parts[0] != "arn" || parts[2] != "states" || parts[5] != "stateMachine" || parts[6] == "" {
		return "", fmt.Errorf("%q is not a state machine ARN", stateMachineARN)
	}
	parts[5] = "execution"
	return strings.Join(parts, ":") + ":" + name, nil
}

// Input is the input a document's run starts with: {"documentId":"<id>"}.
// It names the document as complete-signature's event does, so it is that
// event with the document alone.
func Input(documentID string) string {
	b, _ := json.Marshal(contract.CompleteInput{DocumentID: documentID}) // strings only: cannot fail
	return string(b)
}

// Start starts document documentID's run. Step Functions refuses a second
// run of the same name with *sfntypes.ExecutionAlreadyExists (wrapped) —
// unless the first is still open: same name and input then answer its ARN.
func Start(ctx context.Context, api Starter, stateMachineARN, documentID string) (*sfn.StartExecutionOutput, error) {
	out, err := api.StartExecution(ctx, &sfn.StartExecutionInput{
		StateMachineArn: aws.String(stateMachineARN),
		Name:            aws.String(documentID),
		Input:           aws.String(Input(documentID)),
	})
	if err != nil {
		return nil, fmt.Errorf("start document %s: %w", documentID, err)
	}
	return out, nil
}

// Describe reads the execution executionARN; found is false when it does
// not exist (never started, or its history expired 90 days after it ended).
func Describe(ctx context.Context, api Describer, executionARN string) (out *sfn.DescribeExecutionOutput, found bool, err error) {
	out, err = api.DescribeExecution(ctx, &sfn.DescribeExecutionInput{ExecutionArn: aws.String(executionARN)})
	var missing *sfntypes.ExecutionDoesNotExist
	switch {
	case errors.As(err, &missing):
		return nil, false, nil
	case err != nil:
		return nil, false, fmt.Errorf("describe run %s: %w", executionARN, err)
	}
	return out, true, nil
}
