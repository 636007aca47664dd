package main

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"syscall"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/dynamodb"
	ddbtypes "github.com/aws/aws-sdk-go-v2/service/dynamodb/types"
	"github.com/aws/aws-sdk-go-v2/service/lambda"
	"github.com/aws/aws-sdk-go-v2/service/sfn"
	"github.com/spf13/cobra"

	"github.com/hitl-go/docsign/local/stack"
)

func init() { registerCommand(newDemoCmd) }

// demoSigner is the callback signer the demo acts for: complete-signature's
// default signer (DESIGN.md contract).
const demoSigner = "Bob"

func newDemoCmd() *cobra.Command {
	var o stack.Options
	cmd := &cobra.Command{
		Use:   "demo [--cdk-out DIR]",
		Short: "Play the signing mission on a local stack, then stop it",
		Long: `Start the local stack in this process (in memory; on a free port if
127.0.0.1:4566 is taken) and play the mission with fresh document ids: a
document Alice and Bob both sign, one Bob declines, and one nobody completes
before the state machine's timeout. Then stop everything. The services' own
log goes to <data-dir>/stack.log.`,
		Example: `  make demo
  signctl demo --cdk-out cdk.out.demo`,
		GroupID: groupLocal,
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
		return localError(ctx, err)
	}
	defer func() {
		fmt.Fprintln(w, "\nstopping the local stack…")
		err = errors.Join(err, st.Close(), closeLog())
		if err == nil {
			fmt.Fprintln(w, "stopped, and its console with it.", consoleHint(o.Addr))
		}
	}()
	d, err := newDemo(ctx, st, w)
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
	out      stackOutputs
	sfn      *sfn.Client
	db       *dynamodb.Client
	fn       *lambda.Client
	timeout  time.Duration // the state machine's global timeout
	ids      func() string
}

func newDemo(ctx context.Context, st *stack.Stack, w io.Writer) (*demo, error) {
	out, err := readOutputs(st.OutputsFile())
	if err != nil {
		return nil, err
	}
	opts := awsOptions{endpoint: st.Endpoint(), region: arnRegion(out.StateMachineARN)}
	cfg, err := opts.awsConfig(ctx, "")
	if err != nil {
		return nil, err
	}
	run, n := time.Now().Unix(), 0
	d := &demo{w: w, endpoint: st.Endpoint(), out: out, sfn: sfn.NewFromConfig(cfg), db: dynamodb.NewFromConfig(cfg),
		fn: lambda.NewFromConfig(cfg), ids: func() string { n++; return fmt.Sprintf("demo-%d-%d", run, n) }}
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
	fmt.Fprintln(d.w, "\nThe mission played: signed, declined, timed out.")
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

func (d *demo) bothSign(ctx context.Context) error {
	id := d.ids()
	fmt.Fprintf(d.w, "\n1) Alice and Bob sign document %s\n", id)
	arn, err := d.startAndWaitForBob(ctx, id)
	if err != nil {
		return err
	}
	if err := d.complete(ctx, id, fmt.Sprintf(`{"documentId":%q}`, id), "signs"); err != nil {
		return err
	}
	ex, err := d.waitDone(ctx, id, arn, "SUCCEEDED", 30*time.Second)
	if err != nil {
		return err
	}
	fmt.Fprintf(d.w, "   done     SUCCEEDED in %s, with both signatures:\n%s\n",
		demoRunTime(ex), demoIndent(demoJSON(aws.ToString(ex.Output)), "              "))
	return nil
}

func (d *demo) bobDeclines(ctx context.Context) error {
	id := d.ids()
	const reason = "the amount on page 2 is wrong"
	fmt.Fprintf(d.w, "\n2) Bob declines document %s\n", id)
	arn, err := d.startAndWaitForBob(ctx, id)
	if err != nil {
		return err
	}
	payload := fmt.Sprintf(`{"documentId":%q,"signer":%q,"decision":"decline","reason":%q}`, id, demoSigner, reason)
	if err := d.complete(ctx, id, payload, "declines"); err != nil {
		return err
	}
	ex, err := d.waitDone(ctx, id, arn, "FAILED", 30*time.Second)
	if err != nil {
		return err
	}
	fmt.Fprintf(d.w, "   done     FAILED in %s: error %s, cause %q\n", demoRunTime(ex), aws.ToString(ex.Error), aws.ToString(ex.Cause))
	return nil
}

func (d *demo) nobodyAnswers(ctx context.Context) error {
	id := d.ids()
	fmt.Fprintf(d.w, "\n3) Nobody answers for Bob on document %s\n", id)
	arn, err := d.startAndWaitForBob(ctx, id)
	if err != nil {
		return err
	}
	fmt.Fprintf(d.w, "   wait     …for the global timeout (%s)\n", d.timeout)
	ex, err := d.waitDone(ctx, id, arn, "TIMED_OUT", d.timeout+30*time.Second)
	if err != nil {
		return err
	}
	fmt.Fprintf(d.w, "   done     TIMED_OUT after %s\n", demoRunTime(ex))
	out, err := d.invoke(ctx, fmt.Sprintf(`{"documentId":%q}`, id), "signs anyway, too late")
	if err != nil {
		return err
	}
	return lateCompletionError(id, out)
}

// expiredErrorType is complete-signature's errorType for a request whose run
// no longer waits (DESIGN.md contract).
const expiredErrorType = "SignatureRequestExpired"

// lateCompletionError checks complete-signature's answer to a completion
// after the run timed out: the function error SignatureRequestExpired.
func lateCompletionError(id string, out *lambda.InvokeOutput) error {
	if errorType, _, failed := demoFunctionError(out); failed && errorType == expiredErrorType {
		return nil
	}
	return &cliError{Code: "DemoFailed", Exit: exitError, Msg: fmt.Sprintf(
		"complete-signature answered %s to a completion after the timeout for %s; want function error %s",
		demoInvokeResult(out), id, expiredErrorType)}
}

// startAndWaitForBob starts the document, shows Alice's signature from the
// execution history and Bob's request from DynamoDB.
func (d *demo) startAndWaitForBob(ctx context.Context, id string) (string, error) {
	input, _ := json.Marshal(map[string]string{"documentId": id})
	started, err := d.sfn.StartExecution(ctx, &sfn.StartExecutionInput{StateMachineArn: aws.String(d.out.StateMachineARN),
		Name: aws.String(id), Input: aws.String(string(input))})
	if err != nil {
		return "", fmt.Errorf("start document %s: %w", id, err)
	}
	arn := aws.ToString(started.ExecutionArn)
	fmt.Fprintf(d.w, "   start    StartExecution %s → RUNNING\n", input)
	sig, err := d.waitForSignature(ctx, arn)
	if err != nil {
		return "", err
	}
	fmt.Fprintf(d.w, "   Alice    signed at once (from the execution history): signature %q at %s\n", sig.Signature, sig.SignedAt)
	item, err := d.waitForRequest(ctx, id)
	if err != nil {
		return "", err
	}
	fmt.Fprintf(d.w, "   Bob      is asked; his request waits in DynamoDB table %s:\n              %s\n", d.out.TableName, demoItem(item))
	return arn, nil
}

// demoSignature is an auto signer's task output (DESIGN.md contract).
type demoSignature struct{ Signer, Signature, SignedAt string }

// waitForSignature polls the history until a task state exits with a signature.
func (d *demo) waitForSignature(ctx context.Context, arn string) (demoSignature, error) {
	var sig demoSignature
	err := demoPoll(ctx, 30*time.Second, "a signature in the history of "+arn, func() (bool, error) {
		h, err := d.sfn.GetExecutionHistory(ctx, &sfn.GetExecutionHistoryInput{ExecutionArn: aws.String(arn)})
		if err != nil {
			return false, err
		}
		for _, ev := range h.Events {
			if ev.StateExitedEventDetails != nil &&
				json.Unmarshal([]byte(aws.ToString(ev.StateExitedEventDetails.Output)), &sig) == nil && sig.Signature != "" {
				return true, nil
			}
		}
		return false, nil
	})
	return sig, err
}

// waitForRequest polls DynamoDB until the callback signer's request exists.
func (d *demo) waitForRequest(ctx context.Context, id string) (map[string]ddbtypes.AttributeValue, error) {
	var item map[string]ddbtypes.AttributeValue
	key := map[string]ddbtypes.AttributeValue{
		"documentId": &ddbtypes.AttributeValueMemberS{Value: id},
		"signer":     &ddbtypes.AttributeValueMemberS{Value: demoSigner},
	}
	err := demoPoll(ctx, 30*time.Second, demoSigner+"'s request for "+id, func() (bool, error) {
		out, err := d.db.GetItem(ctx, &dynamodb.GetItemInput{TableName: aws.String(d.out.TableName), Key: key, ConsistentRead: aws.Bool(true)})
		if err != nil {
			return false, err
		}
		item = out.Item
		return item != nil, nil
	})
	return item, err
}

// complete invokes complete-signature for the document; it must succeed.
func (d *demo) complete(ctx context.Context, id, payload, what string) error {
	out, err := d.invoke(ctx, payload, what)
	if err == nil && out.FunctionError != nil {
		err = &cliError{Code: "DemoFailed", Exit: exitError, Msg: "complete-signature failed for " + id}
	}
	return err
}

// invoke calls complete-signature through the Lambda API and shows the outcome.
func (d *demo) invoke(ctx context.Context, payload, what string) (*lambda.InvokeOutput, error) {
	fn := d.out.CompleteSignatureFunctionName
	out, err := d.fn.Invoke(ctx, &lambda.InvokeInput{FunctionName: aws.String(fn), Payload: []byte(payload)})
	if err != nil {
		return nil, fmt.Errorf("invoke %s: %w", fn, err)
	}
	fmt.Fprintf(d.w, "   %-8s %s: Lambda Invoke %s\n              %s\n              → %s\n",
		demoSigner, what, fn, payload, demoInvokeResult(out))
	return out, nil
}

// waitDone polls until the run ends and checks it ended as want.
func (d *demo) waitDone(ctx context.Context, id, arn, want string, timeout time.Duration) (*sfn.DescribeExecutionOutput, error) {
	var ex *sfn.DescribeExecutionOutput
	err := demoPoll(ctx, timeout, "the end of the run of "+id, func() (bool, error) {
		var err error
		ex, err = d.sfn.DescribeExecution(ctx, &sfn.DescribeExecutionInput{ExecutionArn: aws.String(arn)})
		return err == nil && ex.Status != "RUNNING", err
	})
	if err == nil && string(ex.Status) != want {
		err = &cliError{Code: "DemoFailed", Exit: exitError, Msg: fmt.Sprintf("document %s ended %s (%s: %s), want %s",
			id, ex.Status, aws.ToString(ex.Error), redactTokens(aws.ToString(ex.Cause)), want)}
	}
	return ex, err
}

// demoPoll calls cond every 200 ms until it reports done or timeout passes.
func demoPoll(ctx context.Context, timeout time.Duration, what string, cond func() (bool, error)) error {
	ctx, cancel := context.WithTimeout(ctx, timeout)
	defer cancel()
	for {
		done, err := cond()
		if done {
			return nil
		}
		select {
		case <-ctx.Done():
			if err == nil {
				err = ctx.Err()
			}
			return &cliError{Code: "DemoFailed", Exit: exitError, Msg: fmt.Sprintf("waited %s for %s: %v", timeout, what, err), Err: err}
		case <-time.After(200 * time.Millisecond):
		}
	}
}

// demoItem shows a token-table item's contract attributes with the task
// token cut short: a task token is a secret, even in a demo.
func demoItem(item map[string]ddbtypes.AttributeValue) string {
	var parts []string
	for _, name := range []string{"documentId", "signer", "status", "taskToken", "requestedAt", "expiresAt"} {
		var v string
		switch av := item[name].(type) {
		case *ddbtypes.AttributeValueMemberS:
			v = av.Value
		case *ddbtypes.AttributeValueMemberN:
			v = av.Value
			if secs, err := strconv.ParseInt(v, 10, 64); err == nil {
				v += " (" + time.Unix(secs, 0).UTC().Format(time.TimeOnly) + "Z)"
			}
		default:
			continue
		}
		if name == "taskToken" {
			v = v[:min(8, len(v))] + "…"
		}
		parts = append(parts, name+"="+v)
	}
	return strings.Join(parts, " ")
}

// demoInvokeResult shows a Lambda invocation's outcome.
func demoInvokeResult(out *lambda.InvokeOutput) string {
	if errorType, message, failed := demoFunctionError(out); failed {
		return fmt.Sprintf("function error %s: %s", errorType, redactTokens(message))
	}
	return redactJSON(string(out.Payload))
}

// demoFunctionError decodes a function error's payload (one without an
// errorType is shown whole, under the FunctionError header's value); failed
// is false when the function succeeded.
func demoFunctionError(out *lambda.InvokeOutput) (errorType, message string, failed bool) {
	if out.FunctionError == nil {
		return "", "", false
	}
	var fe struct{ ErrorType, ErrorMessage string }
	if json.Unmarshal(out.Payload, &fe) != nil || fe.ErrorType == "" {
		return aws.ToString(out.FunctionError), string(out.Payload), true
	}
	return fe.ErrorType, fe.ErrorMessage, true
}

func demoRunTime(ex *sfn.DescribeExecutionOutput) time.Duration {
	return aws.ToTime(ex.StopDate).Sub(aws.ToTime(ex.StartDate)).Round(10 * time.Millisecond)
}

func demoJSON(doc string) string {
	var v any
	if json.Unmarshal([]byte(doc), &v) != nil {
		return doc
	}
	b, _ := json.MarshalIndent(v, "", "  ")
	return string(b)
}

func demoIndent(s, prefix string) string {
	return prefix + strings.ReplaceAll(s, "\n", "\n"+prefix)
}
