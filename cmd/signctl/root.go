package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"strings"
	"time"

	"github.com/spf13/cobra"
)

// Command groups shown by `signctl --help`. Commands registered with
// registerCommand may set GroupID to groupLocal.
const (
	groupSigning = "signing"
	groupInspect = "inspect"
	groupLocal   = "local"
)

// extraCommands are constructors of the commands other files of this package
// define (signctl local, demo, bench). Each such file registers its own from
// an init function, so no file needs to edit another:
//
//	func init() { registerCommand(newLocalCmd) }
//
// Those commands may use what this package offers: awsOptions (the
// --endpoint, --region and --outputs-file flags, awsConfig, connect),
// readOutputs, validateDocumentID, and return *cliError values for a chosen
// exit code (any other error exits with exitError).
var extraCommands []func() *cobra.Command

// registerCommand adds a command constructor to the root command.
func registerCommand(newCmd func() *cobra.Command) {
	extraCommands = append(extraCommands, newCmd)
}

// app holds what the commands share; tests replace its parts with fakes.
type app struct {
	// connect reads the outputs file and builds the AWS clients.
	connect func(ctx context.Context, o *awsOptions) (*session, error)
	now     func() time.Time
	// isTerminal reports whether w is an interactive terminal (watch redraws in place).
	isTerminal func(w io.Writer) bool
	// pollInterval is watch's default refresh interval.
	pollInterval time.Duration
}

func defaultApp() *app {
	return &app{connect: connect, now: time.Now, isTerminal: isTerminal, pollInterval: time.Second}
}

// newRootCmd builds signctl with every command, including the registered ones.
func newRootCmd() *cobra.Command { return newRoot(defaultApp()) }

func newRoot(a *app) *cobra.Command {
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
	root.SetFlagErrorFunc(func(_ *cobra.Command, err error) error { return usageError(err.Error()) })
	root.AddGroup(
		&cobra.Group{ID: groupSigning, Title: "Signing:"},
		&cobra.Group{ID: groupInspect, Title: "Inspecting:"},
		&cobra.Group{ID: groupLocal, Title: "Local stack:"},
	)
	root.AddCommand(
		newStartCmd(a), newSignCmd(a), newDeclineCmd(a),
		newStatusCmd(a), newWatchCmd(a), newPendingCmd(a), newGraphCmd(),
	)
	for _, newCmd := range extraCommands {
		root.AddCommand(newCmd())
	}
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
	return usageError(msg + "; see `signctl --help`")
}

// execute runs the command line and returns the exit code. Errors are
// printed to stderr in words; with --json they are also printed to stdout
// as {"error":{…}} so scripts read one stream. Both streams are scrubbed of
// the task tokens learned from run histories.
func execute(ctx context.Context, root *cobra.Command, args []string, stdout, stderr io.Writer) int {
	stdout, stderr = redactingWriter{stdout}, redactingWriter{stderr}
	root.SetArgs(args)
	root.SetOut(stdout)
	root.SetErr(stderr)
	classifyErrors(root)
	cmd, err := root.ExecuteContextC(ctx)
	if err == nil {
		return exitOK
	}
	var ce *cliError
	if !errors.As(err, &ce) {
		ce = usageError(err.Error()) // errors cobra raises before a command runs
	}
	fmt.Fprintln(stderr, "signctl: "+ce.Error())
	if wantsJSON(cmd) {
		writeJSON(stdout, map[string]any{"error": ce.jsonView()})
	}
	return ce.Exit
}

// classifyErrors wraps every command's RunE so that an error it returns is a
// *cliError; errors that are not come from cobra itself (usage mistakes).
func classifyErrors(cmd *cobra.Command) {
	if run := cmd.RunE; run != nil && cmd.Annotations["classified"] == "" {
		cmd.RunE = func(c *cobra.Command, args []string) error { return explain(run(c, args)) }
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

// isTerminal reports whether w is a character device (a terminal).
func isTerminal(w io.Writer) bool {
	if r, ok := w.(redactingWriter); ok {
		w = r.w
	}
	f, ok := w.(*os.File)
	if !ok {
		return false
	}
	info, err := f.Stat()
	return err == nil && info.Mode()&os.ModeCharDevice != 0 && !strings.EqualFold(os.Getenv("TERM"), "dumb")
}
