package demo

import (
	"context"
	"encoding/json"
	"fmt"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/feature/dynamodb/attributevalue"
	"github.com/aws/aws-sdk-go-v2/service/dynamodb"
	ddbtypes "github.com/aws/aws-sdk-go-v2/service/dynamodb/types"
	"github.com/aws/aws-sdk-go-v2/service/lambda"
	"github.com/aws/aws-sdk-go-v2/service/sfn"
	sfntypes "github.com/aws/aws-sdk-go-v2/service/sfn/types"

	"github.com/hitl-go/docsign/cmd/signctl/internal/cli"
	"github.com/hitl-go/docsign/cmd/signctl/internal/signing"
	"github.com/hitl-go/docsign/internal/contract"
	"github.com/hitl-go/docsign/internal/runs"
	"github.com/hitl-go/docsign/internal/signature"
	"github.com/hitl-go/docsign/internal/tokenstore"
)

func (d *demo) bothSign(ctx context.Context) error {
	id := d.ids()
	fmt.Fprintf(d.w, "\n1) Alice signs document %s, and Bob through the link he was sent\n", id)
	arn, pinned, err := d.startAndWaitForBob(ctx, id)
	if err != nil {
		return err
	}
	if err := d.signByLink(ctx, id, pinned.SHA256); err != nil {
		return err
	}
	ex, err := d.waitDone(ctx, id, arn, sfntypes.ExecutionStatusSucceeded, 30*time.Second)
	if err != nil {
		return err
	}
	fmt.Fprintf(d.w, "   done     SUCCEEDED in %s, with both signatures:\n%s\n",
		runTime(ex), indent(prettyJSON(aws.ToString(ex.Output)), "              "))
	return d.verify(ctx, id)
}

func (d *demo) bobDeclines(ctx context.Context) error {
	id := d.ids()
	const reason = "the amount on page 2 is wrong"
	fmt.Fprintf(d.w, "\n2) Bob declines document %s\n", id)
	arn, _, err := d.startAndWaitForBob(ctx, id)
	if err != nil {
		return err
	}
	in := contract.CompleteInput{DocumentID: id, Signer: contract.DefaultSigner, Decision: contract.DecisionDecline, Reason: reason}
	if err := d.complete(ctx, id, in, "declines"); err != nil {
		return err
	}
	ex, err := d.waitDone(ctx, id, arn, sfntypes.ExecutionStatusFailed, 30*time.Second)
	if err != nil {
		return err
	}
	fmt.Fprintf(d.w, "   done     FAILED in %s: error %s, cause %q\n", runTime(ex), aws.ToString(ex.Error), aws.ToString(ex.Cause))
	return nil
}

func (d *demo) nobodyAnswers(ctx context.Context) error {
	id := d.ids()
	fmt.Fprintf(d.w, "\n3) Nobody answers for Bob on document %s\n", id)
	arn, _, err := d.startAndWaitForBob(ctx, id)
	if err != nil {
		return err
	}
	fmt.Fprintf(d.w, "   wait     …for the global timeout (%s)\n", d.timeout)
	ex, err := d.waitDone(ctx, id, arn, sfntypes.ExecutionStatusTimedOut, d.timeout+30*time.Second)
	if err != nil {
		return err
	}
	fmt.Fprintf(d.w, "   done     TIMED_OUT after %s\n", runTime(ex))
	out, err := d.invoke(ctx, contract.CompleteInput{DocumentID: id}, "signs anyway, too late")
	if err != nil {
		return err
	}
	return lateCompletionError(id, out)
}

// lateCompletionError checks complete-signature's answer to a completion
// after the run timed out: the function error SignatureRequestExpired.
func lateCompletionError(id string, out *lambda.InvokeOutput) error {
	if errorType, _, failed := signing.FunctionError(out); failed && errorType == contract.ErrorSignatureRequestExpired {
		return nil
	}
	return &cli.Error{Code: "DemoFailed", Exit: cli.ExitError, Msg: fmt.Sprintf(
		"complete-signature answered %s to a completion after the timeout for %s; want function error %s",
		invokeResult(out), id, contract.ErrorSignatureRequestExpired)}
}

// startAndWaitForBob uploads and starts the document, shows Alice's
// signature from the execution history and Bob's request from DynamoDB,
// and returns the run's ARN and the document it pinned.
func (d *demo) startAndWaitForBob(ctx context.Context, id string) (string, signature.Document, error) {
	var none signature.Document
	if err := d.upload(ctx, id); err != nil {
		return "", none, err
	}
	started, err := runs.Start(ctx, d.sfn, d.out.StateMachineARN, id)
	if err != nil {
		return "", none, err
	}
	arn := aws.ToString(started.ExecutionArn)
	fmt.Fprintf(d.w, "   start    StartExecution %s → RUNNING\n", runs.Input(id))
	sig, err := d.waitForSignature(ctx, arn)
	if err != nil {
		return "", none, err
	}
	fmt.Fprintf(d.w, "   Alice    signed at once (from the execution history): pinned version %s (sha256 %s) at %s, JWS %.24s…\n",
		sig.Statement.Document.VersionID, sig.Statement.Document.SHA256, sig.Statement.SignedAt, sig.JWS)
	item, err := d.waitForRequest(ctx, id)
	if err != nil {
		return "", none, err
	}
	fmt.Fprintf(d.w, "   Bob      is asked; his request waits in DynamoDB table %s:\n              %s\n", d.out.TableName, showItem(item))
	return arn, sig.Statement.Document, nil
}

// waitForSignature polls the history until a task state exits with a signature.
func (d *demo) waitForSignature(ctx context.Context, arn string) (signature.Envelope, error) {
	var sig signature.Envelope
	err := poll(ctx, 30*time.Second, "a signature in the history of "+arn, func() (bool, error) {
		h, err := d.sfn.GetExecutionHistory(ctx, &sfn.GetExecutionHistoryInput{ExecutionArn: aws.String(arn)})
		if err != nil {
			return false, err
		}
		for _, ev := range h.Events {
			if ev.StateExitedEventDetails != nil &&
				json.Unmarshal([]byte(aws.ToString(ev.StateExitedEventDetails.Output)), &sig) == nil && sig.JWS != "" {
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
	key, err := attributevalue.MarshalMap(tokenstore.Key{DocumentID: id, Signer: contract.DefaultSigner})
	if err != nil {
		return nil, err
	}
	err = poll(ctx, 30*time.Second, contract.DefaultSigner+"'s request for "+id, func() (bool, error) {
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
func (d *demo) complete(ctx context.Context, id string, in contract.CompleteInput, what string) error {
	out, err := d.invoke(ctx, in, what)
	if err == nil && out.FunctionError != nil {
		err = &cli.Error{Code: "DemoFailed", Exit: cli.ExitError, Msg: "complete-signature failed for " + id}
	}
	return err
}

// invoke calls complete-signature through the Lambda API and shows the outcome.
func (d *demo) invoke(ctx context.Context, in contract.CompleteInput, what string) (*lambda.InvokeOutput, error) {
	fn := d.out.CompleteSignatureFunctionName
	payload, err := json.Marshal(in)
	if err != nil {
		return nil, err
	}
	out, err := d.fn.Invoke(ctx, &lambda.InvokeInput{FunctionName: aws.String(fn), Payload: payload})
	if err != nil {
		return nil, fmt.Errorf("invoke %s: %w", fn, err)
	}
	fmt.Fprintf(d.w, "   %-8s %s: Lambda Invoke %s\n              %s\n              → %s\n",
		contract.DefaultSigner, what, fn, payload, invokeResult(out))
	return out, nil
}

// waitDone polls until the run ends and checks it ended as want.
func (d *demo) waitDone(ctx context.Context, id, arn string, want sfntypes.ExecutionStatus, timeout time.Duration) (*sfn.DescribeExecutionOutput, error) {
	var ex *sfn.DescribeExecutionOutput
	err := poll(ctx, timeout, "the end of the run of "+id, func() (bool, error) {
		var err error
		ex, err = d.sfn.DescribeExecution(ctx, &sfn.DescribeExecutionInput{ExecutionArn: aws.String(arn)})
		return err == nil && ex.Status != sfntypes.ExecutionStatusRunning, err
	})
	if err == nil && ex.Status != want {
		err = &cli.Error{Code: "DemoFailed", Exit: cli.ExitError, Msg: fmt.Sprintf("document %s ended %s (%s: %s), want %s",
			id, ex.Status, aws.ToString(ex.Error), cli.RedactTokens(aws.ToString(ex.Cause)), want)}
	}
	return ex, err
}

// demoPoll calls cond every 200 ms until it reports done or timeout passes.
func poll(ctx context.Context, timeout time.Duration, what string, cond func() (bool, error)) error {
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
			return &cli.Error{Code: "DemoFailed", Exit: cli.ExitError, Msg: fmt.Sprintf("waited %s for %s: %v", timeout, what, err), Err: err}
		case <-time.After(200 * time.Millisecond):
		}
	}
}
