// Command cdk is the CDK app of the document-signing workflow. It reads the
// CDK context — timeout, signers, removalPolicy — and synthesizes
// DocumentSigningStack: the signing state machine, its Go Lambdas, the
// signature-request table, the document bucket, the signing key, the
// signers' notification topic and the HTTP API of signing links and documents.
package main

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"strconv"
	"time"

	"github.com/aws/aws-cdk-go/awscdk/v2"
	"github.com/aws/aws-cdk-go/awscdk/v2/awslogs"
	"github.com/aws/constructs-go/constructs/v10"
	"github.com/aws/jsii-runtime-go"

	"github.com/hitl-go/docsign/constructs/documentstore"
	"github.com/hitl-go/docsign/constructs/gofunction"
	"github.com/hitl-go/docsign/constructs/guard"
	"github.com/hitl-go/docsign/constructs/notifications"
	"github.com/hitl-go/docsign/constructs/signingapi"
	"github.com/hitl-go/docsign/constructs/signingkey"
	"github.com/hitl-go/docsign/constructs/signingworkflow"
	"github.com/hitl-go/docsign/constructs/tokentable"
	"github.com/hitl-go/docsign/internal/contract"
)

// Context keys (defaults in cdk.json and below).
const (
	contextTimeout       = "timeout"
	contextSigners       = "signers"
	contextRemovalPolicy = "removalPolicy"
)

const defaultTimeout = 168 * time.Hour

// functionTimeout bounds every invocation; a completion claim lasts three
// times longer, so it outlives any invocation that holds it.
const (
	functionTimeout = 10 * time.Second
	claimLease      = 3 * functionTimeout
)

// logRetention keeps every log group a year, as AWS Control Tower control
// CT.CLOUDWATCH.PR.2 asks: the logs are small (ERROR level for the state
// machine, a few lines per invocation), so a year costs little.
const logRetention = awslogs.RetentionDays_ONE_YEAR

// Why the AWS Control Tower proactive controls that do not fit this app are
// suppressed (guard_test.go runs them all; every other one passes as
// synthesized).
const (
	// CT.LAMBDA.PR.3 (Lambda in a customer-managed VPC).
	noVPCReason = "The functions reach only public AWS APIs (DynamoDB, Step Functions, S3, KMS, SNS, Lambda) and no private " +
		"resource; a VPC would add NAT or interface endpoints without narrowing what IAM already scopes."
	// CT.CLOUDWATCH.PR.3 (log group encrypted with a customer-managed KMS key).
	logKeyReason = "CloudWatch Logs encrypts log data at rest already; a customer-managed KMS key would add " +
		"a key and its policy for logs.amazonaws.com while these logs hold no secret: the functions never " +
		"log task tokens and the state machine logs at ERROR level without execution data."
	// CT.S3.PR.2 (bucket server access logging).
	bucketLoggingReason = "Access logs need a second bucket that would itself fail this control; who uploads and " +
		"reads documents is in CloudTrail, and what was signed is pinned by version id and SHA-256 in every signature."
	// CT.S3.PR.4 (bucket event notifications).
	bucketEventsReason = "Nothing reacts to uploads: a run starts explicitly and pins the version it signs."
	// CT.S3.PR.9 (S3 Object Lock).
	bucketObjectLockReason = "Integrity comes from versioning and the signatures: each run pins a version id and its " +
		"SHA-256, and a changed or deleted version is refused with DocumentChanged; Object Lock would keep test " +
		"documents past make destroy."
)

// The table item actions each function's code makes (internal/tokenstore):
// request-signature and sign-document write with a conditional PutItem (a
// refused put returns the existing item with it on AWS, so they need no
// read); complete-signature reads the request, then claims and finishes it
// with conditional UpdateItems.
var (
	putTableActions      = []string{"dynamodb:PutItem"}
	completeTableActions = []string{"dynamodb:GetItem", "dynamodb:UpdateItem"}
	readTableActions     = []string{"dynamodb:GetItem"} // the signing page shows the request
	listTableActions     = []string{"dynamodb:Query"}   // the documents API lists a document's requests
)

// recipients are the callback signers with an email address.
func recipients(signers []signingworkflow.Signer) []notifications.Recipient {
	var out []notifications.Recipient
	for _, s := range signers {
		if s.Email != "" {
			out = append(out, notifications.Recipient{Name: s.Name, Email: s.Email})
		}
	}
	return out
}

// Config is what the context configures.
type Config struct {
	// Timeout of a whole run; whole seconds.
	Timeout time.Duration
	// Signers, one Parallel branch each, in order.
	Signers []signingworkflow.Signer
	// RemovalPolicy of the table, the document bucket, the signing key and the log groups.
	RemovalPolicy awscdk.RemovalPolicy
}

// DocumentSigningStackProps configures DocumentSigningStack.
type DocumentSigningStackProps struct {
	awscdk.StackProps
	Config
}

// NewDocumentSigningStack defines the signing workflow, its Lambdas and the
// signature-request table, granting each function only what it uses.
func NewDocumentSigningStack(scope constructs.Construct, id string, props *DocumentSigningStackProps) awscdk.Stack {
	stack := awscdk.NewStack(scope, &id, &props.StackProps)
	table := tokentable.NewTable(stack, jsii.String("SignatureRequests"), &tokentable.TableProps{
		RemovalPolicy: props.RemovalPolicy,
	})
	tableName := *table.Table.TableName()
	store := documentstore.NewStore(stack, jsii.String("Documents"), &documentstore.StoreProps{RemovalPolicy: props.RemovalPolicy})
	key := signingkey.NewKey(stack, jsii.String("SigningKey"), &signingkey.KeyProps{RemovalPolicy: props.RemovalPolicy})
	keyARN := *key.Key.KeyArn()

	pin := newFunction(stack, "PinDocument", "./lambdas/pindocument", props.RemovalPolicy,
		"Pins the run's document: its current version and SHA-256.",
		map[string]string{contract.EnvDocumentBucket: *store.Bucket.BucketName()})
	sign := newFunction(stack, "SignDocument", "./lambdas/signdocument", props.RemovalPolicy,
		"Signs the pinned document at once for an auto signer, with the stack's KMS key.",
		map[string]string{contract.EnvTableName: tableName, contract.EnvSigningKeyARN: keyARN})
	request := newFunction(stack, "RequestSignature", "./lambdas/requestsignature", props.RemovalPolicy,
		"Stores a callback signer's task token while the run waits.",
		map[string]string{contract.EnvTableName: tableName})
	complete := newFunction(stack, "CompleteSignature", "./lambdas/completesignature", props.RemovalPolicy,
		"Completes a pending signature request: resumes the run with the signature or a decline.",
		map[string]string{
			contract.EnvTableName:         tableName,
			contract.EnvCallbackSigners:   signingworkflow.CallbackNames(props.Signers),
			contract.EnvClaimLeaseSeconds: strconv.Itoa(int(claimLease.Seconds())),
			contract.EnvSigningKeyARN:     keyARN,
		})

	workflowProps := &signingworkflow.WorkflowProps{
		Signers:          props.Signers,
		Timeout:          props.Timeout,
		PinDocument:      pin.Lambda,
		SignDocument:     sign.Lambda,
		RequestSignature: request.Lambda,
		ClaimLease:       claimLease,
		RequestTimeout:   functionTimeout,
		LogRetention:     logRetention,
		RemovalPolicy:    props.RemovalPolicy,
	}
	workflow := signingworkflow.NewWorkflow(stack, jsii.String("Workflow"), workflowProps)

	// The signing page is public: it reads the request and passes answers
	// on to complete-signature, which checks the link's code; it cannot sign.
	page := newFunction(stack, "SignPage", "./lambdas/signpage", props.RemovalPolicy,
		"Serves the signing page of one-time links, and passes the signer's answer on to complete-signature.",
		map[string]string{
			contract.EnvTableName:        tableName,
			contract.EnvCallbackSigners:  signingworkflow.CallbackNames(props.Signers),
			contract.EnvCompleteFunction: *complete.Lambda.FunctionName(),
		})
	documents := newFunction(stack, "DocumentsApi", "./lambdas/documentsapi", props.RemovalPolicy,
		"Stores a document and starts its run; reports a run's signatures. IAM-authorised routes.",
		map[string]string{
			contract.EnvDocumentBucket:  *store.Bucket.BucketName(),
			contract.EnvStateMachineARN: *workflow.StateMachine.StateMachineArn(),
			contract.EnvTableName:       tableName,
		})
	api := signingapi.NewAPI(stack, jsii.String("SigningApi"), &signingapi.APIProps{
		SignPage:      page.Lambda,
		Documents:     documents.Lambda,
		LogRetention:  logRetention,
		RemovalPolicy: props.RemovalPolicy,
	})
	notes := notifications.NewNotifications(stack, jsii.String("Notifications"), &notifications.NotificationsProps{
		Recipients: recipients(props.Signers),
	})
	request.Lambda.AddEnvironment(jsii.String(contract.EnvNotificationTopic), notes.Topic.TopicArn(), nil)
	request.Lambda.AddEnvironment(jsii.String(contract.EnvAPIURL), api.URL, nil)

	// Least privilege: the item operations each function makes, nothing more.
	table.Table.Grant(request.Lambda, *jsii.Strings(putTableActions...)...)
	table.Table.Grant(sign.Lambda, *jsii.Strings(putTableActions...)...)
	table.Table.Grant(complete.Lambda, *jsii.Strings(completeTableActions...)...)
	workflow.GrantTaskResponse(complete.Lambda)
	workflow.GrantExecutionRead(complete.Lambda)
	table.Table.Grant(page.Lambda, *jsii.Strings(readTableActions...)...)
	complete.Lambda.GrantInvoke(page.Lambda)
	store.GrantPin(pin.Lambda)
	store.GrantReadVersion(sign.Lambda)
	store.GrantReadVersion(complete.Lambda)
	store.GrantReadVersionUnlisted(page.Lambda) // who uploaded the pinned version, a hint the page can do without
	key.GrantSign(sign.Role, complete.Role)
	notes.GrantPublish(request.Lambda)
	store.GrantUpload(documents.Lambda)
	store.GrantPin(documents.Lambda) // a second post of an id compares its bytes with the stored ones
	workflow.GrantStart(documents.Lambda)
	workflow.GrantExecutionDescribe(documents.Lambda)
	table.Table.Grant(documents.Lambda, *jsii.Strings(listTableActions...)...)
	suppressControls(workflow, pin, sign, request, complete, page, documents)
	guard.Suppress(api.LogGroup, guard.LogGroupEncrypted, logKeyReason)
	guard.Suppress(store.Bucket, guard.BucketLogging, bucketLoggingReason)
	guard.Suppress(store.Bucket, guard.BucketEventNotifications, bucketEventsReason)
	guard.Suppress(store.Bucket, guard.BucketObjectLock, bucketObjectLockReason)

	output(stack, contract.OutputStateMachineARN, workflow.StateMachine.StateMachineArn(), "Start one execution per document, named after it.")
	output(stack, contract.OutputStateMachineName, workflow.StateMachine.StateMachineName(), "The signing state machine.")
	output(stack, contract.OutputTableName, table.Table.TableName(), "Signature requests (documentId, signer).")
	output(stack, contract.OutputSignDocumentFunctionName, sign.Lambda.FunctionName(), "Signs for auto signers.")
	output(stack, contract.OutputRequestSignatureFunctionName, request.Lambda.FunctionName(), "Stores callback signers' task tokens.")
	output(stack, contract.OutputCompleteSignatureFunctionName, complete.Lambda.FunctionName(), `Invoke with {"documentId":"3"} to sign, or add "decision":"decline","reason":"..." to decline.`)
	output(stack, contract.OutputPinDocumentFunctionName, pin.Lambda.FunctionName(), "Pins a run's document.")
	output(stack, contract.OutputDocumentBucketName, store.Bucket.BucketName(), "Upload the document to sign as documents/<documentId>.")
	output(stack, contract.OutputSigningKeyARN, key.Key.KeyArn(), "Signs statements; its public key (kms get-public-key) checks them offline.")
	output(stack, contract.OutputAPIURL, api.URL, "Signing links open <ApiUrl>sign/<documentId>/<signer>; POST <ApiUrl>documents/<documentId> (SigV4) stores and starts.")
	output(stack, contract.OutputNotificationTopicARN, notes.Topic.TopicArn(), "Signing requests, one message per signer (attributes documentId, signer).")
	output(stack, contract.OutputSignPageFunctionName, page.Lambda.FunctionName(), "Serves the signing page.")
	output(stack, contract.OutputDocumentsAPIFunctionName, documents.Lambda.FunctionName(), "Serves the documents routes.")
	return stack
}

// newFunction defines the Go Lambda built from pkg (module-relative), with the
// stack's function timeout; removal applies to its log group.
func newFunction(scope constructs.Construct, id, pkg string, removal awscdk.RemovalPolicy,
	description string, env map[string]string) *gofunction.Function {
	return gofunction.NewFunction(scope, jsii.String(id), &gofunction.FunctionProps{
		Package:       pkg,
		Description:   jsii.String(description),
		Environment:   env,
		Timeout:       awscdk.Duration_Seconds(jsii.Number(functionTimeout.Seconds())),
		LogRetention:  logRetention,
		RemovalPolicy: removal,
	})
}

// suppressControls records in the resources' guard Metadata the Control Tower
// controls that do not fit them, with the reasons above.
func suppressControls(workflow *signingworkflow.Workflow, fns ...*gofunction.Function) {
	for _, fn := range fns {
		guard.Suppress(fn.Lambda, guard.LambdaInsideVPC, noVPCReason)
		guard.Suppress(fn.LogGroup, guard.LogGroupEncrypted, logKeyReason)
	}
	guard.Suppress(workflow.LogGroup, guard.LogGroupEncrypted, logKeyReason)
}

func output(scope constructs.Construct, id string, value *string, description string) {
	awscdk.NewCfnOutput(scope, jsii.String(id), &awscdk.CfnOutputProps{
		Value:       value,
		Description: jsii.String(description),
	})
}

func main() {
	if err := run(); err != nil {
		fmt.Fprintln(os.Stderr, "error:", err)
		os.Exit(1)
	}
}

func run() error {
	defer jsii.Close()
	app := awscdk.NewApp(nil)
	if _, err := defineStack(app); err != nil {
		return err
	}
	app.Synth(nil)
	return nil
}

// defineStack reads the app's context and defines DocumentSigningStack in it.
func defineStack(app awscdk.App) (stack awscdk.Stack, err error) {
	// Constructs panic on props they cannot build from; report those as errors.
	defer func() {
		if r := recover(); r != nil {
			if err = synthError(r); err == nil {
				panic(r)
			}
		}
	}()
	cfg, err := configFromContext(app.Node())
	if err != nil {
		return nil, err
	}
	return NewDocumentSigningStack(app, contract.StackName, &DocumentSigningStackProps{
		StackProps: awscdk.StackProps{
			Description: jsii.String("Document signing: a Step Functions workflow with one branch per signer, Go Lambdas and a DynamoDB table of task tokens."),
		},
		Config: cfg,
	}), nil
}

// synthError returns the recovered value as an error when it is one the
// constructs raise for bad input, or nil.
func synthError(r any) error {
	err, ok := r.(error)
	if !ok {
		return nil
	}
	var build *gofunction.BuildError
	var prop *signingworkflow.InvalidPropError
	if errors.As(err, &build) || errors.As(err, &prop) {
		return err
	}
	return nil
}

// ContextError reports a context value the app cannot use.
type ContextError struct {
	Key   string
	Value string
	Err   error
}

func (e *ContextError) Error() string {
	reason := e.Err.Error()
	// "context timeout=…: 1.5s is …" reads better than repeating "timeout: ".
	if prop := (*signingworkflow.InvalidPropError)(nil); errors.As(e.Err, &prop) && prop.Prop == e.Key {
		reason = prop.Reason
	}
	return fmt.Sprintf("context %s=%s: %s", e.Key, e.Value, reason)
}

func (e *ContextError) Unwrap() error { return e.Err }

// configFromContext reads and validates the app's context.
func configFromContext(node constructs.Node) (Config, error) {
	var cfg Config
	var err error
	get := func(key string) any { return node.TryGetContext(jsii.String(key)) }
	if cfg.Timeout, err = parseTimeout(get(contextTimeout)); err != nil {
		return Config{}, err
	}
	if cfg.Signers, err = parseSigners(get(contextSigners)); err != nil {
		return Config{}, err
	}
	if cfg.RemovalPolicy, err = parseRemovalPolicy(get(contextRemovalPolicy)); err != nil {
		return Config{}, err
	}
	return cfg, nil
}

// parseTimeout reads a Go duration string such as "90s" or "168h": whole
// seconds, at least 1s. nil means the default.
func parseTimeout(v any) (time.Duration, error) {
	if v == nil {
		return defaultTimeout, nil
	}
	s, ok := v.(string)
	if !ok {
		return 0, contextError(contextTimeout, v, errors.New(`want a Go duration string such as "90s" or "168h"`))
	}
	d, err := time.ParseDuration(s)
	if err != nil {
		return 0, contextError(contextTimeout, v, fmt.Errorf(`want a Go duration such as "90s" or "168h": %w`, err))
	}
	if err := signingworkflow.ValidateTimeout(d); err != nil {
		return 0, contextError(contextTimeout, v, err)
	}
	return d, nil
}

// parseSigners reads the signers list: JSON text when given with -c, already
// decoded JSON when it comes from cdk.json. nil means the default.
func parseSigners(v any) ([]signingworkflow.Signer, error) {
	if v == nil {
		return signingworkflow.DefaultSigners(), nil
	}
	text, ok := v.(string)
	if !ok {
		b, err := json.Marshal(v)
		if err != nil {
			return nil, contextError(contextSigners, v, err)
		}
		text = string(b)
	}
	dec := json.NewDecoder(bytes.NewReader([]byte(text)))
	dec.DisallowUnknownFields()
	var signers []signingworkflow.Signer
	if err := dec.Decode(&signers); err != nil || dec.More() {
		if err == nil {
			err = errors.New("unexpected data after the list")
		}
		return nil, contextError(contextSigners, v, fmt.Errorf(
			`want a JSON list such as [{"name":"Alice","mode":"auto"},{"name":"Bob","mode":"callback"}]: %w`, err))
	}
	if err := signingworkflow.ValidateSigners(signers); err != nil {
		return nil, contextError(contextSigners, v, err)
	}
	return signers, nil
}

// parseRemovalPolicy reads "destroy" (the default) or "retain".
func parseRemovalPolicy(v any) (awscdk.RemovalPolicy, error) {
	switch v {
	case nil, "destroy":
		return awscdk.RemovalPolicy_DESTROY, nil
	case "retain":
		return awscdk.RemovalPolicy_RETAIN, nil
	}
	return "", contextError(contextRemovalPolicy, v, errors.New(`want "destroy" or "retain"`))
}

func contextError(key string, v any, err error) *ContextError {
	value, ok := v.(string)
	if !ok {
		b, _ := json.Marshal(v)
		value = string(b)
	}
	return &ContextError{Key: key, Value: strconv.Quote(value), Err: err}
}
