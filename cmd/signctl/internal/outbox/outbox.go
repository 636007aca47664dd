// Package outbox is `signctl outbox`: the mail the local stack kept instead
// of sending (its SNS outbox), read from the endpoint's
// contract.OutboxPath. It stands in for the signers' mailboxes, so it
// prints each message's signing link — a one-time code that, like a task
// token, belongs to whoever may sign.
package outbox

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"strings"
	"time"

	"github.com/spf13/cobra"

	"github.com/hitl-go/docsign/cmd/signctl/internal/cli"
	"github.com/hitl-go/docsign/internal/contract"
)

// requestTimeout bounds the one request the command makes.
const requestTimeout = 10 * time.Second

// maxAnswer bounds the outbox read: a local stack's mail, not a stream.
const maxAnswer = 64 << 20

// NewCmd builds `signctl outbox`.
func NewCmd(a *cli.App) *cobra.Command {
	var opts cli.Options
	var asJSON bool
	cmd := &cobra.Command{
		Use:     "outbox",
		GroupID: cli.GroupLocal,
		Short:   "List the mail the local stack kept instead of sending, with each signing link",
		Long: `List the notifications the local stack's SNS kept instead of sending them
(its outbox), oldest first: who each went to, for which document and signer,
and the signing link it carries. Open a link in a browser to sign as that
signer on the local API. A message no email subscription took is listed with
no recipient.

Only the local stack has an outbox: on AWS the mail is sent. The endpoint is
--endpoint, else $AWS_ENDPOINT_URL, else the local stack's when the outputs
file is its.`,
		Example: `  signctl outbox
  signctl outbox --json | jq -r '.[] | select(.signer == "Bob") | .link'`,
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			endpoint, err := localEndpoint(cmd.Context(), a, &opts)
			if err != nil {
				return err
			}
			entries, err := Read(cmd.Context(), endpoint)
			if err != nil {
				return err
			}
			return cli.Output(cmd, asJSON, entries, func(w io.Writer) { printOutbox(w, entries) })
		},
	}
	opts.AddFlags(cmd)
	cmd.Flags().BoolVar(&asJSON, "json", false, `print the messages as JSON: [{"documentId","signer","to","subject","body","link","sentAt"}]`)
	return cmd
}

// localEndpoint is where the local stack answers: --endpoint or
// $AWS_ENDPOINT_URL, else what the outputs file says.
func localEndpoint(ctx context.Context, a *cli.App, opts *cli.Options) (string, error) {
	if e := opts.EffectiveEndpoint(); e != "" {
		return e, nil
	}
	s, err := a.Connect(ctx, opts)
	if err != nil {
		return "", err
	}
	if s.Endpoint == "" {
		return "", &cli.Error{Code: "NotLocal", Exit: cli.ExitError, Msg: "the outputs file " + s.Outputs.File +
			" is a stack on AWS, which sends its mail: only the local stack keeps an outbox; pass --endpoint http://127.0.0.1:4566 for it"}
	}
	return s.Endpoint, nil
}

// Read fetches the outbox from the local stack at endpoint.
func Read(ctx context.Context, endpoint string) ([]contract.OutboxEntry, error) {
	ctx, cancel := context.WithTimeout(ctx, requestTimeout)
	defer cancel()
	url := strings.TrimSuffix(endpoint, "/") + contract.OutboxPath
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, url, nil)
	if err != nil {
		return nil, cli.UsageError(fmt.Sprintf("endpoint %q is not a URL like http://127.0.0.1:4566", endpoint))
	}
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		if errors.Is(ctx.Err(), context.Canceled) {
			return nil, err
		}
		return nil, &cli.Error{Code: "Unreachable", Exit: cli.ExitError, Err: err,
			Msg: "cannot reach the local stack at " + endpoint + ": is `signctl local` running there? (" + err.Error() + ")"}
	}
	defer resp.Body.Close()
	body, err := io.ReadAll(io.LimitReader(resp.Body, maxAnswer))
	if err != nil {
		return nil, &cli.Error{Code: "Unreachable", Exit: cli.ExitError, Err: err, Msg: "read the outbox from " + url + ": " + err.Error()}
	}
	if resp.StatusCode != http.StatusOK {
		return nil, &cli.Error{Code: "NoOutbox", Exit: cli.ExitError, Msg: fmt.Sprintf(
			"%s answered %s%s: is it a local stack (`signctl local`) of this version?", url, resp.Status, serverMessage(body))}
	}
	entries := []contract.OutboxEntry{}
	if err := json.Unmarshal(body, &entries); err != nil {
		return nil, &cli.Error{Code: "NoOutbox", Exit: cli.ExitError, Err: err,
			Msg: fmt.Sprintf("%s answered something other than an outbox (%v): is it a local stack (`signctl local`)?", url, err)}
	}
	return entries, nil
}

// serverMessage is the message of an error answer in AWS's JSON shape, if any.
func serverMessage(body []byte) string {
	var e struct{ Message string }
	if json.Unmarshal(body, &e) != nil || e.Message == "" {
		return ""
	}
	return " (" + e.Message + ")"
}

// printOutbox lists the messages as a table; every cell is escaped (WriteTable),
// and the body is not printed: --json has it.
func printOutbox(w io.Writer, entries []contract.OutboxEntry) {
	if len(entries) == 0 {
		fmt.Fprintln(w, "The outbox is empty: no notification was sent yet.")
		return
	}
	rows := [][]string{{"SENT", "TO", "DOCUMENT", "SIGNER", "LINK"}}
	for _, e := range entries {
		rows = append(rows, []string{cli.Timestamp(e.SentAt), orDash(e.To), orDash(e.DocumentID), orDash(e.Signer), orDash(e.Link)})
	}
	cli.WriteTable(w, rows)
	noun := "messages"
	if len(entries) == 1 {
		noun = "message"
	}
	fmt.Fprintf(w, "%d %s. Open a link to sign as its signer; `signctl outbox --json` has subjects and bodies.\n", len(entries), noun)
}

func orDash(s string) string {
	if s == "" {
		return "-"
	}
	return s
}
