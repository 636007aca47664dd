package signing

import (
	"context"
	"encoding/json"
	"fmt"
	"io"
	"strings"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/lambda"
	"github.com/spf13/cobra"

	"github.com/hitl-go/docsign/cmd/signctl/internal/cli"
	"github.com/hitl-go/docsign/internal/contract"
)

// FunctionInvoker lists the Lambda call of `signctl sign` and `decline`.
type FunctionInvoker interface {
	Invoke(context.Context, *lambda.InvokeInput, ...func(*lambda.Options)) (*lambda.InvokeOutput, error)
}

// NewSignCmd is `signctl sign`.
func NewSignCmd(a *cli.App) *cobra.Command {
	return newCompletionCmd(a, contract.DecisionSign, &cobra.Command{
		Use:   "sign <documentId> [--signer Bob]",
		Short: "Sign a document for a callback signer",
		Long: `Sign a document for a callback signer: invokes the complete-signature Lambda
function with {"documentId","signer","decision":"sign"}, which resumes the
waiting run. Prints the outcome, or the function's error in words with what
to do (see the exit codes in ` + "`signctl --help`" + `).`,
		Example: `  signctl sign 3
  signctl sign 3 --signer Bob --json`,
	})
}

// NewDeclineCmd is `signctl decline`.
func NewDeclineCmd(a *cli.App) *cobra.Command {
	return newCompletionCmd(a, contract.DecisionDecline, &cobra.Command{
		Use:   "decline <documentId> --reason TEXT [--signer Bob]",
		Short: "Decline a document for a callback signer",
		Long: `Decline a document for a callback signer: invokes the complete-signature
Lambda function with {"documentId","signer","decision":"decline","reason"}.
The run then fails with error ` + contract.ErrorSignatureDeclined + `, the reason as its cause.`,
		Example: `  signctl decline 3 --reason "wrong amount on page 2"`,
	})
}

// newCompletionCmd completes cmd as the command of one decision.
func newCompletionCmd(a *cli.App, decision string, cmd *cobra.Command) *cobra.Command {
	var opts cli.Options
	var asJSON bool
	c := contract.CompleteInput{Decision: decision}
	cmd.GroupID = cli.GroupSigning
	cmd.Args = cli.OneDocumentID
	cmd.RunE = func(cmd *cobra.Command, args []string) error {
		c.DocumentID = args[0]
		if decision == contract.DecisionDecline && strings.TrimSpace(c.Reason) == "" {
			return cli.UsageError("decline needs a reason: --reason TEXT (it is kept with the request and becomes the run's cause)")
		}
		s, err := a.Connect(cmd.Context(), &opts)
		if err != nil {
			return err
		}
		res, err := Complete(cmd.Context(), s.Lambda, s.Outputs.CompleteSignatureFunctionName, c)
		if err != nil {
			return err
		}
		return cli.Output(cmd, asJSON, res, func(w io.Writer) { printCompletion(w, res, c) })
	}
	opts.AddFlags(cmd)
	cmd.Flags().StringVar(&c.Signer, "signer", "", "callback signer to act for (default: the function's default, "+contract.DefaultSigner+")")
	if decision == contract.DecisionDecline {
		cmd.Flags().StringVar(&c.Reason, "reason", "", "why the document is declined (required)")
	}
	cmd.Flags().BoolVar(&asJSON, "json", false, "print the outcome as JSON")
	return cmd
}

// Complete invokes complete-signature with c and returns its answer, or its
// function error in words (completionError). An empty signer lets the
// function apply its default.
func Complete(ctx context.Context, api FunctionInvoker, function string, c contract.CompleteInput) (contract.CompleteResult, error) {
	payload, err := json.Marshal(c)
	if err != nil {
		return contract.CompleteResult{}, err
	}
	out, err := api.Invoke(ctx, &lambda.InvokeInput{FunctionName: aws.String(function), Payload: payload})
	if err != nil {
		return contract.CompleteResult{}, fmt.Errorf("invoke %s: %w", function, err)
	}
	if errorType, message, failed := FunctionError(out); failed {
		return contract.CompleteResult{}, completionError(c, errorType, message)
	}
	var res contract.CompleteResult
	if err := json.Unmarshal(out.Payload, &res); err != nil || res.Status == "" {
		return contract.CompleteResult{}, &cli.Error{Code: "BadResponse", Exit: cli.ExitError,
			Msg: fmt.Sprintf("%s answered %.200q, not {\"documentId\",\"signer\",\"status\"}", function, cli.RedactTokens(string(out.Payload)))}
	}
	return res, nil
}

// FunctionError decodes a function error's payload ({"errorType",
// "errorMessage"}); one without an errorType is shown whole, under the
// FunctionError header's value. failed is false when the function succeeded.
func FunctionError(out *lambda.InvokeOutput) (errorType, message string, failed bool) {
	if out.FunctionError == nil {
		return "", "", false
	}
	var fe struct{ ErrorType, ErrorMessage string }
	if json.Unmarshal(out.Payload, &fe) != nil || fe.ErrorType == "" {
		return aws.ToString(out.FunctionError), string(out.Payload), true
	}
	return fe.ErrorType, fe.ErrorMessage, true
}

// completionErrorWords says, per complete-signature errorType, what
// happened, what to do and the exit code; {id} stands for the document id,
// {next} for a new id for it.
var completionErrorWords = map[string]struct {
	exit       int
	what, todo string
}{
	contract.ErrorInvalidInput: {cli.ExitUsage, "the request was refused as invalid",
		"check the document id, --signer (a callback signer, e.g. " + contract.DefaultSigner + ") and --reason"},
	contract.ErrorSignatureRequestNotFound: {cli.ExitNotFound, "there is no signature request for this document and signer",
		"the document was never started, or its run has not reached this signer yet: check `signctl status {id}`, or start it with `signctl start {id}`"},
	contract.ErrorSignatureAlreadyCompleted: {cli.ExitCompleted, "the signature request was already completed",
		"nothing left to do: see `signctl status {id}`"},
	contract.ErrorSignatureRequestExpired: {cli.ExitExpired, "the signature request expired: its run no longer waits for it",
		"start a new signing with a new id, e.g. `signctl start {next}`"},
	contract.ErrorSignatureServiceUnavailable: {cli.ExitRetry, "the signing service could not complete the request just now",
		"try again in a few seconds"},
}

// completionError puts a complete-signature function error in words.
func completionError(c contract.CompleteInput, errorType, message string) *cli.Error {
	detail := errorType
	if message != "" {
		detail += ": " + message
	}
	detail = cli.RedactTokens(detail)
	w, known := completionErrorWords[errorType]
	if !known {
		return &cli.Error{Code: errorType, Exit: cli.ExitError, Msg: fmt.Sprintf(
			"the complete-signature function failed (%s); check its logs (CloudWatch, or the output of `signctl local`) and try again",
			detail)}
	}
	todo := strings.NewReplacer("{id}", c.DocumentID, "{next}", cli.NextVersionID(c.DocumentID)).Replace(w.todo)
	return &cli.Error{Code: errorType, Exit: w.exit, Msg: fmt.Sprintf("%s %s: %s (%s); %s",
		c.Decision, c.DocumentID, w.what, detail, todo)}
}

func printCompletion(w io.Writer, r contract.CompleteResult, c contract.CompleteInput) {
	if c.Decision == contract.DecisionDecline {
		fmt.Fprintf(w, "%s declined document %s (status %s); its run fails with %s.\n", r.Signer, r.DocumentID, r.Status, contract.ErrorSignatureDeclined)
	} else {
		fmt.Fprintf(w, "%s signed document %s (status %s).\n", r.Signer, r.DocumentID, r.Status)
	}
	fmt.Fprintf(w, "  see: signctl status %s\n", r.DocumentID)
}
