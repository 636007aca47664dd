// Package signingworkflow defines the document-signing state machine: a
// Standard workflow whose Parallel state has one branch per signer — auto
// signers sign through a Lambda at once, callback signers wait on a task token
// that a completion Lambda later returns.
package signingworkflow

import (
	"cmp"
	"fmt"
	"time"

	"github.com/aws/aws-cdk-go/awscdk/v2"
	"github.com/aws/aws-cdk-go/awscdk/v2/awsiam"
	"github.com/aws/aws-cdk-go/awscdk/v2/awslambda"
	"github.com/aws/aws-cdk-go/awscdk/v2/awslogs"
	sfn "github.com/aws/aws-cdk-go/awscdk/v2/awsstepfunctions"
	"github.com/aws/constructs-go/constructs/v10"
	"github.com/aws/jsii-runtime-go"
)

// WorkflowProps configures a Workflow.
type WorkflowProps struct {
	// Signers, one Parallel branch each, in order. Required; see ValidateSigners.
	Signers []Signer
	// Timeout of a whole run (the state machine's TimeoutSeconds); whole
	// seconds, 1s to MaxTimeout. Passed to request-signature as the deadline.
	Timeout time.Duration
	// PinDocument pins the run's document. Required.
	PinDocument awslambda.IFunction
	// SignDocument signs for auto signers. Required when any signer is auto.
	SignDocument awslambda.IFunction
	// RequestSignature stores a callback signer's task token. Required when
	// any signer is callback.
	RequestSignature awslambda.IFunction
	// ClaimLease is how long a completion's claim holds a request
	// (complete-signature's lease): while one lives, request-signature refuses
	// to replace the request's token with SignatureServiceUnavailable, and the
	// task retries that for longer than the lease plus RequestTimeout.
	ClaimLease time.Duration
	// RequestTimeout is request-signature's function timeout.
	RequestTimeout time.Duration
	// LogRetention of the state machine's log group; default one month.
	LogRetention awslogs.RetentionDays
	// RemovalPolicy of the state machine's log group; default destroy.
	RemovalPolicy awscdk.RemovalPolicy
}

// Workflow is the signing state machine and its log group.
type Workflow struct {
	constructs.Construct
	// StateMachine runs one execution per document.
	StateMachine sfn.StateMachine
	// LogGroup receives ERROR-level logs without execution data, so task
	// tokens never reach it.
	LogGroup awslogs.LogGroup
}

// NewWorkflow defines the state machine. Like CDK constructs given invalid
// props, it panics (with an *InvalidPropError) on bad signers or timeout.
func NewWorkflow(scope constructs.Construct, id *string, props *WorkflowProps) *Workflow {
	mustValidate(props)
	this := constructs.NewConstruct(scope, id)

	logGroup := awslogs.NewLogGroup(this, jsii.String("Logs"), &awslogs.LogGroupProps{
		LogGroupName:  vendedLogGroupName(this),
		Retention:     cmp.Or(props.LogRetention, awslogs.RetentionDays_ONE_MONTH),
		RemovalPolicy: cmp.Or(props.RemovalPolicy, awscdk.RemovalPolicy_DESTROY),
	})
	sm := sfn.NewStateMachine(this, jsii.String("StateMachine"), &sfn.StateMachineProps{
		Comment:          jsii.String("Collects one signature per signer; callback signers resume the run with complete-signature."),
		DefinitionBody:   sfn.DefinitionBody_FromChainable(definition(this, props)),
		StateMachineType: sfn.StateMachineType_STANDARD,
		Timeout:          awscdk.Duration_Seconds(jsii.Number(props.Timeout.Seconds())),
		TracingEnabled:   jsii.Bool(true),
		Logs: &sfn.LogOptions{
			Destination:          logGroup,
			Level:                sfn.LogLevel_ERROR,
			IncludeExecutionData: jsii.Bool(false),
		},
	})
	return &Workflow{Construct: this, StateMachine: sm, LogGroup: logGroup}
}

// vendedLogGroupName names the state machine's log group under
// /aws/vendedlogs/states/. Step Functions delivers logs as vended logs, and
// for a log group outside that prefix CloudWatch Logs must add it to its
// resource policy, whose 5,120 characters an account can run out of
// (CreateStateMachine then fails with InvalidLoggingConfiguration). The name
// is the construct's unique path id and the stack's GUID (from AWS::StackId):
// unique per workflow and per stack, and a new one for each deployment after
// a destroy that retained the old group.
func vendedLogGroupName(scope constructs.Construct) *string {
	stackGUID := awscdk.Fn_Select(jsii.Number(2), awscdk.Fn_Split(jsii.String("/"), awscdk.Aws_STACK_ID(), nil))
	return awscdk.Fn_Join(jsii.String(""), &[]*string{
		jsii.String("/aws/vendedlogs/states/"), awscdk.Names_UniqueId(scope), jsii.String("-"), stackGUID,
	})
}

// GrantTaskResponse lets grantee resume waiting runs of this state machine:
// states:SendTaskSuccess and states:SendTaskFailure (no heartbeat).
func (w *Workflow) GrantTaskResponse(grantee awsiam.IGrantable) awsiam.Grant {
	return w.StateMachine.Grant(grantee, jsii.String("states:SendTaskSuccess"), jsii.String("states:SendTaskFailure"))
}

// GrantExecutionRead lets grantee read this state machine's executions
// (states:DescribeExecution, states:GetExecutionHistory), to settle a send
// whose outcome it did not see.
func (w *Workflow) GrantExecutionRead(grantee awsiam.IGrantable) awsiam.Grant {
	return w.grantExecutions(grantee, "states:DescribeExecution", "states:GetExecutionHistory")
}

// GrantExecutionDescribe lets grantee describe this state machine's
// executions (states:DescribeExecution): their status and output.
func (w *Workflow) GrantExecutionDescribe(grantee awsiam.IGrantable) awsiam.Grant {
	return w.grantExecutions(grantee, "states:DescribeExecution")
}

// GrantStart lets grantee start runs (states:StartExecution).
func (w *Workflow) GrantStart(grantee awsiam.IGrantable) awsiam.Grant {
	return w.StateMachine.GrantStartExecution(grantee)
}

func (w *Workflow) grantExecutions(grantee awsiam.IGrantable, actions ...string) awsiam.Grant {
	executions := awscdk.Stack_Of(w.StateMachine).FormatArn(&awscdk.ArnComponents{
		Service:      jsii.String("states"),
		Resource:     jsii.String("execution"),
		ResourceName: jsii.String(*w.StateMachine.StateMachineName() + ":*"),
		ArnFormat:    awscdk.ArnFormat_COLON_RESOURCE_NAME,
	})
	return awsiam.Grant_AddToPrincipal(&awsiam.GrantOnPrincipalOptions{
		Grantee:      grantee,
		Actions:      jsii.Strings(actions...),
		ResourceArns: jsii.Strings(*executions),
	})
}

func mustValidate(props *WorkflowProps) {
	err := ValidateSigners(props.Signers)
	if err == nil {
		err = ValidateTimeout(props.Timeout)
	}
	if err == nil && props.PinDocument == nil {
		err = &InvalidPropError{Prop: "PinDocument", Reason: "required: every run pins its document first"}
	}
	for _, s := range props.Signers {
		if err == nil && s.Mode == Auto && props.SignDocument == nil {
			err = &InvalidPropError{Prop: "SignDocument", Reason: fmt.Sprintf("required by auto signer %q", s.Name)}
		}
		if err == nil && s.Mode == Callback && props.RequestSignature == nil {
			err = &InvalidPropError{Prop: "RequestSignature", Reason: fmt.Sprintf("required by callback signer %q", s.Name)}
		}
		if err == nil && s.Mode == Callback && (props.ClaimLease <= 0 || props.RequestTimeout <= 0) {
			err = &InvalidPropError{Prop: "ClaimLease", Reason: fmt.Sprintf(
				"ClaimLease and RequestTimeout must be positive for callback signer %q (got %v and %v)",
				s.Name, props.ClaimLease, props.RequestTimeout)}
		}
	}
	if err != nil {
		panic(err)
	}
}
