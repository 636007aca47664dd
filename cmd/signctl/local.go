package main

import (
	"context"
	"errors"
	"fmt"
	"io"

	"github.com/spf13/cobra"

	"github.com/hitl-go/docsign/local/stack"
)

func init() { registerCommand(newLocalCmd) }

func newLocalCmd() *cobra.Command {
	var o stack.Options
	cmd := &cobra.Command{
		Use:   "local [--cdk-out DIR] [--addr 127.0.0.1:4566] [--outputs-file F] [--in-memory] [--data-dir DIR]",
		Short: "Run the synthesized app on this machine: Step Functions, Lambda and DynamoDB on one endpoint",
		Long: `Run every stack of the cloud assembly (cdk.out, from ` + "`make synth`" + `) on this
machine: DynamoDB tables in dynalite (data kept in --data-dir unless
--in-memory), each Lambda function built from its Go package and run as a
real process, the state machines in the local Step Functions engine — all on
one loopback endpoint, with the web console at its root.

When everything is ready it writes --outputs-file (shaped like
` + "`cdk deploy --outputs-file`" + `) and prints what runs where; function logs follow,
prefixed by function name. Ctrl-C or SIGTERM stops it and every child process.`,
		Example: `  signctl local
  AWS_ENDPOINT_URL=http://127.0.0.1:4566 aws stepfunctions list-state-machines
  signctl local --cdk-out cdk.out.dev --addr 127.0.0.1:4567 --in-memory`,
		GroupID: groupLocal,
		Args:    cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			o.Stdout = cmd.OutOrStdout()
			return runLocal(cmd.Context(), o, cmd.OutOrStdout())
		},
	}
	f := cmd.Flags()
	f.StringVar(&o.CDKOut, "cdk-out", stack.DefaultCDKOut, "cloud assembly `DIR`, from make synth")
	f.StringVar(&o.Addr, "addr", stack.DefaultAddr, "loopback `HOST:PORT` to serve every API and the console on")
	f.StringVar(&o.OutputsFile, "outputs-file", stack.DefaultOutputsFile, "`FILE` to write the stacks' outputs to once ready")
	f.BoolVar(&o.InMemory, "in-memory", false, "keep DynamoDB data in memory only (nothing survives a restart)")
	f.StringVar(&o.DataDir, "data-dir", "", "`DIR` for DynamoDB data and built functions (default "+stack.DefaultDataDir+" in the repository root)")
	return cmd
}

// runLocal runs the local stack until ctx ends (SIGINT or SIGTERM), then
// stops it and every child process.
func runLocal(ctx context.Context, o stack.Options, w io.Writer) error {
	st, err := stack.Start(ctx, o)
	if err != nil {
		return localError(ctx, err)
	}
	<-ctx.Done()
	fmt.Fprintln(w, "stopping the local stack…")
	if err := st.Close(); err != nil {
		return &cliError{Code: "StopFailed", Exit: exitError, Msg: "stop the local stack: " + err.Error(), Err: err}
	}
	fmt.Fprintln(w, "stopped")
	return nil
}

// localError turns a start-up failure into a *cliError: setup problems are
// one line naming the fix, as the stack words them.
func localError(ctx context.Context, err error) error {
	var setup *stack.SetupError
	var build *stack.BuildError
	switch {
	case ctx.Err() != nil:
		return ctx.Err() // interrupted while starting: explain reports it
	case errors.As(err, &setup):
		return &cliError{Code: "LocalSetup", Exit: exitError, Msg: setup.Error(), Err: err}
	case errors.As(err, &build):
		return &cliError{Code: "BuildFailed", Exit: exitError, Msg: build.Error(), Err: err}
	}
	return &cliError{Code: "LocalStartFailed", Exit: exitError, Msg: "start the local stack: " + err.Error(), Err: err}
}
