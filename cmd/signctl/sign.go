package main

import (
	"context"
	"encoding/json"
	"fmt"
	"io"
	"strings"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/lambda"
	"github.com/spf13/cobra"
)

// functionInvoker lists the Lambda call of `signctl sign` and `decline`.
type functionInvoker interface {
	Invoke(context.Context, *lambda.InvokeInput, ...func(*lambda.Options)) (*lambda.InvokeOutput, error)
}

// completion is the complete-signature payload (DESIGN.md contract); an
// empty signer lets the function apply its default (Bob).
type completion struct {
	DocumentID string `json:"documentId"`
	Signer     string `json:"signer,omitempty"`
	Decision   string `json:"decision"`
	Reason     string `json:"reason,omitempty"`
}

// completionResult is complete-signature's answer.
type completionResult struct {
	DocumentID string `json:"documentId"`
	Signer     string `json:"signer"`
	Status     string `json:"status"`
}

func newSignCmd(a *app) *cobra.Command {
	return newCompletionCmd(a, "sign", &cobra.Command{
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

func newDeclineCmd(a *app) *cobra.Command {
	return newCompletionCmd(a, "decline", &cobra.Command{
		Use:   "decline <documentId> --reason TEXT [--signer Bob]",
		Short: "Decline a document for a callback signer",
		Long: `Decline a document for a callback signer: invokes the complete-signature
Lambda function with {"documentId","signer","decision":"decline","reason"}.
The run then fails with error SignatureDeclined, the reason as its cause.`,
		Example: `  signctl decline 3 --reason "wrong amount on page 2"`,
	})
}

// newCompletionCmd completes cmd as the command of one decision.
func newCompletionCmd(a *app, decision string, cmd *cobra.Command) *cobra.Command {
	var opts awsOptions
	var asJSON bool
	c := completion{Decision: decision}
	cmd.GroupID = groupSigning
	cmd.Args = oneDocumentID
	cmd.RunE = func(cmd *cobra.Command, args []string) error {
		c.DocumentID = args[0]
		if decision == "decline" && strings.TrimSpace(c.Reason) == "" {
			return usageError("decline needs a reason: --reason TEXT (it is kept with the request and becomes the run's cause)")
		}
		s, err := a.connect(cmd.Context(), &opts)
		if err != nil {
			return err
		}
		res, err := complete(cmd.Context(), s.lambda, s.outputs.CompleteSignatureFunctionName, c)
		if err != nil {
			return err
		}
		return output(cmd, asJSON, res, func(w io.Writer) { printCompletion(w, res, c) })
	}
	opts.addFlags(cmd)
	cmd.Flags().StringVar(&c.Signer, "signer", "", "callback signer to act for (default: the function's default, Bob)")
	if decision == "decline" {
		cmd.Flags().StringVar(&c.Reason, "reason", "", "why the document is declined (required)")
	}
	cmd.Flags().BoolVar(&asJSON, "json", false, "print the outcome as JSON")
	return cmd
}

// complete invokes complete-signature and returns its answer, or its
// function error in words (completionError).
func complete(ctx context.Context, api functionInvoker, function string, c completion) (completionResult, error) {
	payload, err := json.Marshal(c)
	if err != nil {
		return completionResult{}, err
	}
	out, err := api.Invoke(ctx, &lambda.InvokeInput{FunctionName: aws.String(function), Payload: payload})
	if err != nil {
		return completionResult{}, fmt.Errorf("invoke %s: %w", function, err)
	}
	if out.FunctionError != nil {
		var fe struct {
			ErrorType    string `json:"errorType"`
			ErrorMessage string `json:"errorMessage"`
		}
		_ = json.Unmarshal(out.Payload, &fe) // an unreadable payload leaves the type empty
		return completionResult{}, completionError(c, fe.ErrorType, fe.ErrorMessage)
	}
	var res completionResult
	if err := json.Unmarshal(out.Payload, &res); err != nil || res.Status == "" {
		return completionResult{}, &cliError{Code: "BadResponse", Exit: exitError,
			Msg: fmt.Sprintf("%s answered %.200q, not {\"documentId\",\"signer\",\"status\"}", function, redactTokens(string(out.Payload)))}
	}
	return res, nil
}

// completionErrorWords says, per complete-signature errorType (DESIGN.md
// contract), what happened, what to do and the exit code; {id} stands for
// the document id, {next} for a new id for it.
var completionErrorWords = map[string]struct {
	exit       int
	what, todo string
}{
	"InvalidInput": {exitUsage, "the request was refused as invalid",
		"check the document id, --signer (a callback signer, e.g. Bob) and --reason"},
	"SignatureRequestNotFound": {exitNotFound, "there is no signature request for this document and signer",
		"the document was never started, or its run has not reached this signer yet: check `signctl status {id}`, or start it with `signctl start {id}`"},
	"SignatureAlreadyCompleted": {exitCompleted, "the signature request was already completed",
		"nothing left to do: see `signctl status {id}`"},
	"SignatureRequestExpired": {exitExpired, "the signature request expired: its run no longer waits for it",
		"start a new signing with a new id, e.g. `signctl start {next}`"},
	"SignatureServiceUnavailable": {exitRetry, "the signing service could not complete the request just now",
		"try again in a few seconds"},
}

// completionError puts a complete-signature function error in words.
func completionError(c completion, errorType, message string) *cliError {
	detail := errorType
	if message != "" {
		detail += ": " + message
	}
	detail = redactTokens(detail)
	w, known := completionErrorWords[errorType]
	if !known {
		return &cliError{Code: errorType, Exit: exitError, Msg: fmt.Sprintf(
			"the complete-signature function failed (%s); check its logs (CloudWatch, or the output of `signctl local`) and try again",
			detail)}
	}
	todo := strings.NewReplacer("{id}", c.DocumentID, "{next}", nextVersionID(c.DocumentID)).Replace(w.todo)
	return &cliError{Code: errorType, Exit: w.exit, Msg: fmt.Sprintf("%s %s: %s (%s); %s",
		c.Decision, c.DocumentID, w.what, detail, todo)}
}

func printCompletion(w io.Writer, r completionResult, c completion) {
	if c.Decision == "decline" {
		fmt.Fprintf(w, "%s declined document %s (status %s); its run fails with %s.\n", r.Signer, r.DocumentID, r.Status, errorDeclined)
	} else {
		fmt.Fprintf(w, "%s signed document %s (status %s).\n", r.Signer, r.DocumentID, r.Status)
	}
	fmt.Fprintf(w, "  see: signctl status %s\n", r.DocumentID)
}
