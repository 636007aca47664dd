package signing

import (
	"context"
	"errors"
	"fmt"
	"io"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/sfn"
	sfntypes "github.com/aws/aws-sdk-go-v2/service/sfn/types"
	"github.com/spf13/cobra"

	"github.com/hitl-go/docsign/cmd/signctl/internal/cli"
	"github.com/hitl-go/docsign/internal/contract"
)

// executionStarter lists the Step Functions calls of `signctl start`.
type executionStarter interface {
	StartExecution(context.Context, *sfn.StartExecutionInput, ...func(*sfn.Options)) (*sfn.StartExecutionOutput, error)
	DescribeExecution(context.Context, *sfn.DescribeExecutionInput, ...func(*sfn.Options)) (*sfn.DescribeExecutionOutput, error)
}

// startResult is what `signctl start` reports.
type startResult struct {
	DocumentID   string `json:"documentId"`
	ExecutionARN string `json:"executionArn"`
	Status       string `json:"status"`
	// Started is false when the document's run already existed.
	Started   bool     `json:"started"`
	StartDate cli.Time `json:"startDate,omitzero"`
	StopDate  cli.Time `json:"stopDate,omitzero"`
	Error     string   `json:"error,omitempty"`
	Cause     string   `json:"cause,omitempty"`
}

// NewStartCmd is `signctl start`.
func NewStartCmd(a *cli.App) *cobra.Command {
	var opts cli.Options
	var asJSON bool
	cmd := &cobra.Command{
		Use:     "start <documentId>",
		GroupID: cli.GroupSigning,
		Short:   "Start the signing of a document",
		Long: `Start the signing of a document: a run of the state machine named after the
document, with input {"documentId":"<id>"}. The id is 1–80 characters of
letters, digits, '-' and '_'.

A document is signed once. Starting a document whose run is still open reports
that run (exit 0); starting one whose run has finished says it was already
signed, declined or expired (exit 4) — start a new signing with a new id, such
as a version suffix (3-v2).`,
		Example: `  signctl start 3
  signctl start contract-2024-17 --json`,
		Args: cli.OneDocumentID,
		RunE: func(cmd *cobra.Command, args []string) error {
			s, err := a.Connect(cmd.Context(), &opts)
			if err != nil {
				return err
			}
			res, err := startDocument(cmd.Context(), s.SFN, s.Outputs, args[0])
			if err == nil {
				err = finishedError(res) // with --json, the run is the error's detail
			}
			if err != nil {
				return err
			}
			return cli.Output(cmd, asJSON, res, func(w io.Writer) { printStart(w, res, a.Now()) })
		},
	}
	opts.AddFlags(cmd)
	cmd.Flags().BoolVar(&asJSON, "json", false, "print the run as JSON")
	return cmd
}

// startDocument starts the document's run, or finds the one it already has.
// It asks first, so that a finished run is reported as such rather than as
// a refused start; a start that loses a race with another is settled by
// asking again.
func startDocument(ctx context.Context, api executionStarter, outputs cli.Outputs, id string) (startResult, error) {
	arn, err := outputs.RunARN(id)
	if err != nil {
		return startResult{}, err
	}
	if res, found, err := describeStart(ctx, api, arn, id); found || err != nil {
		return res, err
	}
	out, err := api.StartExecution(ctx, &sfn.StartExecutionInput{
		StateMachineArn: aws.String(outputs.StateMachineARN),
		Name:            aws.String(id),
		Input:           aws.String(ExecutionInput(id)),
	})
	var exists *sfntypes.ExecutionAlreadyExists
	if errors.As(err, &exists) {
		res, found, err := describeStart(ctx, api, arn, id)
		if !found && err == nil {
			err = fmt.Errorf("start document %s: the run exists but cannot be described", id)
		}
		return res, err
	}
	if err != nil {
		return startResult{}, fmt.Errorf("start document %s: %w", id, err)
	}
	return startResult{DocumentID: id, ExecutionARN: aws.ToString(out.ExecutionArn), Status: string(sfntypes.ExecutionStatusRunning),
		Started: true, StartDate: cli.Time(aws.ToTime(out.StartDate))}, nil
}

// describeStart reports the document's existing run, if any.
func describeStart(ctx context.Context, api executionStarter, arn, id string) (startResult, bool, error) {
	d, err := api.DescribeExecution(ctx, &sfn.DescribeExecutionInput{ExecutionArn: aws.String(arn)})
	var missing *sfntypes.ExecutionDoesNotExist
	if errors.As(err, &missing) {
		return startResult{}, false, nil
	}
	if err != nil {
		return startResult{}, false, fmt.Errorf("look up the run of document %s: %w", id, err)
	}
	return startResult{
		DocumentID: id, ExecutionARN: arn, Status: string(d.Status),
		StartDate: cli.Time(aws.ToTime(d.StartDate)), StopDate: cli.Time(aws.ToTime(d.StopDate)),
		Error: aws.ToString(d.Error), Cause: cli.RedactTokens(aws.ToString(d.Cause)),
	}, true, nil
}

// finishedError explains why a finished run cannot be started again; nil
// for an open one.
func finishedError(r startResult) error {
	if r.Status == string(sfntypes.ExecutionStatusRunning) {
		return nil
	}
	var what string
	at := time.Time(r.StopDate)
	switch {
	case r.Status == string(sfntypes.ExecutionStatusSucceeded):
		what = fmt.Sprintf("was already signed (run SUCCEEDED at %s)", cli.Timestamp(at))
	case r.Error == contract.ErrorSignatureDeclined:
		what = fmt.Sprintf("was declined at %s (%s)", cli.Timestamp(at), cli.ReasonText(r.Cause))
	case r.Status == string(sfntypes.ExecutionStatusTimedOut):
		what = fmt.Sprintf("expired at %s before every signer signed (run TIMED_OUT)", cli.Timestamp(at))
	case r.Status == string(sfntypes.ExecutionStatusAborted):
		what = fmt.Sprintf("had its run stopped at %s (ABORTED)", cli.Timestamp(at))
	default:
		what = fmt.Sprintf("had its run end %s at %s (%s)", r.Status, cli.Timestamp(at), cli.ErrorText(r.Error, r.Cause))
	}
	return &cli.Error{Code: "AlreadyCompleted", Exit: cli.ExitCompleted, Detail: r, Msg: fmt.Sprintf(
		"document %s %s; a document is signed once: to sign it again, start a new signing with a new id, e.g. `signctl start %s`",
		r.DocumentID, what, cli.NextVersionID(r.DocumentID))}
}

// printStart reports an open run (a finished one is finishedError's).
func printStart(w io.Writer, r startResult, now time.Time) {
	if r.Started {
		fmt.Fprintf(w, "Started signing document %s.\n", r.DocumentID)
	} else {
		started := time.Time(r.StartDate)
		fmt.Fprintf(w, "Document %s is already being signed: its run started at %s (%s) and is RUNNING.\n",
			r.DocumentID, cli.Timestamp(started), cli.Relative(started, now))
	}
	fmt.Fprintf(w, "  run:       %s\n  follow it: signctl watch %s\n", r.ExecutionARN, r.DocumentID)
}
