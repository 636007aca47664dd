package signingworkflow

import (
	sfn "github.com/aws/aws-cdk-go/awscdk/v2/awsstepfunctions"
	tasks "github.com/aws/aws-cdk-go/awscdk/v2/awsstepfunctionstasks"
	"github.com/aws/constructs-go/constructs/v10"
	"github.com/aws/jsii-runtime-go"
	"github.com/hitl-go/docsign/internal/contract"
)

// definition is the whole workflow: pin the document, then a Parallel
// state with one branch per signer. The run's output is
// {"documentId", "document": {pinned}, "signatures": [one envelope per branch]}.
func definition(scope constructs.Construct, props *WorkflowProps) sfn.IChainable {
	return pinDocument(scope, props).Next(collectSignatures(scope, props))
}

// pinDocument invokes pin-document with the run's documentId and name (which
// must match) and keeps only {"documentId","document"}: whatever else the
// run was started with goes no further. DocumentNotFound is not retried:
// the run fails with it at once.
func pinDocument(scope constructs.Construct, props *WorkflowProps) tasks.LambdaInvoke {
	task := tasks.NewLambdaInvoke(scope, jsii.String(contract.PinStateName), &tasks.LambdaInvokeProps{
		LambdaFunction: props.PinDocument,
		Payload: sfn.TaskInput_FromObject(&map[string]interface{}{
			"documentId":    sfn.JsonPath_StringAt(jsii.String("$.documentId")),
			"executionName": sfn.JsonPath_StringAt(jsii.String("$$.Execution.Name")),
		}),
		ResultSelector: &map[string]interface{}{
			"documentId": sfn.JsonPath_StringAt(jsii.String("$.Payload.documentId")),
			"document":   sfn.JsonPath_StringAt(jsii.String("$.Payload.document")),
		},
		RetryOnServiceExceptions: jsii.Bool(false),
	})
	for _, r := range retriers(Auto, props) {
		task.AddRetry(r.props())
	}
	return task
}

// collectSignatures is a Parallel state with one branch per signer, each
// given {"documentId","document"}; the envelopes, in signer order, join its
// input as "signatures".
func collectSignatures(scope constructs.Construct, props *WorkflowProps) sfn.IChainable {
	parallel := sfn.NewParallel(scope, jsii.String(contract.ParallelStateName), &sfn.ParallelProps{
		Comment:    jsii.String("One branch per signer; signatures are listed in signer order."),
		ResultPath: jsii.String("$.signatures"),
	})
	for _, s := range props.Signers {
		var task tasks.LambdaInvoke
		if s.Mode == Auto {
			task = autoSign(scope, s.Name, props)
		} else {
			task = awaitCallback(scope, s.Name, props)
		}
		for _, r := range retriers(s.Mode, props) {
			task.AddRetry(r.props())
		}
		parallel.Branch(task)
	}
	return parallel
}

// autoSign invokes sign-document and keeps only the envelope, so no
// invocation metadata (headers, status code) reaches the run's output.
func autoSign(scope constructs.Construct, signer string, props *WorkflowProps) tasks.LambdaInvoke {
	return tasks.NewLambdaInvoke(scope, jsii.String(contract.AutoStateName(signer)), &tasks.LambdaInvokeProps{
		LambdaFunction: props.SignDocument,
		Payload: sfn.TaskInput_FromObject(&map[string]interface{}{
			"documentId":   sfn.JsonPath_StringAt(jsii.String("$.documentId")),
			"document":     sfn.JsonPath_StringAt(jsii.String("$.document")),
			"signer":       signer,
			"executionArn": sfn.JsonPath_ExecutionId(),
		}),
		ResultSelector: &map[string]interface{}{
			"signer":    sfn.JsonPath_StringAt(jsii.String("$.Payload.signer")),
			"statement": sfn.JsonPath_StringAt(jsii.String("$.Payload.statement")),
			"jws":       sfn.JsonPath_StringAt(jsii.String("$.Payload.jws")),
		},
		RetryOnServiceExceptions: jsii.Bool(false),
	})
}

// awaitCallback invokes request-signature with the task token and waits; the
// task's result is the envelope complete-signature sends with SendTaskSuccess.
func awaitCallback(scope constructs.Construct, signer string, props *WorkflowProps) tasks.LambdaInvoke {
	return tasks.NewLambdaInvoke(scope, jsii.String(contract.CallbackStateName(signer)), &tasks.LambdaInvokeProps{
		LambdaFunction:     props.RequestSignature,
		IntegrationPattern: sfn.IntegrationPattern_WAIT_FOR_TASK_TOKEN,
		Payload: sfn.TaskInput_FromObject(&map[string]interface{}{
			"taskToken":      sfn.JsonPath_TaskToken(),
			"documentId":     sfn.JsonPath_StringAt(jsii.String("$.documentId")),
			"document":       sfn.JsonPath_StringAt(jsii.String("$.document")),
			"signer":         signer,
			"executionArn":   sfn.JsonPath_ExecutionId(),
			"startedAt":      sfn.JsonPath_ExecutionStartTime(),
			"timeoutSeconds": props.Timeout.Seconds(),
		}),
		RetryOnServiceExceptions: jsii.Bool(false),
	})
}
