package cli

import (
	"context"
	"errors"
	"fmt"
	"io"

	"github.com/spf13/cobra"
)

// Command groups shown by `signctl --help`; every command sets GroupID to one.
const (
	GroupSigning = "signing"
	GroupInspect = "inspect"
	GroupLocal   = "local"
)

// NewRoot builds the signctl command with the given subcommands. Commands
// return *Error values for a chosen exit code; any other error is put in
// words by Explain.
func NewRoot(cmds ...*cobra.Command) *cobra.Command {
	root := &cobra.Command{
		Use:   "signctl",
		Short: "Operate the document-signing workflow",
		Long: `signctl starts document signings, completes or declines them for a callback
signer, and shows how each run is going — against AWS, or against the local
stack when an endpoint is given (--endpoint or AWS_ENDPOINT_URL).

Resource names come from an outputs file shaped like ` + "`cdk deploy --outputs-file`" + `
(--outputs-file; by default cdk-outputs.json, else cdk-outputs.local.json as
written by ` + "`signctl local`" + `). Read commands take --json for scripts.

` + exitCodesHelp,
		Example: `  signctl start 3
  signctl watch 3
  signctl sign 3 --signer Bob
  AWS_ENDPOINT_URL=http://127.0.0.1:4566 signctl status 3 --json`,
		SilenceErrors: true,
		SilenceUsage:  true,
		Args:          unknownCommand,
		RunE:          func(cmd *cobra.Command, _ []string) error { return cmd.Help() },
	}
	root.SetFlagErrorFunc(func(_ *cobra.Command, err error) error { return UsageError(err.Error()) })
	root.AddGroup(
		&cobra.Group{ID: GroupSigning, Title: "Signing:"},
		&cobra.Group{ID: GroupInspect, Title: "Inspecting:"},
		&cobra.Group{ID: GroupLocal, Title: "Local stack:"},
	)
	root.AddCommand(cmds...)
	return root
}

// unknownCommand rejects arguments to the root command (cobra's own check
// would not give them the usage exit code).
func unknownCommand(cmd *cobra.Command, args []string) error {
	if len(args) == 0 {
		return nil
	}
	msg := fmt.Sprintf("unknown command %q", args[0])
	if s := cmd.SuggestionsFor(args[0]); len(s) > 0 {
		msg += fmt.Sprintf(" (did you mean %q?)", s[0])
	}
	return UsageError(msg + "; see `signctl --help`")
}

// Execute runs the command line and returns the exit code. Errors are
// printed to stderr in words; with --json they are also printed to stdout
// as {"error":{…}} so scripts read one stream. Both streams escape every
// non-printable character (escape.go), whatever prints it.
func Execute(ctx context.Context, root *cobra.Command, args []string, stdout, stderr io.Writer) int {
	out, errOut := newEscaper(stdout), newEscaper(stderr)
	defer out.flush()
	defer errOut.flush()
	root.SetArgs(args)
	root.SetOut(out)
	root.SetErr(errOut)
	classifyErrors(root)
	cmd, err := root.ExecuteContextC(ctx)
	if err == nil {
		return ExitOK
	}
	var ce *Error
	if !errors.As(err, &ce) {
		ce = UsageError(err.Error()) // errors cobra raises before a command runs
	}
	fmt.Fprintln(errOut, "signctl: "+ce.Error())
	if wantsJSON(cmd) && !ce.Reported {
		WriteJSON(out, map[string]any{"error": ce.jsonView()})
	}
	return ce.Exit
}

// classifyErrors wraps every command's RunE so that an error it returns is
// an *Error; errors that are not come from cobra itself (usage mistakes).
func classifyErrors(cmd *cobra.Command) {
	if run := cmd.RunE; run != nil && cmd.Annotations["classified"] == "" {
		cmd.RunE = func(c *cobra.Command, args []string) error { return Explain(run(c, args)) }
		if cmd.Annotations == nil {
			cmd.Annotations = map[string]string{}
		}
		cmd.Annotations["classified"] = "yes"
	}
	for _, c := range cmd.Commands() {
		classifyErrors(c)
	}
}

func wantsJSON(cmd *cobra.Command) bool {
	if cmd == nil {
		return false
	}
	f := cmd.Flags().Lookup("json")
	return f != nil && f.Value.String() == "true"
}
