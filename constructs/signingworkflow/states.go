package signingworkflow

import (
	"time"

	"github.com/aws/aws-cdk-go/awscdk/v2"
	sfn "github.com/aws/aws-cdk-go/awscdk/v2/awsstepfunctions"
	tasks "github.com/aws/aws-cdk-go/awscdk/v2/awsstepfunctionstasks"
	"github.com/aws/constructs-go/constructs/v10"
	"github.com/aws/jsii-runtime-go"
)

// State names of the workflow, as they appear in the console and history.
const parallelState = "Collect signatures"

// AutoStateName is the state that signs for an auto signer.
func AutoStateName(signer string) string { return "Sign as " + signer }

// CallbackStateName is the state that waits for a callback signer.
func CallbackStateName(signer string) string { return "Wait for " + signer + " to sign" }

// lambdaServiceErrors are the Lambda service's own transient failures.
// Function errors (e.g. SignatureDeclined via SendTaskFailure) are not
// retried: they are answers, not accidents.
var lambdaServiceErrors = []string{
	"Lambda.ServiceException",
	"Lambda.AWSLambdaException",
	"Lambda.SdkClientException",
	"Lambda.TooManyRequestsException",
	"Lambda.ClientExecutionTimeoutException",
}

// crashErrors are the errorTypes of an invocation that died: its process
// exited (killed, out of memory) or it ran past the function's timeout.
// Both functions are idempotent — sign-document only computes, and
// request-signature replaces its own run's PENDING token — so the task runs
// again rather than failing the document's only run.
var crashErrors = []string{"Runtime.ExitError", "Sandbox.Timedout"}

// requestUnavailable is the errorType request-signature returns for a
// transient failure (lambdas/internal/fault).
const requestUnavailable = "SignatureServiceUnavailable"

// jitteredRetry retries errors up to attempts times, the waits doubling from
// interval, each drawn at random below its bound (FULL jitter) so that runs
// failing together do not retry together.
func jitteredRetry(errors []string, interval time.Duration, attempts int) *sfn.RetryProps {
	return &sfn.RetryProps{
		Errors:         jsii.Strings(errors...),
		Interval:       awscdk.Duration_Seconds(jsii.Number(interval.Seconds())),
		MaxAttempts:    jsii.Number(attempts),
		BackoffRate:    jsii.Number(2),
		JitterStrategy: sfn.JitterType_FULL,
	}
}

// requestRetryInterval is the first wait before request-signature is retried.
const requestRetryInterval = time.Second

// requestRetry retries request-signature's SignatureServiceUnavailable for at
// least window (see requestAttempts). A live claim of a completion blocks the
// new token until its lease ends, so the retries must outlast a lease taken
// just before the first refusal. No jitter: with it the waits could add up to
// less than the window.
func requestRetry(window time.Duration) *sfn.RetryProps {
	return &sfn.RetryProps{
		Errors:         jsii.Strings(requestUnavailable),
		Interval:       awscdk.Duration_Seconds(jsii.Number(requestRetryInterval.Seconds())),
		MaxAttempts:    jsii.Number(requestAttempts(window)),
		BackoffRate:    jsii.Number(2),
		JitterStrategy: sfn.JitterType_NONE,
	}
}

// requestAttempts is the fewest retries (at least one) whose waits, doubling
// from requestRetryInterval, add up to window or more.
func requestAttempts(window time.Duration) int {
	attempts, total := 1, requestRetryInterval
	for wait := 2 * requestRetryInterval; total < window; wait *= 2 {
		attempts, total = attempts+1, total+wait
	}
	return attempts
}

// collectSignatures is the whole definition: a Parallel state with one branch
// per signer whose result is {"documentId", "signatures": [one per branch]}.
func collectSignatures(scope constructs.Construct, props *WorkflowProps) sfn.IChainable {
	parallel := sfn.NewParallel(scope, jsii.String(parallelState), &sfn.ParallelProps{
		Comment: jsii.String("One branch per signer; signatures are listed in signer order."),
		// Branches see only the document, not whatever else the run was started with.
		Parameters: &map[string]interface{}{"documentId": sfn.JsonPath_StringAt(jsii.String("$.documentId"))},
		// Every branch's output carries the documentId (contract), so the first one names it.
		ResultSelector: &map[string]interface{}{
			"documentId": sfn.JsonPath_StringAt(jsii.String("$[0].documentId")),
			"signatures": sfn.JsonPath_StringAt(jsii.String("$")),
		},
	})
	for _, s := range props.Signers {
		var task tasks.LambdaInvoke
		if s.Mode == Auto {
			task = autoSign(scope, s.Name, props)
		} else {
			task = awaitCallback(scope, s.Name, props)
			// request-signature's own transient answer (a DynamoDB error, or a
			// completion of the previous token still in progress): retrying stores
			// the new token, so one hiccup does not burn the document id.
			task.AddRetry(requestRetry(props.ClaimLease + props.RequestTimeout))
		}
		task.AddRetry(jitteredRetry(lambdaServiceErrors, 2*time.Second, 6))
		task.AddRetry(jitteredRetry(crashErrors, time.Second, 2))
		parallel.Branch(task)
	}
	return parallel
}

// autoSign invokes sign-document and keeps only its output fields, so no
// invocation metadata (headers, status code) reaches the run's output.
func autoSign(scope constructs.Construct, signer string, props *WorkflowProps) tasks.LambdaInvoke {
	return tasks.NewLambdaInvoke(scope, jsii.String(AutoStateName(signer)), &tasks.LambdaInvokeProps{
		LambdaFunction: props.SignDocument,
		Payload: sfn.TaskInput_FromObject(&map[string]interface{}{
			"documentId": sfn.JsonPath_StringAt(jsii.String("$.documentId")),
			"signer":     signer,
		}),
		ResultSelector: &map[string]interface{}{
			"documentId": sfn.JsonPath_StringAt(jsii.String("$.Payload.documentId")),
			"signer":     sfn.JsonPath_StringAt(jsii.String("$.Payload.signer")),
			"signature":  sfn.JsonPath_StringAt(jsii.String("$.Payload.signature")),
			"signedAt":   sfn.JsonPath_StringAt(jsii.String("$.Payload.signedAt")),
		},
		RetryOnServiceExceptions: jsii.Bool(false),
	})
}

// awaitCallback invokes request-signature with the task token and waits; the
// task's result is what complete-signature sends with SendTaskSuccess.
func awaitCallback(scope constructs.Construct, signer string, props *WorkflowProps) tasks.LambdaInvoke {
	return tasks.NewLambdaInvoke(scope, jsii.String(CallbackStateName(signer)), &tasks.LambdaInvokeProps{
		LambdaFunction:     props.RequestSignature,
		IntegrationPattern: sfn.IntegrationPattern_WAIT_FOR_TASK_TOKEN,
		Payload: sfn.TaskInput_FromObject(&map[string]interface{}{
			"taskToken":      sfn.JsonPath_TaskToken(),
			"documentId":     sfn.JsonPath_StringAt(jsii.String("$.documentId")),
			"signer":         signer,
			"executionArn":   sfn.JsonPath_ExecutionId(),
			"startedAt":      sfn.JsonPath_ExecutionStartTime(),
			"timeoutSeconds": props.Timeout.Seconds(),
		}),
		RetryOnServiceExceptions: jsii.Bool(false),
	})
}
