package inspect

import (
	"context"
	"encoding/json"
	"fmt"
	"io"
	"strings"
	"time"

	sfntypes "github.com/aws/aws-sdk-go-v2/service/sfn/types"
	"github.com/spf13/cobra"

	"github.com/hitl-go/docsign/cmd/signctl/internal/cli"
	"github.com/hitl-go/docsign/internal/contract"
	"github.com/hitl-go/docsign/internal/tokenstore"
)

// documentStatus is what `signctl status` reports.
type documentStatus struct {
	DocumentID   string          `json:"documentId"`
	ExecutionARN string          `json:"executionArn"`
	Status       string          `json:"status"`
	StartDate    cli.Time        `json:"startDate,omitzero"`
	StopDate     cli.Time        `json:"stopDate,omitzero"`
	Error        string          `json:"error,omitempty"`
	Cause        string          `json:"cause,omitempty"`
	Output       json.RawMessage `json:"output,omitempty"` // of a SUCCEEDED run: the signatures
	Signers      []signerStatus  `json:"signers"`
	// Pending lists the signers the run still waits on (empty once it ended).
	Pending    []string `json:"pending"`
	ConsoleURL string   `json:"consoleUrl,omitempty"`
}

func NewStatusCmd(a *cli.App) *cobra.Command {
	var opts cli.Options
	var asJSON bool
	cmd := &cobra.Command{
		Use:     "status <documentId>",
		GroupID: cli.GroupInspect,
		Short:   "Show a document's run and each signer's status",
		Long: `Show a document's run — RUNNING, SUCCEEDED, FAILED, TIMED_OUT or ABORTED — and
each signer's status (IN_PROGRESS, PENDING, SIGNED, DECLINED, EXPIRED, FAILED,
STOPPED) with when their signature was requested, completed, and when the
request expires, and who the run still waits on. It reads the run's history
and the token table (never the task tokens).`,
		Example: `  signctl status 3
  signctl status 3 --json | jq -r '.pending[]'`,
		Args: cli.OneDocumentID,
		RunE: func(cmd *cobra.Command, args []string) error {
			s, err := a.Connect(cmd.Context(), &opts)
			if err != nil {
				return err
			}
			st, err := statusOf(cmd.Context(), s, args[0])
			if err != nil {
				return err
			}
			return cli.Output(cmd, asJSON, st, func(w io.Writer) { printStatus(w, st, a.Now()) })
		},
	}
	opts.AddFlags(cmd)
	cmd.Flags().BoolVar(&asJSON, "json", false, "print the status as JSON")
	return cmd
}

// statusOf reads document id's run and token-table items.
func statusOf(ctx context.Context, s *cli.Session, id string) (documentStatus, error) {
	arn, err := s.Outputs.RunARN(id)
	if err != nil {
		return documentStatus{}, err
	}
	run, err := loadRun(ctx, s.SFN, arn, id)
	if err != nil {
		return documentStatus{}, err
	}
	items, err := cli.QueryItems(ctx, s.DB, s.Outputs.TableName, id)
	if err != nil {
		return documentStatus{}, err
	}
	return statusFrom(run, items, s.Endpoint), nil
}

// statusFrom derives a document's status from its run and items.
func statusFrom(run *runSnapshot, items []tokenstore.Request, endpoint string) documentStatus {
	signers := deriveSigners(run.Runs, items, run.ARN, run.Status)
	st := documentStatus{
		DocumentID: run.DocumentID, ExecutionARN: run.ARN, Status: string(run.Status),
		StartDate: cli.Time(run.Start), StopDate: cli.Time(run.Stop),
		Error: run.Error, Cause: run.Cause,
		Signers: signers, Pending: stillToSign(signers),
		ConsoleURL: consoleURL(endpoint, run.ARN),
	}
	if json.Valid([]byte(run.Output)) {
		st.Output = json.RawMessage(run.Output)
	}
	return st
}

func printStatus(w io.Writer, st documentStatus, now time.Time) {
	start := time.Time(st.StartDate)
	fmt.Fprintf(w, "Document %s: %s — started %s (%s)", st.DocumentID, st.Status, cli.Timestamp(start), cli.Relative(start, now))
	if stop := time.Time(st.StopDate); !stop.IsZero() {
		fmt.Fprintf(w, ", ended %s after %s", cli.Timestamp(stop), cli.Elapsed(stop.Sub(start)))
	}
	fmt.Fprintf(w, "\nRun: %s\n", st.ExecutionARN)
	if st.ConsoleURL != "" {
		fmt.Fprintf(w, "Console: %s\n", st.ConsoleURL)
	}
	fmt.Fprintln(w)
	rows := [][]string{{"SIGNER", "MODE", "STATUS", "REQUESTED", "COMPLETED", "EXPIRES", "NOTE"}}
	for _, s := range st.Signers {
		expires := cli.Timestamp(time.Time(s.ExpiresAt))
		if s.open() && !time.Time(s.ExpiresAt).IsZero() {
			expires += " (" + cli.Relative(time.Time(s.ExpiresAt), now) + ")"
		}
		note := s.Error
		if s.Reason != "" {
			note = "reason: " + s.Reason
		}
		rows = append(rows, []string{s.Signer, s.Mode, s.Status,
			cli.Timestamp(time.Time(s.RequestedAt)), cli.Timestamp(time.Time(s.CompletedAt)), expires, note})
	}
	cli.WriteTable(w, rows)
	fmt.Fprintln(w)
	fmt.Fprintln(w, statusSummary(st))
}

// statusSummary says in one line where the signing stands.
func statusSummary(st documentStatus) string {
	switch sfntypes.ExecutionStatus(st.Status) {
	case sfntypes.ExecutionStatusRunning:
		if len(st.Pending) == 0 {
			return "Still to sign: nobody yet known (the run is starting)."
		}
		line := "Still to sign: " + strings.Join(st.Pending, ", ") + "."
		for _, s := range st.Signers {
			if s.Status == signerPending && s.Mode == modeCallback {
				line += fmt.Sprintf("\n%s completes with `signctl sign %s --signer %s` or `signctl decline %s --signer %s --reason …`.",
					s.Signer, st.DocumentID, s.Signer, st.DocumentID, s.Signer)
			}
		}
		return line
	case sfntypes.ExecutionStatusSucceeded:
		return "Signed by everyone."
	case sfntypes.ExecutionStatusTimedOut:
		return "Expired: the run timed out before every signer signed."
	case sfntypes.ExecutionStatusAborted:
		return "Stopped: the run was aborted."
	}
	if st.Error == contract.ErrorSignatureDeclined {
		return "Declined (" + cli.ReasonText(st.Cause) + ")."
	}
	return "Failed: " + cli.ErrorText(st.Error, st.Cause) + "."
}
