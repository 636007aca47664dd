package asl

import (
	"encoding/json"
	"strings"
	"testing"
)

func TestTemplateEval(t *testing.T) {
	tests := []struct {
		name, template, input, context, want string
	}{
		// ASL spec, "Payload Template" worked example.
		{"spec payload template",
			`{"flagged": true,
			  "parts": {"first.$": "$.vals[0]", "last3.$": "$.vals[-3:]"},
			  "weekday.$": "$$.DayOfWeek",
			  "formattedOutput.$": "States.Format('Today is {}', $$.DayOfWeek)"}`,
			`{"flagged": 7, "vals": [0, 10, 20, 30, 40, 50]}`,
			`{"DayOfWeek": "TUESDAY"}`,
			`{"flagged": true, "parts": {"first": 0, "last3": [30, 40, 50]},
			  "weekday": "TUESDAY", "formattedOutput": "Today is TUESDAY"}`},
		// Developer guide, "Manipulate parameters in Step Functions workflows" (Parameters).
		{"developer guide Parameters",
			`{"comment": "Selecting what I care about.",
			  "MyDetails": {"size.$": "$.product.details.size", "exists.$": "$.product.availability", "StaticValue": "foo"}}`,
			`{"comment": "Example for Parameters.",
			  "product": {"details": {"color": "blue", "size": "small", "material": "cotton"},
			              "availability": "in stock", "sku": "2317", "cost": "$23"}}`,
			``,
			`{"comment": "Selecting what I care about.",
			  "MyDetails": {"size": "small", "exists": "in stock", "StaticValue": "foo"}}`},
		// Team brief: the request-signature task's Parameters.
		{"callback task parameters",
			`{"taskToken.$": "$$.Task.Token", "documentId.$": "$.documentId", "signer": "Bob",
			  "executionArn.$": "$$.Execution.Id", "startedAt.$": "$$.Execution.StartTime", "timeoutSeconds": 30}`,
			`{"documentId": "3"}`,
			`{"Task": {"Token": "tok"}, "Execution": {"Id": "arn:e", "StartTime": "2024-01-01T00:00:00Z"}}`,
			`{"taskToken": "tok", "documentId": "3", "signer": "Bob", "executionArn": "arn:e",
			  "startedAt": "2024-01-01T00:00:00Z", "timeoutSeconds": 30}`},
		// ResultSelector on a lambda:invoke result (developer guide, ResultSelector).
		{"ResultSelector on Payload",
			`{"body.$": "$.Payload.body", "status.$": "$.StatusCode"}`,
			`{"ExecutedVersion": "$LATEST", "Payload": {"body": "ok"}, "StatusCode": 200}`,
			``,
			`{"body": "ok", "status": 200}`},
		{"whole input and null value",
			`{"all.$": "$", "n.$": "$.n"}`, `{"n": null}`, ``, `{"all": {"n": null}, "n": null}`},
		{"objects inside arrays are processed",
			`{"list": [{"v.$": "$.a"}, "static", 1.50]}`, `{"a": 1}`, ``, `{"list": [{"v": 1}, "static", 1.50]}`},
		{"indefinite path gives an array",
			`{"ids.$": "$.items[*].id"}`, `{"items": [{"id": 1}, {"id": 2}]}`, ``, `{"ids": [1, 2]}`},
		{"intrinsic function value",
			`{"BuildId.$": "States.Array($.Id)"}`, `{"Id": 123456}`, ``, `{"BuildId": [123456]}`},
		{"Map item from context",
			`{"index.$": "$$.Map.Item.Index", "value.$": "$$.Map.Item.Value"}`,
			`{}`, `{"Map": {"Item": {"Index": 0, "Value": {"x": 1}}}}`, `{"index": 0, "value": {"x": 1}}`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			tmpl, err := CompileTemplate(json.RawMessage(tt.template))
			if err != nil {
				t.Fatalf("CompileTemplate: %v", err)
			}
			got, err := tmpl.Eval(js(t, tt.input), js(t, tt.context))
			if err != nil {
				t.Fatalf("Eval: %v", err)
			}
			checkValue(t, got, tt.want)
		})
	}
}

func TestTemplateEvalErrors(t *testing.T) {
	tests := []struct {
		name, template, input, wantCause string
	}{
		// Cause copied from an AWS execution history (ExecutionFailed, States.Runtime).
		{"missing input path", `{"JobName.$": "$.JobName"}`, `{}`,
			"The JSONPath '$.JobName' specified for the field 'JobName.$' could not be found in the input '{}'"},
		{"missing nested path", `{"a": {"b.$": "$.x.y"}}`, `{"x": {}}`,
			`specified for the field 'b.$' could not be found in the input '{"x":{}}'`},
		// AWS: "The function '…' had the following error: The JsonPath argument …".
		{"intrinsic with a missing argument", `{"v.$": "States.Format('{}', $.nope)"}`, `{"other": 1}`,
			`The function 'States.Format('{}', $.nope)' had the following error: The JsonPath argument for the field '$.nope' could not be found in the input '{"other":1}'`},
		{"intrinsic with invalid arguments", `{"v.$": "States.MathAdd($.a, 1)"}`, `{"a": "x"}`,
			"The function 'States.MathAdd($.a, 1)' had the following error: Invalid arguments in States.MathAdd"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			tmpl, err := CompileTemplate(json.RawMessage(tt.template))
			if err != nil {
				t.Fatal(err)
			}
			_, err = tmpl.Eval(js(t, tt.input), nil)
			checkError(t, err, ErrRuntime, tt.wantCause)
		})
	}
	t.Run("missing context path never prints the context", func(t *testing.T) {
		tmpl, _ := CompileTemplate(json.RawMessage(`{"t.$": "$$.Task.Token"}`))
		_, err := tmpl.Eval(map[string]any{}, map[string]any{"Execution": map[string]any{"Secret": "s3cr3t"}})
		checkError(t, err, ErrRuntime, "could not be found in the context object")
		if err != nil && strings.Contains(err.Error(), "s3cr3t") {
			t.Errorf("cause leaks the context object: %v", err)
		}
	})
}

func TestTemplateEvalFreshContainers(t *testing.T) {
	tmpl, err := CompileTemplate(json.RawMessage(`{"list": [1, 2], "obj": {"k": "v"}}`))
	if err != nil {
		t.Fatal(err)
	}
	first, _ := tmpl.Eval(nil, nil)
	first.(map[string]any)["list"].([]any)[0] = "changed"
	first.(map[string]any)["obj"].(map[string]any)["k"] = "changed"
	second, _ := tmpl.Eval(nil, nil)
	checkValue(t, second, `{"list": [1, 2], "obj": {"k": "v"}}`)
}

func TestCompileTemplateErrors(t *testing.T) {
	tests := []struct {
		name, template, wantMsg string
	}{
		{"not JSON", `{"a":`, "not valid JSON"},
		{"not an object (spec: MUST be a JSON object)", `[1, 2]`, "must be a JSON object, got an array"},
		{"non-string dynamic value", `{"a.$": 5}`, `field "a.$": the value of a field ending in ".$" must be a string`},
		{"duplicate after renaming (spec)", `{"a": 1, "a.$": "$.b"}`, `both become "a"`},
		{"bad path", `{"p": {"x.$": "$.a["}}`, `field "p.x.$": invalid path "$.a["`},
		{"unknown intrinsic", `{"x.$": "States.Nope()"}`, "unknown intrinsic function States.Nope"},
		{"plain string is not an intrinsic", `{"x.$": "hello"}`, "must be followed immediately by '('"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := CompileTemplate(json.RawMessage(tt.template))
			checkCompileError(t, err, tt.wantMsg)
		})
	}
}
