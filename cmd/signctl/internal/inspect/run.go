package inspect

import (
	"context"
	"errors"
	"fmt"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/sfn"
	sfntypes "github.com/aws/aws-sdk-go-v2/service/sfn/types"

	"github.com/hitl-go/docsign/cmd/signctl/internal/cli"
)

// historyReader lists the Step Functions calls that read a run.
type historyReader interface {
	DescribeExecution(context.Context, *sfn.DescribeExecutionInput, ...func(*sfn.Options)) (*sfn.DescribeExecutionOutput, error)
	GetExecutionHistory(context.Context, *sfn.GetExecutionHistoryInput, ...func(*sfn.Options)) (*sfn.GetExecutionHistoryOutput, error)
}

// runSnapshot is a document's run as read at one moment.
type runSnapshot struct {
	DocumentID string
	ARN        string
	Status     sfntypes.ExecutionStatus
	Start      time.Time
	Stop       time.Time // zero while running
	Error      string
	Cause      string
	Output     string // of a SUCCEEDED run
	Runs       []*stateRun
}

func (s *runSnapshot) running() bool { return s.Status == sfntypes.ExecutionStatusRunning }

// duration is how long the run took, or has taken by now.
func (s *runSnapshot) duration(now time.Time) time.Duration {
	return firstNonZero(s.Stop, now).Sub(s.Start)
}

// loadRun reads the run of document id (execution arn) and its history.
//
// The history is read without execution data: state names, task resources,
// errors and causes, but no inputs, outputs or task parameters — the
// parameters of a callback task hold its task token. The signers come from
// the state names (contract.SignerOfState). DescribeExecution still returns
// the run's output (the signatures status shows) and its cause (a decline's
// reason); both are text other processes wrote, so they are scrubbed of
// token-shaped text (cli.RedactJSON, cli.RedactTokens).
func loadRun(ctx context.Context, api historyReader, arn, id string) (*runSnapshot, error) {
	d, err := api.DescribeExecution(ctx, &sfn.DescribeExecutionInput{ExecutionArn: aws.String(arn)})
	var missing *sfntypes.ExecutionDoesNotExist
	if errors.As(err, &missing) {
		return nil, cli.NotFoundError(fmt.Sprintf("document %s has no run: start it with `signctl start %s`", id, id), err)
	}
	if err != nil {
		return nil, fmt.Errorf("describe the run of document %s: %w", id, err)
	}
	var events []sfntypes.HistoryEvent
	pages := sfn.NewGetExecutionHistoryPaginator(api, &sfn.GetExecutionHistoryInput{
		ExecutionArn:         aws.String(arn),
		IncludeExecutionData: aws.Bool(false),
		MaxResults:           1000,
	})
	for pages.HasMorePages() {
		page, err := pages.NextPage(ctx)
		if err != nil {
			return nil, fmt.Errorf("read the history of document %s: %w", id, err)
		}
		events = append(events, page.Events...)
	}
	s := &runSnapshot{
		DocumentID: id, ARN: arn, Status: d.Status,
		Start: aws.ToTime(d.StartDate), Stop: aws.ToTime(d.StopDate),
		Error: aws.ToString(d.Error), Cause: cli.RedactTokens(aws.ToString(d.Cause)),
		Output: cli.RedactJSON(aws.ToString(d.Output)),
		Runs:   readHistory(events),
	}
	finishRuns(s.Runs, s.Status, s.Stop)
	return s, nil
}

// consoleURL is the AWS console page of an execution; "" for a custom
// endpoint (the local stack serves its own console) or another partition.
func consoleURL(endpoint, executionARN string) string {
	region := cli.ARNRegion(executionARN)
	if endpoint != "" || region == "" || cli.ARNPartition(executionARN) != "aws" {
		return ""
	}
	return fmt.Sprintf("https://%s.console.aws.amazon.com/states/home?region=%s#/v2/executions/details/%s",
		region, region, executionARN)
}

func firstNonZero(ts ...time.Time) time.Time {
	for _, t := range ts {
		if !t.IsZero() {
			return t
		}
	}
	return time.Time{}
}
