package signingworkflow

import (
	sfn "github.com/aws/aws-cdk-go/awscdk/v2/awsstepfunctions"
	tasks "github.com/aws/aws-cdk-go/awscdk/v2/awsstepfunctionstasks"
	"github.com/aws/constructs-go/constructs/v10"
	"github.com/aws/jsii-runtime-go"
	"github.com/hitl-go/docsign/internal/contract"
)

// collectSignatures is the whole definition: a Parallel state with one branch
// per signer whose result is {"documentId", "signatures": [one per branch]}.
func collectSignatures(scope constructs.Construct, props *WorkflowProps) sfn.IChainable {
	parallel := sfn.NewParallel(scope, jsii.String(contract.ParallelStateName), &sfn.ParallelProps{
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
		}
		for _, r := range retriers(s.Mode, props) {
			task.AddRetry(r.props())
		}
		parallel.Branch(task)
	}
	return parallel
}

// autoSign invokes sign-document and keeps only its output fields, so no
// invocation metadata (headers, status code) reaches the run's output.
func autoSign(scope constructs.Construct, signer string, props *WorkflowProps) tasks.LambdaInvoke {
	return tasks.NewLambdaInvoke(scope, jsii.String(contract.AutoStateName(signer)), &tasks.LambdaInvokeProps{
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
	return tasks.NewLambdaInvoke(scope, jsii.String(contract.CallbackStateName(signer)), &tasks.LambdaInvokeProps{
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
