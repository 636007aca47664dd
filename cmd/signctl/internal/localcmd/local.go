// Package localcmd holds `signctl local`: the synthesized app run on this
// machine by the local stand-in (local/stack).
package localcmd

import (
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"regexp"
	"strings"

	"github.com/spf13/cobra"

	"github.com/hitl-go/docsign/cmd/signctl/internal/cli"
	"github.com/hitl-go/docsign/local/cloudformation"
	"github.com/hitl-go/docsign/local/stack"
)

// NewCmd is `signctl local`.
func NewCmd() *cobra.Command {
	var o stack.Options
	var iamKeys []string
	var iamKeysFile string
	cmd := &cobra.Command{
		Use:   "local [--cdk-out DIR] [--addr 127.0.0.1:4566] [--outputs-file F] [--in-memory] [--data-dir DIR] [--region R] [--account-id ID]",
		Short: "Run the synthesized app on this machine: Step Functions, Lambda, DynamoDB, S3, KMS, SNS and the HTTP API on one endpoint",
		Long: `Run every stack of the cloud assembly (cdk.out, from ` + "`make synth`" + `) on this
machine: DynamoDB tables in dynalite, S3 buckets (path-style, versioned as
the template says), KMS signing keys and SNS topics, whose mail is kept in an
outbox rather than sent (` + "`signctl outbox`" + `) (data of all four kept in
--data-dir unless --in-memory), each Lambda function built from its Go
package and run as a real process, the state machines in the local Step
Functions engine, the HTTP APIs under <endpoint>/_api/<id>/ (their ApiUrl
output points there) — all on one loopback endpoint, with the web console at
its root.

When everything is ready it writes --outputs-file (shaped like
` + "`cdk deploy --outputs-file`" + `) and prints what runs where; function logs follow,
prefixed by function name. Ctrl-C or SIGTERM stops it and every child process.
ARNs name --region and --account-id.`,
		Example: `  signctl local
  AWS_ENDPOINT_URL=http://127.0.0.1:4566 aws stepfunctions list-state-machines
  signctl local --cdk-out cdk.out.dev --addr 127.0.0.1:4567 --in-memory`,
		GroupID: cli.GroupLocal,
		Args:    cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			if err := checkPlace(o.Region, o.AccountID); err != nil {
				return err
			}
			if iamKeysFile != "" {
				lines, err := readKeysFile(iamKeysFile)
				if err != nil {
					return err
				}
				iamKeys = append(iamKeys, lines...)
			}
			keys, err := parseIAMKeys(iamKeys)
			if err != nil {
				return err
			}
			o.IAMKeys = keys
			o.Stdout = cmd.OutOrStdout()
			return runLocal(cmd.Context(), o, cmd.OutOrStdout())
		},
	}
	f := cmd.Flags()
	f.StringVar(&o.CDKOut, "cdk-out", stack.DefaultCDKOut, "cloud assembly `DIR`, from make synth")
	f.StringVar(&o.Addr, "addr", stack.DefaultAddr, "loopback `HOST:PORT` to serve every API and the console on")
	f.StringVar(&o.OutputsFile, "outputs-file", stack.DefaultOutputsFile, "`FILE` to write the stacks' outputs to once ready")
	f.BoolVar(&o.Verbose, "verbose", false, "also log every Step Functions, KMS and SNS API request (operation and error code; never a task token or a message)")
	f.BoolVar(&o.InMemory, "in-memory", false, "keep DynamoDB data, S3 objects, KMS keys and the SNS outbox in memory only (nothing survives a restart)")
	f.StringVar(&o.DataDir, "data-dir", "", "`DIR` for DynamoDB data, S3 objects, KMS keys, the SNS outbox and built functions (default "+stack.DefaultDataDir+" in the repository root)")
	f.StringVar(&o.Region, "region", cloudformation.DefaultRegion, "AWS `REGION` the stack stands in for (in ARNs and AWS::Region)")
	f.StringVar(&iamKeysFile, "iam-keys-file", "", "`FILE` of ID=SECRET lines, as --iam-key but kept off the command line ('#' starts a comment)")
	f.StringArrayVar(&iamKeys, "iam-key", nil, "`ID=SECRET` access key pair the HTTP APIs' AWS_IAM routes accept, its signatures checked "+
		"(repeat for more; none: any well-formed SigV4 signature); the caller is arn:aws:iam::<account-id>:user/<ID>")
	f.StringVar(&o.AccountID, "account-id", cloudformation.DefaultAccountID, "12-digit AWS account `ID` the stack stands in for (in ARNs and AWS::AccountId)")
	return cmd
}

// accessKeyIDPattern is the shape of an access key id (AWS's are 16-128
// word characters).
var accessKeyIDPattern = regexp.MustCompile(`^\w{1,128}$`)

// readKeysFile reads --iam-keys-file: one ID=SECRET per line; blank lines
// and lines starting with # are skipped.
func readKeysFile(path string) ([]string, error) {
	data, err := os.ReadFile(path)
	if err != nil {
		return nil, cli.UsageError(fmt.Sprintf("--iam-keys-file: %v", err))
	}
	var lines []string
	for line := range strings.Lines(string(data)) {
		if line = strings.TrimSpace(line); line != "" && !strings.HasPrefix(line, "#") {
			lines = append(lines, line)
		}
	}
	return lines, nil
}

// parseIAMKeys reads --iam-key ID=SECRET values.
func parseIAMKeys(values []string) (map[string]string, error) {
	if len(values) == 0 {
		return nil, nil
	}
	keys := make(map[string]string, len(values))
	for _, v := range values {
		id, secret, ok := strings.Cut(v, "=")
		switch {
		case !ok || !accessKeyIDPattern.MatchString(id) || secret == "":
			// The value may hold a secret: it is not repeated.
			return nil, cli.UsageError(fmt.Sprintf("--iam-key: want ACCESS_KEY_ID=SECRET, the id of letters, digits and _ (got %d characters)", len(v)))
		case keys[id] != "":
			return nil, cli.UsageError(fmt.Sprintf("--iam-key: access key id %q given twice", id))
		}
		keys[id] = secret
	}
	return keys, nil
}

// Shapes of what --region and --account-id accept, e.g. us-gov-west-1 and
// 000000000000.
var (
	regionPattern    = regexp.MustCompile(`^[a-z]{2}(-[a-z]+)+-[0-9]+$`)
	accountIDPattern = regexp.MustCompile(`^[0-9]{12}$`)
)

// checkPlace refuses a region or account ID that ARNs cannot hold.
func checkPlace(region, accountID string) error {
	switch {
	case !regionPattern.MatchString(region):
		return cli.UsageError(fmt.Sprintf("--region %q is not an AWS region name such as %s", region, cloudformation.DefaultRegion))
	case !accountIDPattern.MatchString(accountID):
		return cli.UsageError(fmt.Sprintf("--account-id %q is not a 12-digit AWS account ID such as %s", accountID, cloudformation.DefaultAccountID))
	}
	return nil
}

// runLocal runs the local stack until ctx ends (SIGINT or SIGTERM) or the
// stack fails (dynalite gone for good), then stops it and every child
// process.
func runLocal(ctx context.Context, o stack.Options, w io.Writer) error {
	st, err := stack.Start(ctx, o)
	if err != nil {
		return StartError(ctx, err)
	}
	select {
	case <-ctx.Done():
	case <-st.Failed():
		fmt.Fprintf(w, "the local stack failed: %v\n", st.Err())
	}
	fmt.Fprintln(w, "stopping the local stack…")
	closeErr := st.Close()
	if err := st.Err(); err != nil {
		return &cli.Error{Code: "LocalFailed", Exit: cli.ExitError, Msg: "the local stack failed: " + err.Error(), Err: err}
	}
	if closeErr != nil {
		return &cli.Error{Code: "StopFailed", Exit: cli.ExitError, Msg: "stop the local stack: " + closeErr.Error(), Err: closeErr}
	}
	fmt.Fprintln(w, "stopped")
	return nil
}

// StartError turns a failure to start the local stack into a *cli.Error:
// setup problems are one line naming the fix, as the stack words them.
func StartError(ctx context.Context, err error) error {
	var setup *stack.SetupError
	var build *stack.BuildError
	switch {
	case ctx.Err() != nil:
		return ctx.Err() // interrupted while starting: explain reports it
	case errors.As(err, &setup):
		return &cli.Error{Code: "LocalSetup", Exit: cli.ExitError, Msg: setup.Error(), Err: err}
	case errors.As(err, &build):
		return &cli.Error{Code: "BuildFailed", Exit: cli.ExitError, Msg: build.Error(), Err: err}
	}
	return &cli.Error{Code: "LocalStartFailed", Exit: cli.ExitError, Msg: "start the local stack: " + err.Error(), Err: err}
}
