package signingworkflow

import (
	"time"

	"github.com/aws/aws-cdk-go/awscdk/v2"
	sfn "github.com/aws/aws-cdk-go/awscdk/v2/awsstepfunctions"
	"github.com/aws/jsii-runtime-go"
	"github.com/hitl-go/docsign/internal/contract"
)

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

// crashErrors are the task errors of an invocation that died: its process
// exited or was killed (Runtime.ExitError), ran out of memory
// (Runtime.OutOfMemory) or ran past the function's timeout
// (Sandbox.Timedout). Step Functions names a function error after the
// payload's errorType, and Lambda.Unknown when the payload has none: AWS's
// Step Functions best practice ("Handle Lambda service exceptions") reports
// out-of-memory errors and function timeouts that way. Both functions are
// idempotent — pin-document only reads, sign-document replaces its own
// run's signature, and request-signature replaces its own run's PENDING
// token — so the task runs again rather than failing the document's only run. Handled errors (the functions' own errorTypes)
// never carry these names.
var crashErrors = []string{"Lambda.Unknown", "Runtime.ExitError", "Runtime.OutOfMemory", "Sandbox.Timedout"}

// retrier is one Retry entry: up to attempts retries of errors, the waits
// doubling from interval. With jitter (FULL) each wait is drawn at random
// below its bound, so that runs failing together do not retry together.
type retrier struct {
	errors   []string
	interval time.Duration
	attempts int
	jitter   bool
}

func (r retrier) props() *sfn.RetryProps {
	jitter := sfn.JitterType_NONE
	if r.jitter {
		jitter = sfn.JitterType_FULL
	}
	return &sfn.RetryProps{
		Errors:         jsii.Strings(r.errors...),
		Interval:       awscdk.Duration_Seconds(jsii.Number(r.interval.Seconds())),
		MaxAttempts:    jsii.Number(r.attempts),
		BackoffRate:    jsii.Number(2),
		JitterStrategy: jitter,
	}
}

// retriers are the Retry entries of a signer's task, in order (their errors
// are disjoint). Every task retries its function's own transient answer,
// SignatureServiceUnavailable (S3, KMS or DynamoDB failed): for a callback
// task also a completion of the previous token still in progress, so its
// retries outlast a claim's lease; retrying stores the new token, so one
// hiccup does not burn the document id. The pin task retries as an auto
// signer's does.
func retriers(mode Mode, props *WorkflowProps) []retrier {
	rs := []retrier{{errors: []string{contract.ErrorSignatureServiceUnavailable}, interval: time.Second, attempts: 3, jitter: true}}
	if mode == Callback {
		rs = []retrier{requestRetrier(props.ClaimLease + props.RequestTimeout)}
	}
	return append(rs,
		retrier{errors: lambdaServiceErrors, interval: 2 * time.Second, attempts: 6, jitter: true},
		retrier{errors: crashErrors, interval: time.Second, attempts: 2, jitter: true})
}

// requestRetryInterval is the first wait before request-signature is retried.
const requestRetryInterval = time.Second

// requestRetrier retries request-signature's SignatureServiceUnavailable for
// at least window (see requestAttempts). A live claim of a completion blocks
// the new token until its lease ends, so the retries must outlast a lease
// taken just before the first refusal. No jitter: with it the waits could
// add up to less than the window.
func requestRetrier(window time.Duration) retrier {
	return retrier{errors: []string{contract.ErrorSignatureServiceUnavailable}, interval: requestRetryInterval, attempts: requestAttempts(window)}
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
