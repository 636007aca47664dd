package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"time"

	sfntypes "github.com/aws/aws-sdk-go-v2/service/sfn/types"
	"github.com/spf13/cobra"
)

// watchAPI lists the Step Functions calls of `signctl watch`.
type watchAPI interface {
	historyReader
	definitionReader
}

// watchResult is the run as watch saw it end (its --json output).
type watchResult struct {
	DocumentID      string      `json:"documentId"`
	ExecutionARN    string      `json:"executionArn"`
	Status          string      `json:"status"`
	StartDate       jsonTime    `json:"startDate,omitzero"`
	StopDate        jsonTime    `json:"stopDate,omitzero"`
	DurationSeconds float64     `json:"durationSeconds"`
	Error           string      `json:"error,omitempty"`
	Cause           string      `json:"cause,omitempty"`
	States          []stateView `json:"states"`
	ConsoleURL      string      `json:"consoleUrl,omitempty"`
}

// watcher follows one run until it ends.
type watcher struct {
	api             watchAPI
	stateMachineARN string
	arn, id         string
	view            runView // where the live view goes
	interval        time.Duration
	now             func() time.Time
}

// maxWatchErrors is how many reads in a row may fail (a throttle, a network
// blip) before watch gives up.
const maxWatchErrors = 3

func newWatchCmd(a *app) *cobra.Command {
	var opts awsOptions
	var asJSON bool
	var interval time.Duration
	cmd := &cobra.Command{
		Use:     "watch <documentId>",
		GroupID: groupInspect,
		Short:   "Follow a document's run live until it ends",
		Long: `Follow a document's run live until it ends: each state of the state machine
with its status (not started, RUNNING, WAITING for a callback, SUCCEEDED,
FAILED, CAUGHT, TIMED_OUT, ABORTED) and elapsed time. On a terminal the view
is redrawn in place; otherwise each change is printed as a line. Against AWS it
also prints the execution's page in the Step Functions console.

Exits 0 when the run SUCCEEDED and 7 when it ended otherwise. With --json it
prints only the final state, as JSON.`,
		Example: `  signctl watch 3
  signctl watch 3 --json > final.json`,
		Args: oneDocumentID,
		RunE: func(cmd *cobra.Command, args []string) error {
			s, err := a.connect(cmd.Context(), &opts)
			if err != nil {
				return err
			}
			arn, err := s.outputs.runARN(args[0])
			if err != nil {
				return err
			}
			out := cmd.OutOrStdout()
			url := consoleURL(s.endpoint, arn)
			w := &watcher{api: s.sfn, stateMachineARN: s.outputs.StateMachineARN, arn: arn, id: args[0],
				view: a.runView(out, asJSON), interval: interval, now: a.now}
			if url != "" && !asJSON {
				fmt.Fprintf(out, "Console: %s\n", url)
			}
			res, err := w.run(cmd.Context())
			if err != nil {
				return err
			}
			res.ConsoleURL = url
			return reportEnd(out, res, asJSON)
		},
	}
	opts.addFlags(cmd)
	cmd.Flags().DurationVar(&interval, "interval", a.pollInterval, "how often to refresh")
	cmd.Flags().BoolVar(&asJSON, "json", false, "print only the final state, as JSON")
	return cmd
}

// runView picks how watch shows the run on out.
func (a *app) runView(out io.Writer, asJSON bool) runView {
	switch {
	case asJSON:
		return discardView{}
	case a.isTerminal(out):
		return &terminalView{w: out}
	}
	return &lineView{w: out}
}

// run polls the run, showing each snapshot, until the run ends.
func (w *watcher) run(ctx context.Context) (watchResult, error) {
	layout := stateLayout(ctx, w.api, w.stateMachineARN)
	failures := 0
	for {
		snap, err := loadRun(ctx, w.api, w.arn, w.id)
		var ce *cliError
		switch {
		case err == nil:
			failures = 0
			now := w.now()
			res := resultOf(snap, stateViews(layout, snap.Runs, now), now)
			w.view.show(res, now)
			if !snap.running() {
				return res, nil
			}
		case errors.As(err, &ce) || ctx.Err() != nil:
			return watchResult{}, err // not found, or interrupted
		default:
			if failures++; failures >= maxWatchErrors {
				return watchResult{}, err
			}
		}
		select {
		case <-ctx.Done():
			return watchResult{}, ctx.Err()
		case <-time.After(w.interval):
		}
	}
}

func resultOf(s *runSnapshot, views []stateView, now time.Time) watchResult {
	d := s.duration(now)
	return watchResult{
		DocumentID: s.DocumentID, ExecutionARN: s.ARN, Status: string(s.Status),
		StartDate: jsonTime(s.Start), StopDate: jsonTime(s.Stop),
		DurationSeconds: float64(d.Milliseconds()) / 1000,
		Error:           s.Error, Cause: s.Cause, States: views,
	}
}

// reportEnd prints the final state and turns a run that did not succeed
// into exit code exitRunFailed (with --json, the state is the error's detail).
func reportEnd(w io.Writer, res watchResult, asJSON bool) error {
	if res.Status != string(sfntypes.ExecutionStatusSucceeded) {
		return &cliError{Code: "RunNotSucceeded", Exit: exitRunFailed, Detail: res, Msg: fmt.Sprintf(
			"document %s was not signed: its run ended %s (%s)", res.DocumentID, res.Status, endWords(res))}
	}
	if asJSON {
		return writeJSON(w, res)
	}
	return nil
}

// endWords says why a run ended without success.
func endWords(res watchResult) string {
	switch {
	case res.Error == errorDeclined:
		return "declined, " + reasonText(res.Cause)
	case res.Status == string(sfntypes.ExecutionStatusTimedOut):
		return "it timed out before every signer signed"
	case res.Status == string(sfntypes.ExecutionStatusAborted):
		return "it was stopped"
	}
	return errorText(res.Error, res.Cause)
}
