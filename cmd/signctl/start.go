package main

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/sfn"
	sfntypes "github.com/aws/aws-sdk-go-v2/service/sfn/types"
	"github.com/spf13/cobra"
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
	StartDate jsonTime `json:"startDate,omitzero"`
	StopDate  jsonTime `json:"stopDate,omitzero"`
	Error     string   `json:"error,omitempty"`
	Cause     string   `json:"cause,omitempty"`
}

func newStartCmd(a *app) *cobra.Command {
	var opts awsOptions
	var asJSON bool
	cmd := &cobra.Command{
		Use:     "start <documentId>",
		GroupID: groupSigning,
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
		Args: oneDocumentID,
		RunE: func(cmd *cobra.Command, args []string) error {
			s, err := a.connect(cmd.Context(), &opts)
			if err != nil {
				return err
			}
			res, err := startDocument(cmd.Context(), s.sfn, s.outputs, args[0])
			if err == nil {
				err = finishedError(res) // with --json, the run is the error's detail
			}
			if err != nil {
				return err
			}
			return output(cmd, asJSON, res, func(w io.Writer) { printStart(w, res, a.now()) })
		},
	}
	opts.addFlags(cmd)
	cmd.Flags().BoolVar(&asJSON, "json", false, "print the run as JSON")
	return cmd
}

// startDocument starts the document's run, or finds the one it already has.
// It asks first, so that a finished run is reported as such rather than as
// a refused start; a start that loses a race with another is settled by
// asking again.
func startDocument(ctx context.Context, api executionStarter, outputs stackOutputs, id string) (startResult, error) {
	arn, err := outputs.runARN(id)
	if err != nil {
		return startResult{}, err
	}
	if res, found, err := describeStart(ctx, api, arn, id); found || err != nil {
		return res, err
	}
	input, _ := json.Marshal(map[string]string{"documentId": id})
	out, err := api.StartExecution(ctx, &sfn.StartExecutionInput{
		StateMachineArn: aws.String(outputs.StateMachineARN),
		Name:            aws.String(id),
		Input:           aws.String(string(input)),
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
		Started: true, StartDate: jsonTime(aws.ToTime(out.StartDate))}, nil
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
		StartDate: jsonTime(aws.ToTime(d.StartDate)), StopDate: jsonTime(aws.ToTime(d.StopDate)),
		Error: aws.ToString(d.Error), Cause: redactTokens(aws.ToString(d.Cause)),
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
		what = fmt.Sprintf("was already signed (run SUCCEEDED at %s)", timestamp(at))
	case r.Error == errorDeclined:
		what = fmt.Sprintf("was declined at %s (%s)", timestamp(at), reasonText(r.Cause))
	case r.Status == string(sfntypes.ExecutionStatusTimedOut):
		what = fmt.Sprintf("expired at %s before every signer signed (run TIMED_OUT)", timestamp(at))
	case r.Status == string(sfntypes.ExecutionStatusAborted):
		what = fmt.Sprintf("had its run stopped at %s (ABORTED)", timestamp(at))
	default:
		what = fmt.Sprintf("had its run end %s at %s (%s)", r.Status, timestamp(at), errorText(r.Error, r.Cause))
	}
	return &cliError{Code: "AlreadyCompleted", Exit: exitCompleted, Detail: r, Msg: fmt.Sprintf(
		"document %s %s; a document is signed once: to sign it again, start a new signing with a new id, e.g. `signctl start %s`",
		r.DocumentID, what, nextVersionID(r.DocumentID))}
}

// errorDeclined is the error a decline fails the run with (DESIGN.md contract).
const errorDeclined = "SignatureDeclined"

func reasonText(cause string) string {
	if cause == "" {
		return "no reason given"
	}
	return "reason: " + cause
}

func errorText(errName, cause string) string {
	switch {
	case errName == "" && cause == "":
		return "no error given"
	case cause == "":
		return errName
	}
	return errName + ": " + cause
}

// printStart reports an open run (a finished one is finishedError's).
func printStart(w io.Writer, r startResult, now time.Time) {
	if r.Started {
		fmt.Fprintf(w, "Started signing document %s.\n", r.DocumentID)
	} else {
		started := time.Time(r.StartDate)
		fmt.Fprintf(w, "Document %s is already being signed: its run started at %s (%s) and is RUNNING.\n",
			r.DocumentID, timestamp(started), relative(started, now))
	}
	fmt.Fprintf(w, "  run:       %s\n  follow it: signctl watch %s\n", r.ExecutionARN, r.DocumentID)
}
