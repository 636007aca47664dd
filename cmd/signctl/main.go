// Command signctl is the operator's CLI for the document-signing workflow: it
// uploads documents and starts their signings, completes or declines them for
// a callback signer, shows a document's status, watches a run live, lists
// what waits on a signer, verifies a document's signatures and draws the
// state machine. It talks to AWS, or to the local stack when given
// an endpoint (--endpoint or AWS_ENDPOINT_URL).
//
// Usage:
//
//	signctl start 3 --file contract.pdf
//	signctl watch 3
//	signctl sign 3 --signer Bob
//	signctl status 3 --json
//	signctl verify 3 --file contract.pdf
//	signctl outbox          (the local stack's kept mail, with signing links)
//
// Run `signctl --help` for every command and the exit codes.
package main

import (
	"context"
	"os"
	"os/signal"
	"syscall"

	"github.com/spf13/cobra"

	"github.com/hitl-go/docsign/cmd/signctl/internal/bench"
	"github.com/hitl-go/docsign/cmd/signctl/internal/cli"
	"github.com/hitl-go/docsign/cmd/signctl/internal/demo"
	"github.com/hitl-go/docsign/cmd/signctl/internal/graph"
	"github.com/hitl-go/docsign/cmd/signctl/internal/inspect"
	"github.com/hitl-go/docsign/cmd/signctl/internal/localcmd"
	"github.com/hitl-go/docsign/cmd/signctl/internal/outbox"
	"github.com/hitl-go/docsign/cmd/signctl/internal/signing"
	"github.com/hitl-go/docsign/cmd/signctl/internal/verify"
)

func main() {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	code := cli.Execute(ctx, newRootCmd(), os.Args[1:], os.Stdout, os.Stderr)
	stop()
	os.Exit(code)
}

// newRootCmd builds signctl with every command.
func newRootCmd() *cobra.Command { return newRoot(cli.DefaultApp()) }

// newRoot builds signctl with every command sharing a: the operator
// commands (which work against AWS as against the local stack), then those
// that run the local stand-in.
func newRoot(a *cli.App) *cobra.Command {
	return cli.NewRoot(
		signing.NewStartCmd(a), signing.NewSignCmd(a), signing.NewDeclineCmd(a),
		inspect.NewStatusCmd(a), inspect.NewWatchCmd(a), inspect.NewPendingCmd(a), verify.NewCmd(a), graph.NewCmd(),
		localcmd.NewCmd(), outbox.NewCmd(a), demo.NewCmd(), bench.NewCmd(),
	)
}
