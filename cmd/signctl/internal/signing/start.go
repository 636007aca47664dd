package signing

import (
	"context"
	"errors"
	"fmt"
	"io"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	sfntypes "github.com/aws/aws-sdk-go-v2/service/sfn/types"
	"github.com/spf13/cobra"

	"github.com/hitl-go/docsign/cmd/signctl/internal/cli"
	"github.com/hitl-go/docsign/internal/contract"
	"github.com/hitl-go/docsign/internal/runs"
	"github.com/hitl-go/docsign/internal/signature"
)

// executionStarter lists the Step Functions calls of `signctl start`.
type executionStarter interface {
	runs.Starter
	runs.Describer
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
	// Uploaded is the version --file stored, before the run started.
	Uploaded *signature.Document `json:"uploaded,omitempty"`
	// fileKept is set when --file was given but the run existed already:
	// the file was not uploaded.
	fileKept bool
}

// uploader stores the document before its run starts; nil without --file.
type uploader func(context.Context) (signature.Document, error)

// NewStartCmd is `signctl start`.
func NewStartCmd(a *cli.App) *cobra.Command {
	var opts cli.Options
	var asJSON bool
	var file string
	cmd := &cobra.Command{
		Use:     "start <documentId> [--file PATH]",
		GroupID: cli.GroupSigning,
		Short:   "Upload a document and start its signing",
		Long: `Start the signing of a document: a run of the state machine named after the
document, with input {"documentId":"<id>"}. The id is 1–80 characters of
letters, digits, '-' and '_'.

The run signs the object documents/<id> in the stack's document bucket
(output DocumentBucketName), pinning its current version and SHA-256 first.
With --file, signctl uploads the file there (at most 64 MiB), prints the
version id and SHA-256 it stored, then starts the run. Without --file the
document must have been uploaded already: if documents/<id> does not exist,
the run FAILS with error DocumentNotFound.

A document is signed once. Starting a document whose run is still open reports
that run (exit 0) and uploads nothing; starting one whose run has finished says
it was already signed, declined or expired (exit 4) — start a new signing with
a new id, such as a version suffix (3-v2).`,
		Example: `  signctl start 3 --file contract.pdf
  signctl start contract-2024-17 --json`,
		Args: cli.OneDocumentID,
		RunE: func(cmd *cobra.Command, args []string) error {
			var body []byte
			if cmd.Flags().Changed("file") {
				var err error
				if body, err = ReadDocumentFile(file); err != nil {
					return err
				}
			}
			s, err := a.Connect(cmd.Context(), &opts)
			if err != nil {
				return err
			}
			id := args[0]
			var upload uploader
			if body != nil {
				if _, err := s.Outputs.Require(contract.OutputDocumentBucketName); err != nil {
					return err // before anything changes
				}
				upload = func(ctx context.Context) (signature.Document, error) { return Upload(ctx, s.S3, s.Outputs, id, body) }
			}
			res, err := startDocument(cmd.Context(), s.SFN, s.Outputs, id, upload)
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
	cmd.Flags().StringVar(&file, "file", "", "upload this file as documents/<documentId> before starting (at most 64 MiB)")
	cmd.Flags().BoolVar(&asJSON, "json", false, "print the run as JSON")
	return cmd
}

// startDocument starts the document's run, or finds the one it already has.
// It asks first, so that a finished run is reported as such rather than as
// a refused start; a start that loses a race with another is settled by
// asking again. upload, if any, runs only when the run is to start.
func startDocument(ctx context.Context, api executionStarter, outputs cli.Outputs, id string, upload uploader) (startResult, error) {
	arn, err := outputs.RunARN(id)
	if err != nil {
		return startResult{}, err
	}
	if res, found, err := describeStart(ctx, api, arn, id); found || err != nil {
		res.fileKept = upload != nil
		return res, err
	}
	var uploaded *signature.Document
	if upload != nil {
		doc, err := upload(ctx)
		if err != nil {
			return startResult{}, err
		}
		uploaded = &doc
	}
	out, err := runs.Start(ctx, api, outputs.StateMachineARN, id)
	var exists *sfntypes.ExecutionAlreadyExists
	if errors.As(err, &exists) {
		res, found, err := describeStart(ctx, api, arn, id)
		if !found && err == nil {
			err = fmt.Errorf("start document %s: the run exists but cannot be described", id)
		}
		res.Uploaded = uploaded // stored, though another start's run pinned what it found
		return res, err
	}
	if err != nil {
		return startResult{}, err
	}
	return startResult{DocumentID: id, ExecutionARN: aws.ToString(out.ExecutionArn), Status: string(sfntypes.ExecutionStatusRunning),
		Started: true, StartDate: cli.Time(aws.ToTime(out.StartDate)), Uploaded: uploaded}, nil
}

// describeStart reports the document's existing run, if any.
func describeStart(ctx context.Context, api executionStarter, arn, id string) (startResult, bool, error) {
	d, found, err := runs.Describe(ctx, api, arn)
	if !found || err != nil {
		return startResult{}, false, err
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
	if d := r.Uploaded; d != nil {
		fmt.Fprintf(w, "Uploaded s3://%s/%s: version %s, sha256 %s.\n", d.Bucket, d.Key, d.VersionID, d.SHA256)
	}
	if r.Started {
		fmt.Fprintf(w, "Started signing document %s.\n", r.DocumentID)
	} else {
		started := time.Time(r.StartDate)
		fmt.Fprintf(w, "Document %s is already being signed: its run started at %s (%s) and is RUNNING.\n",
			r.DocumentID, cli.Timestamp(started), cli.Relative(started, now))
	}
	if r.fileKept && r.Uploaded == nil {
		fmt.Fprintln(w, "The file was not uploaded: the run has pinned its document already; to sign the file, use a new id.")
	}
	fmt.Fprintf(w, "  run:       %s\n  follow it: signctl watch %s\n", r.ExecutionARN, r.DocumentID)
}
