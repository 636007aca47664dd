package main

import (
	"encoding/json"
	"reflect"
	"regexp"
	"strings"
	"testing"

	"github.com/aws/aws-cdk-go/awscdk/v2/assertions"
	"github.com/aws/jsii-runtime-go"

	"github.com/hitl-go/docsign/constructs/signingworkflow"
	"github.com/hitl-go/docsign/internal/contract"
)

// definition decodes the state machine's DefinitionString, standing in
// sample values for the tokens CloudFormation resolves at deploy time.
func (f *fixture) definition(t *testing.T) map[string]any {
	t.Helper()
	_, sm := f.only(t, "AWS::StepFunctions::StateMachine")
	join := sm["Properties"].(map[string]any)["DefinitionString"].(map[string]any)["Fn::Join"].([]any)
	var b strings.Builder
	for _, part := range join[1].([]any) {
		switch p := part.(type) {
		case string:
			b.WriteString(p)
		case map[string]any:
			b.WriteString(sampleValue(t, p))
		}
	}
	var def map[string]any
	if err := json.Unmarshal([]byte(b.String()), &def); err != nil {
		t.Fatalf("DefinitionString is not JSON: %v\n%s", err, b.String())
	}
	return def
}

func sampleValue(t *testing.T, token map[string]any) string {
	t.Helper()
	if token["Ref"] == "AWS::Partition" {
		return "aws"
	}
	if att, ok := token["Fn::GetAtt"].([]any); ok && len(att) == 2 && att[1] == "Arn" {
		return sampleFunctionARN(att[0].(string))
	}
	t.Fatalf("unexpected token in DefinitionString: %v", token)
	return ""
}

func sampleFunctionARN(logicalID string) string {
	return "arn:aws:lambda:us-east-1:000000000000:function:" + logicalID
}

func TestStateMachineDefinition(t *testing.T) {
	tests := []struct {
		fixture string
		signers []signingworkflow.Signer
		timeout float64
	}{
		{fixture: "default", signers: signingworkflow.DefaultSigners(), timeout: 90},
		{fixture: "three", timeout: 12, signers: append(signingworkflow.DefaultSigners(),
			signingworkflow.Signer{Name: "Carol", Mode: signingworkflow.Callback})},
	}
	for _, tt := range tests {
		t.Run(tt.fixture, func(t *testing.T) {
			f := synth(t, tt.fixture)
			fns := f.functions(t)
			def := f.definition(t)
			if got := def["TimeoutSeconds"]; got != tt.timeout {
				t.Errorf("TimeoutSeconds = %v, want %v", got, tt.timeout)
			}
			states := def["States"].(map[string]any)
			if def["StartAt"] != contract.PinStateName {
				t.Errorf("StartAt = %v, want %q", def["StartAt"], contract.PinStateName)
			}
			if got, want := states[contract.PinStateName], wantPin(fns); !reflect.DeepEqual(got, want) {
				t.Errorf("pin state:\n got %s\nwant %s", mustJSON(got), mustJSON(want))
			}
			parallel, _ := states[contract.ParallelStateName].(map[string]any)
			if len(states) != 2 || parallel["Type"] != "Parallel" || parallel["End"] != true {
				t.Fatalf("want the pin state, then one Parallel state that ends the run, got %v", states)
			}
			// The branches get the pinned document; the envelopes join it.
			if parallel["Parameters"] != nil || parallel["ResultSelector"] != nil || parallel["ResultPath"] != "$.signatures" {
				t.Errorf("Parallel Parameters %v, ResultSelector %v, ResultPath %v; want none, none, $.signatures",
					parallel["Parameters"], parallel["ResultSelector"], parallel["ResultPath"])
			}
			branches := parallel["Branches"].([]any)
			if len(branches) != len(tt.signers) {
				t.Fatalf("got %d branches, want %d (one per signer)", len(branches), len(tt.signers))
			}
			for i, s := range tt.signers {
				want := wantBranch(s, tt.timeout, fns)
				if got := branches[i]; !reflect.DeepEqual(got, want) {
					t.Errorf("branch %d:\n got %s\nwant %s", i, mustJSON(got), mustJSON(want))
				}
			}
		})
	}
}

// lambdaRetry are the retriers of every task: the Lambda service's
// transient errors, then a died invocation.
func lambdaRetry() []any {
	return []any{map[string]any{
		"ErrorEquals": []any{"Lambda.ServiceException", "Lambda.AWSLambdaException", "Lambda.SdkClientException",
			"Lambda.TooManyRequestsException", "Lambda.ClientExecutionTimeoutException"},
		"IntervalSeconds": 2.0, "MaxAttempts": 6.0, "BackoffRate": 2.0, "JitterStrategy": "FULL",
	}, map[string]any{
		"ErrorEquals":     []any{"Lambda.Unknown", "Runtime.ExitError", "Runtime.OutOfMemory", "Sandbox.Timedout"},
		"IntervalSeconds": 1.0, "MaxAttempts": 2.0, "BackoffRate": 2.0, "JitterStrategy": "FULL",
	}}
}

// unavailableRetry retries a function's own transient answer, a few times.
var unavailableRetry = map[string]any{
	"ErrorEquals":     []any{"SignatureServiceUnavailable"},
	"IntervalSeconds": 1.0, "MaxAttempts": 3.0, "BackoffRate": 2.0, "JitterStrategy": "FULL",
}

// wantPin is the first state: pin-document, keeping {documentId, document};
// DocumentNotFound is not retried.
func wantPin(fns map[string]string) map[string]any {
	return map[string]any{
		"Type": "Task", "Next": contract.ParallelStateName, "Resource": "arn:aws:states:::lambda:invoke",
		"Retry": append([]any{unavailableRetry}, lambdaRetry()...),
		"Parameters": map[string]any{
			"FunctionName": sampleFunctionARN(fns[pinPkg]),
			"Payload":      map[string]any{"documentId.$": "$.documentId", "executionName.$": "$$.Execution.Name"},
		},
		"ResultSelector": map[string]any{"documentId.$": "$.Payload.documentId", "document.$": "$.Payload.document"},
	}
}

// wantBranch is the one-state branch for signer s.
func wantBranch(s signingworkflow.Signer, timeout float64, fns map[string]string) map[string]any {
	retry := lambdaRetry()
	state := map[string]any{"Type": "Task", "End": true, "Retry": append([]any{unavailableRetry}, retry...)}
	name := contract.AutoStateName(s.Name)
	if s.Mode == signingworkflow.Auto {
		state["Resource"] = "arn:aws:states:::lambda:invoke"
		state["Parameters"] = map[string]any{
			"FunctionName": sampleFunctionARN(fns[signPkg]),
			"Payload": map[string]any{"documentId.$": "$.documentId", "document.$": "$.document", "signer": s.Name,
				"executionArn.$": "$$.Execution.Id"},
		}
		state["ResultSelector"] = map[string]any{
			"signer.$": "$.Payload.signer", "statement.$": "$.Payload.statement", "jws.$": "$.Payload.jws",
		}
	} else {
		name = contract.CallbackStateName(s.Name)
		state["Retry"] = append([]any{map[string]any{
			"ErrorEquals": []any{"SignatureServiceUnavailable"},
			// Waits of 1+2+…+32 s = 63 s outlast a 30 s claim lease plus a 10 s invocation.
			"IntervalSeconds": 1.0, "MaxAttempts": 6.0, "BackoffRate": 2.0, "JitterStrategy": "NONE",
		}}, retry...)
		state["Resource"] = "arn:aws:states:::lambda:invoke.waitForTaskToken"
		state["Parameters"] = map[string]any{
			"FunctionName": sampleFunctionARN(fns[requestPkg]),
			"Payload": map[string]any{
				"taskToken.$": "$$.Task.Token", "documentId.$": "$.documentId", "document.$": "$.document", "signer": s.Name,
				"executionArn.$": "$$.Execution.Id", "startedAt.$": "$$.Execution.StartTime",
				"timeoutSeconds": timeout,
			},
		}
	}
	return map[string]any{"StartAt": name, "States": map[string]any{name: state}}
}

func TestStateMachineResource(t *testing.T) {
	f := synth(t, "default")
	smID, _ := f.only(t, "AWS::StepFunctions::StateMachine")
	logGroup := f.resourceWith(t, "AWS::Logs::LogGroup", "Workflow/Logs")
	match(t, "state machine", func() {
		f.assert.HasResourceProperties(jsii.String("AWS::StepFunctions::StateMachine"), map[string]any{
			"StateMachineType": "STANDARD",
			"LoggingConfiguration": map[string]any{
				"Level":                "ERROR",
				"IncludeExecutionData": false,
				"Destinations": []any{map[string]any{"CloudWatchLogsLogGroup": map[string]any{
					"LogGroupArn": map[string]any{"Fn::GetAtt": []any{logGroup, "Arn"}},
				}}},
			},
			"TracingConfiguration": map[string]any{"Enabled": true},
		})
	})
	outputs := f.template["Outputs"].(map[string]any)
	fns := f.functions(t)
	tableID, _ := f.only(t, "AWS::DynamoDB::Table")
	for name, want := range map[string]any{
		"StateMachineArn":               map[string]any{"Ref": smID},
		"StateMachineName":              map[string]any{"Fn::GetAtt": []any{smID, "Name"}},
		"TableName":                     map[string]any{"Ref": tableID},
		"CompleteSignatureFunctionName": map[string]any{"Ref": fns[completePkg]},
		"RequestSignatureFunctionName":  map[string]any{"Ref": fns[requestPkg]},
		"SignDocumentFunctionName":      map[string]any{"Ref": fns[signPkg]},
	} {
		got, _ := outputs[name].(map[string]any)
		if !reflect.DeepEqual(got["Value"], want) {
			t.Errorf("output %s = %v, want %v", name, got["Value"], want)
		}
	}
}

// TestStateMachineLogGroupName checks the state machine logs to a group under
// /aws/vendedlogs/states/ (outside it, CloudWatch Logs grows its resource
// policy for each such group and CreateStateMachine can fail with
// InvalidLoggingConfiguration), named after the construct and the stack's
// GUID so that no two stacks, nor two deployments, share it.
func TestStateMachineLogGroupName(t *testing.T) {
	f := synth(t, "default")
	logGroup := f.resourceWith(t, "AWS::Logs::LogGroup", "Workflow/Logs")
	stackGUID := map[string]any{"Fn::Select": []any{2, map[string]any{"Fn::Split": []any{"/", map[string]any{"Ref": "AWS::StackId"}}}}}
	match(t, "log group name", func() {
		f.assert.HasResourceProperties(jsii.String("AWS::Logs::LogGroup"), map[string]any{
			"LogGroupName": map[string]any{"Fn::Join": []any{"", []any{
				assertions.Match_StringLikeRegexp(jsii.String("^/aws/vendedlogs/states/DocumentSigningStackWorkflow[0-9A-F]{8}-$")),
				stackGUID,
			}}},
		})
	})
	if t.Failed() {
		return
	}
	join := f.resources("AWS::Logs::LogGroup")[logGroup]["Properties"].(map[string]any)["LogGroupName"].(map[string]any)["Fn::Join"].([]any)
	parts := join[1].([]any)
	name := parts[0].(string) + "1c2fa620-982a-11e3-aff7-50e2416294e0" // a sample stack GUID
	if !regexp.MustCompile(`^/aws/vendedlogs/states/[A-Za-z0-9._/#-]+$`).MatchString(name) || len(name) > 512 {
		t.Errorf("log group name %q: want /aws/vendedlogs/states/… of at most 512 characters [A-Za-z0-9._/#-]", name)
	}
}
