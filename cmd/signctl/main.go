// Command signctl is the operator's CLI for the document-signing workflow: it
// starts signings, completes or declines them for a callback signer, shows a
// document's status, watches a run live, lists what waits on a signer and
// draws the state machine. It talks to AWS, or to the local stack when given
// an endpoint (--endpoint or AWS_ENDPOINT_URL).
//
// Usage:
//
//	signctl start 3
//	signctl watch 3
//	signctl sign 3 --signer Bob
//	signctl status 3 --json
//
// Run `signctl --help` for every command and the exit codes.
package main

import (
	"context"
	"os"
	"os/signal"
	"syscall"
)

func main() {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	code := execute(ctx, newRootCmd(), os.Args[1:], os.Stdout, os.Stderr)
	stop()
	os.Exit(code)
}
