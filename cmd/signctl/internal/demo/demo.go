// Package demo holds `signctl demo`: the signing mission played on a local
// stack started in-process (local/stack), through the public AWS APIs.
package demo

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strings"
	"syscall"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/dynamodb"
	"github.com/aws/aws-sdk-go-v2/service/kms"
	"github.com/aws/aws-sdk-go-v2/service/lambda"
	"github.com/aws/aws-sdk-go-v2/service/s3"
	"github.com/aws/aws-sdk-go-v2/service/sfn"
	"github.com/spf13/cobra"

	"github.com/hitl-go/docsign/cmd/signctl/internal/cli"
	"github.com/hitl-go/docsign/cmd/signctl/internal/localcmd"
	"github.com/hitl-go/docsign/internal/documents"
	"github.com/hitl-go/docsign/local/stack"
)

// NewCmd is `signctl demo`.
func NewCmd() *cobra.Command {
	var o stack.Options
	cmd := &cobra.Command{
		Use:   "demo [--cdk-out DIR]",
		Short: "Play the signing mission on a local stack, then stop it",
		Long: `Start the local stack in this process (in memory; on a free port if
127.0.0.1:4566 is taken) and play the mission with fresh document ids, each
written to <data-dir>/documents/ and uploaded to the document bucket first: a
document Alice and Bob both sign — then verified as ` + "`signctl verify`" + ` does, and
a changed copy of it shown failing verification —, one Bob declines, and one
nobody completes before the state machine's timeout. Then stop everything.
The services' own log goes to <data-dir>/stack.log.`,
		Example: `  make demo
  signctl demo --cdk-out cdk.out.demo`,
		GroupID: cli.GroupLocal,
		Args:    cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			return runDemo(cmd.Context(), o, cmd.OutOrStdout())
		},
	}
	f := cmd.Flags()
	f.StringVar(&o.CDKOut, "cdk-out", stack.DefaultCDKOut, "cloud assembly `DIR` (make demo synthesizes cdk.out.demo with a short timeout)")
	f.StringVar(&o.Addr, "addr", stack.DefaultAddr, "loopback `HOST:PORT` to serve on (the default falls back to a free port when taken)")
	f.StringVar(&o.DataDir, "data-dir", filepath.Join(stack.DefaultDataDir, "demo"), "`DIR` for the built functions, the outputs file and the stack's log")
	return cmd
}

// runDemo starts the stack, plays the mission and stops the stack.
func runDemo(ctx context.Context, o stack.Options, w io.Writer) (err error) {
	st, closeLog, err := startDemoStack(ctx, o, w)
	if err != nil {
		return localcmd.StartError(ctx, err)
	}
	defer func() {
		fmt.Fprintln(w, "\nstopping the local stack…")
		err = errors.Join(err, st.Close(), closeLog())
		if err == nil {
			fmt.Fprintln(w, "stopped, and its console with it.", consoleHint(o.Addr))
		}
	}()
	d, err := newDemo(ctx, st, w, filepath.Join(o.DataDir, "documents"))
	if err != nil {
		return err
	}
	return d.play(ctx)
}

// startDemoStack starts an in-memory stack logging to <data-dir>/stack.log,
// on a free port if the default one is taken.
func startDemoStack(ctx context.Context, o stack.Options, w io.Writer) (*stack.Stack, func() error, error) {
	if err := os.MkdirAll(o.DataDir, 0o755); err != nil {
		return nil, nil, err
	}
	logPath := filepath.Join(o.DataDir, "stack.log")
	logFile, err := os.Create(logPath)
	if err != nil {
		return nil, nil, err
	}
	o.InMemory, o.Stdout = true, logFile
	o.OutputsFile = filepath.Join(o.DataDir, "cdk-outputs.json")
	fmt.Fprintf(w, "starting the local stack for %s (building the functions; log: %s)…\n", o.CDKOut, logPath)
	st, err := stack.Start(ctx, o)
	if errors.Is(err, syscall.EADDRINUSE) && o.Addr == stack.DefaultAddr {
		fmt.Fprintf(w, "%s is taken (by `signctl local`?): using a free port\n", o.Addr)
		o.Addr = "127.0.0.1:0"
		st, err = stack.Start(ctx, o)
	}
	if err != nil {
		logFile.Close()
		return nil, nil, err
	}
	return st, logFile.Close, nil
}

// demo plays the mission against one stack through the public AWS APIs.
type demo struct {
	w        io.Writer
	endpoint string
	out      cli.Outputs
	sfn      *sfn.Client
	db       *dynamodb.Client
	fn       *lambda.Client
	s3       *s3.Client
	// session reaches the stack as `signctl verify` does.
	session *cli.Session
	timeout time.Duration // the state machine's global timeout
	ids     func() string
	dir     string // where the documents' files are written
}

func newDemo(ctx context.Context, st *stack.Stack, w io.Writer, dir string) (*demo, error) {
	out, err := cli.ReadOutputs(st.OutputsFile())
	if err != nil {
		return nil, err
	}
	opts := cli.Options{Endpoint: st.Endpoint(), Region: cli.ARNRegion(out.StateMachineARN)}
	cfg, err := opts.Config(ctx, "")
	if err != nil {
		return nil, err
	}
	run, n := time.Now().Unix(), 0
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return nil, err
	}
	d := &demo{w: w, endpoint: st.Endpoint(), out: out, sfn: sfn.NewFromConfig(cfg), db: dynamodb.NewFromConfig(cfg),
		fn: lambda.NewFromConfig(cfg), s3: documents.NewClient(cfg), dir: dir,
		ids: func() string { n++; return fmt.Sprintf("demo-%d-%d", run, n) }}
	d.session = &cli.Session{Outputs: out, Endpoint: st.Endpoint(), SFN: d.sfn, DB: d.db, Lambda: d.fn, S3: d.s3, KMS: kms.NewFromConfig(cfg)}
	sm, err := d.sfn.DescribeStateMachine(ctx, &sfn.DescribeStateMachineInput{StateMachineArn: aws.String(out.StateMachineARN)})
	if err != nil {
		return nil, fmt.Errorf("describe the state machine: %w", err)
	}
	var def struct{ TimeoutSeconds int }
	if err := json.Unmarshal([]byte(aws.ToString(sm.Definition)), &def); err != nil || def.TimeoutSeconds == 0 {
		return nil, fmt.Errorf("the state machine's definition has no TimeoutSeconds: was it synthesized by this app?")
	}
	d.timeout = time.Duration(def.TimeoutSeconds) * time.Second
	return d, nil
}

func (d *demo) play(ctx context.Context) error {
	fmt.Fprintf(d.w, "\nDocument signing, on the local stack at %s\n", d.endpoint)
	fmt.Fprintf(d.w, "Watch the runs in the console while they play: %s/\n", d.endpoint)
	fmt.Fprintf(d.w, "State machine %s (global timeout %s)\n", d.out.StateMachineARN, d.timeout)
	for _, step := range []func(context.Context) error{d.bothSign, d.bobDeclines, d.nobodyAnswers} {
		if err := step(ctx); err != nil {
			return err
		}
	}
	fmt.Fprintln(d.w, "\nThe mission played: signed and verified, declined, timed out.")
	return nil
}

// consoleHint says where a stack that stays up serves the console: the demo's
// own stack stops when it ends. addr is the demo's --addr; a port of its own
// choosing (:0) is not one `signctl local` would get again.
func consoleHint(addr string) string {
	if addr == stack.DefaultAddr || strings.HasSuffix(addr, ":0") {
		return fmt.Sprintf("The console is served by `make local` (or `signctl local`) at http://%s/ until Ctrl-C.", stack.DefaultAddr)
	}
	return fmt.Sprintf("The console is served by `signctl local --addr %s` at http://%s/ until Ctrl-C.", addr, addr)
}
