package inspect

import (
	"context"
	"errors"
	"fmt"
	"io"
	"time"

	sfntypes "github.com/aws/aws-sdk-go-v2/service/sfn/types"
	"github.com/spf13/cobra"

	"github.com/hitl-go/docsign/cmd/signctl/internal/cli"
	"github.com/hitl-go/docsign/internal/contract"
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
	StartDate       cli.Time    `json:"startDate,omitzero"`
	StopDate        cli.Time    `json:"stopDate,omitzero"`
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

func NewWatchCmd(a *cli.App) *cobra.Command {
	var opts cli.Options
	var asJSON bool
	var interval time.Duration
	cmd := &cobra.Command{
		Use:     "watch <documentId>",
		GroupID: cli.GroupInspect,
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
		Args: cli.OneDocumentID,
		RunE: func(cmd *cobra.Command, args []string) error {
			s, err := a.Connect(cmd.Context(), &opts)
			if err != nil {
				return err
			}
			arn, err := s.Outputs.RunARN(args[0])
			if err != nil {
				return err
			}
			out := cmd.OutOrStdout()
			url := consoleURL(s.Endpoint, arn)
			w := &watcher{api: s.SFN, stateMachineARN: s.Outputs.StateMachineARN, arn: arn, id: args[0],
				view: chooseView(a, out, asJSON), interval: interval, now: a.Now}
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
	opts.AddFlags(cmd)
	cmd.Flags().DurationVar(&interval, "interval", a.PollInterval, "how often to refresh")
	cmd.Flags().BoolVar(&asJSON, "json", false, "print only the final state, as JSON")
	return cmd
}

// chooseView picks how watch shows the run on out.
func chooseView(a *cli.App, out io.Writer, asJSON bool) runView {
	switch {
	case asJSON:
		return discardView{}
	case a.IsTerminal(out):
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
		var ce *cli.Error
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
		StartDate: cli.Time(s.Start), StopDate: cli.Time(s.Stop),
		DurationSeconds: float64(d.Milliseconds()) / 1000,
		Error:           s.Error, Cause: s.Cause, States: views,
	}
}

// reportEnd prints the final state and turns a run that did not succeed
// into exit code cli.ExitRunFailed (with --json, the state is the error's detail).
func reportEnd(w io.Writer, res watchResult, asJSON bool) error {
	if res.Status != string(sfntypes.ExecutionStatusSucceeded) {
		return &cli.Error{Code: "RunNotSucceeded", Exit: cli.ExitRunFailed, Detail: res, Msg: fmt.Sprintf(
			"document %s was not signed: its run ended %s (%s)", res.DocumentID, res.Status, endWords(res))}
	}
	if asJSON {
		return cli.WriteJSON(w, res)
	}
	return nil
}

// endWords says why a run ended without success.
func endWords(res watchResult) string {
	switch {
	case res.Error == contract.ErrorSignatureDeclined:
		return "declined, " + cli.ReasonText(res.Cause)
	case res.Status == string(sfntypes.ExecutionStatusTimedOut):
		return "it timed out before every signer signed"
	case res.Status == string(sfntypes.ExecutionStatusAborted):
		return "it was stopped"
	}
	return cli.ErrorText(res.Error, res.Cause)
}
