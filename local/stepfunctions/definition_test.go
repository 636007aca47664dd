package stepfunctions

import (
	"fmt"
	"strings"
	"testing"
)

func TestParseDefinitionErrors(t *testing.T) {
	tests := []struct {
		name, def, want string
	}{
		{"not JSON", `{`, "INVALID_JSON_DESCRIPTION"},
		{"no States", `{"StartAt":"A"}`, "SCHEMA_VALIDATION_FAILED: These fields are required: [States] at /"},
		{"missing target",
			`{"StartAt":"pass1","States":{"pass1":{"Type":"Pass","Next":"pass3"},"pass2":{"Type":"Pass","End":true}}}`,
			`'MISSING_TRANSITION_TARGET: Missing 'Next' target: pass3 at /States/pass1/Next, MISSING_TRANSITION_TARGET: State "pass2" is not reachable. at /States/pass2'`},
		{"StartAt unknown", `{"StartAt":"X","States":{"A":{"Type":"Pass","End":true}}}`,
			"MISSING_TRANSITION_TARGET: Missing 'Next' target: X at /StartAt"},
		{"no terminal state", `{"StartAt":"A","States":{"A":{"Type":"Pass","Next":"B"},"B":{"Type":"Pass","Next":"A"}}}`,
			"'MISSING_END_STATE: Workflow has no terminal state'"},
		{"catch target", `{"StartAt":"T","States":{"T":{"Type":"Task","Resource":"arn:aws:lambda:us-east-1:000000000000:function:F",
			"Catch":[{"ErrorEquals":["States.ALL"],"Next":"Nope"}],"End":true}}}`,
			"Missing 'Next' target: Nope at /States/T/Catch[0]/Next"},
		{"branch scope", `{"StartAt":"P","States":{"P":{"Type":"Parallel","Next":"Done","Branches":[
			{"StartAt":"A","States":{"A":{"Type":"Pass","Next":"Done"}}}]},"Done":{"Type":"Succeed"}}}`,
			"Missing 'Next' target: Done at /States/P/Branches[0]/States/A/Next"},
		{"unknown field", `{"StartAt":"A","States":{"A":{"Type":"Pass","Bogus":1,"End":true}}}`,
			"SCHEMA_VALIDATION_FAILED: Field 'Bogus' is not supported at /States/A"},
		{"Retry on Pass", `{"StartAt":"A","States":{"A":{"Type":"Pass","Retry":[],"End":true}}}`,
			"Field 'Retry' is not supported at /States/A"},
		{"TimeoutSeconds on Parallel", `{"StartAt":"P","States":{"P":{"Type":"Parallel","TimeoutSeconds":3,"End":true,
			"Branches":[{"StartAt":"A","States":{"A":{"Type":"Pass","End":true}}}]}}}`,
			"Field 'TimeoutSeconds' is not supported at /States/P"},
		{"JSONata machine", `{"QueryLanguage":"JSONata","StartAt":"A","States":{"A":{"Type":"Pass","End":true}}}`,
			"QueryLanguage 'JSONata' is not supported by this local Step Functions engine; use JSONPath at /QueryLanguage"},
		{"JSONata state", `{"StartAt":"A","States":{"A":{"Type":"Pass","QueryLanguage":"JSONata","End":true}}}`,
			"at /States/A/QueryLanguage"},
		{"Assign", `{"StartAt":"A","States":{"A":{"Type":"Pass","Assign":{"x":1},"End":true}}}`,
			"Field 'Assign' is not supported by this local Step Functions engine at /States/A"},
		{"SQS resource", `{"StartAt":"T","States":{"T":{"Type":"Task","Resource":"arn:aws:states:::sqs:sendMessage","End":true}}}`,
			"Resource 'arn:aws:states:::sqs:sendMessage' is not supported by this local Step Functions engine"},
		{"no FunctionName", `{"StartAt":"T","States":{"T":{"Type":"Task","Resource":"arn:aws:states:::lambda:invoke","Parameters":{"Payload":{}},"End":true}}}`,
			"The field 'FunctionName' is required but was missing at /States/T/Parameters"},
		{"distributed Map", `{"StartAt":"M","States":{"M":{"Type":"Map","End":true,"ItemProcessor":{"ProcessorConfig":{"Mode":"DISTRIBUTED"},
			"StartAt":"A","States":{"A":{"Type":"Pass","End":true}}}}}}`,
			"Map Mode 'DISTRIBUTED' is not supported by this local Step Functions engine; use INLINE at /States/M/ItemProcessor/ProcessorConfig/Mode"},
		{"Next and End", `{"StartAt":"A","States":{"A":{"Type":"Pass","Next":"A","End":true}}}`,
			"There should only be one of the following fields: [Next, End] at /States/A"},
		{"neither Next nor End", `{"StartAt":"A","States":{"A":{"Type":"Pass"},"B":{"Type":"Succeed"}}}`,
			"These fields are required: [Next or End: true] at /States/A"},
		{"two durations", `{"StartAt":"W","States":{"W":{"Type":"Wait","Seconds":1,"SecondsPath":"$.s","End":true}}}`,
			"There should only be one of the following fields: [Seconds, SecondsPath, Timestamp, TimestampPath] at /States/W"},
		{"bad Timestamp", `{"StartAt":"W","States":{"W":{"Type":"Wait","Timestamp":"tomorrow","End":true}}}`,
			"at /States/W/Timestamp"},
		{"States.ALL not alone", `{"StartAt":"T","States":{"T":{"Type":"Task","Resource":"arn:aws:lambda:us-east-1:000000000000:function:F",
			"Retry":[{"ErrorEquals":["States.ALL","X"]}],"End":true}}}`, "at /States/T/Retry"},
		{"BackoffRate below 1", `{"StartAt":"T","States":{"T":{"Type":"Task","Resource":"arn:aws:lambda:us-east-1:000000000000:function:F",
			"Retry":[{"ErrorEquals":["X"],"BackoffRate":0.5}],"End":true}}}`, "Minimum value is 1.0 at /States/T/Retry[0]/BackoffRate"},
		{"heartbeat not below timeout", `{"StartAt":"T","States":{"T":{"Type":"Task","Resource":"arn:aws:lambda:us-east-1:000000000000:function:F",
			"TimeoutSeconds":5,"HeartbeatSeconds":5,"End":true}}}`, "HeartbeatSeconds must be smaller than TimeoutSeconds"},
		{"negative TimeoutSeconds", `{"TimeoutSeconds":0,"StartAt":"A","States":{"A":{"Type":"Pass","End":true}}}`,
			"Minimum value is 1 at /TimeoutSeconds"},
		{"ResultPath $$", `{"StartAt":"A","States":{"A":{"Type":"Pass","ResultPath":"$$.x","End":true}}}`, "at /States/A/ResultPath"},
		{"bad path", `{"StartAt":"A","States":{"A":{"Type":"Pass","InputPath":"$.[","End":true}}}`, "at /States/A/InputPath"},
		{"unknown type", `{"StartAt":"A","States":{"A":{"Type":"Bogus","End":true}}}`, "at /States/A/Type"},
		{"Choice with End", `{"StartAt":"C","States":{"C":{"Type":"Choice","End":true,"Choices":[{"Variable":"$.a","IsPresent":true,"Next":"S"}]},"S":{"Type":"Succeed"}}}`,
			"Field 'End' is not supported at /States/C"},
		{"choice target", `{"StartAt":"C","States":{"C":{"Type":"Choice","Default":"S","Choices":[{"Variable":"$.a","IsPresent":true,"Next":"Nope"}]},"S":{"Type":"Succeed"}}}`,
			"Missing 'Next' target: Nope at /States/C/Choices[0]/Next"},
		{"long state name", `{"StartAt":"A","States":{"A":{"Type":"Pass","End":true},"` + strings.Repeat("n", 81) + `":{"Type":"Succeed"}}}`,
			"State name must be 1 to 80 characters long"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			_, err := parseDefinition(tc.def)
			if err == nil {
				t.Fatalf("loaded; want InvalidDefinition containing %q", tc.want)
			}
			if err.Code != codeInvalidDefinition || !strings.Contains(err.Message, tc.want) {
				t.Errorf("got %s %q\nwant InvalidDefinition containing %q", err.Code, err.Message, tc.want)
			}
			if !strings.HasPrefix(err.Message, "Invalid State Machine Definition: '") {
				t.Errorf("message %q lacks AWS's prefix", err.Message)
			}
		})
	}
}

func TestParseDefinitionAccepts(t *testing.T) {
	defs := map[string]string{
		"all state types": `{"Comment":"c","Version":"1.0","TimeoutSeconds":60,"QueryLanguage":"JSONPath","StartAt":"P","States":{
			"P":{"Type":"Pass","Result":{"a":1},"ResultPath":"$.r","Next":"C"},
			"C":{"Type":"Choice","Choices":[{"And":[{"Variable":"$.r.a","NumericEquals":1},{"Not":{"Variable":"$.x","IsPresent":true}}],"Next":"W"}],"Default":"F"},
			"W":{"Type":"Wait","SecondsPath":"$.r.a","Next":"T"},
			"T":{"Type":"Task","Resource":"arn:aws:states:::lambda:invoke.waitForTaskToken","HeartbeatSeconds":5,"TimeoutSecondsPath":"$.t",
				"Parameters":{"FunctionName":"F","Payload":{"token.$":"$$.Task.Token"}},"ResultSelector":{"x.$":"$"},
				"Retry":[{"ErrorEquals":["States.Timeout"],"MaxAttempts":0},{"ErrorEquals":["States.ALL"],"JitterStrategy":"FULL","MaxDelaySeconds":5}],
				"Catch":[{"ErrorEquals":["States.ALL"],"ResultPath":"$.err","Next":"F"}],"Next":"Par"},
			"Par":{"Type":"Parallel","Branches":[{"StartAt":"B","States":{"B":{"Type":"Succeed"}}}],"Next":"M"},
			"M":{"Type":"Map","ItemsPath":"$.items","MaxConcurrency":2,"ItemSelector":{"v.$":"$$.Map.Item.Value"},
				"ItemProcessor":{"ProcessorConfig":{"Mode":"INLINE"},"StartAt":"I","States":{"I":{"Type":"Pass","End":true}}},"Next":"S"},
			"S":{"Type":"Succeed"},
			"F":{"Type":"Fail","ErrorPath":"$.err.Error","CausePath":"States.Format('{}', $.err.Cause)"}}}`,
		"MaxDelaySeconds at its maximum": `{"StartAt":"T","States":{"T":{"Type":"Task","Resource":"arn:aws:lambda:us-east-1:000000000000:function:F",
			"Retry":[{"ErrorEquals":["X"],"MaxDelaySeconds":31622400}],"End":true}}}`,
		"Map Iterator and Parameters": `{"StartAt":"M","States":{"M":{"Type":"Map","Parameters":{"v.$":"$$.Map.Item.Value"},"End":true,
			"Iterator":{"StartAt":"I","States":{"I":{"Type":"Pass","End":true}}}}}}`,
	}
	for name, def := range defs {
		if _, err := parseDefinition(def); err != nil {
			t.Errorf("%s: %v", name, err)
		}
	}
}

// TestParseDefinitionOnlyRealErrors: one mistake gives one diagnostic, not
// follow-on ones (a missing FunctionName for a resource that is refused
// anyway, the targets of a Choice rule that failed to compile reported
// unreachable).
func TestParseDefinitionOnlyRealErrors(t *testing.T) {
	const task = `{"StartAt":"T","States":{"T":{"Type":"Task","Resource":"%s",%s"End":true}}}`
	tests := []struct {
		name, def string
		want      []string // one substring per diagnostic, in order
	}{
		{"activity resource", fmt.Sprintf(task, "arn:aws:states:us-east-1:000000000000:activity:A", ""),
			[]string{"Resource 'arn:aws:states:us-east-1:000000000000:activity:A' is not supported"}},
		{"dynamodb resource with Parameters", fmt.Sprintf(task, "arn:aws:states:::dynamodb:putItem", `"Parameters":{"TableName":"t"},`),
			[]string{"Resource 'arn:aws:states:::dynamodb:putItem' is not supported"}},
		{"sqs resource", fmt.Sprintf(task, "arn:aws:states:::sqs:sendMessage", ""),
			[]string{"Resource 'arn:aws:states:::sqs:sendMessage' is not supported"}},
		{"choice rule that does not compile", `{"StartAt":"C","States":{"C":{"Type":"Choice","Default":"D",
			"Choices":[{"Variable":"$.a","NumericEquals":"x","Next":"B"}]},"B":{"Type":"Succeed"},"D":{"Type":"Succeed"}}}`,
			[]string{"NumericEquals must be a number at /States/C/Choices[0]"}},
		{"bad rule before a rule with a missing target", `{"StartAt":"C","States":{"C":{"Type":"Choice","Default":"D",
			"Choices":[{"Variable":"$.a","NumericEquals":"x","Next":"B"},{"Variable":"$.a","IsPresent":true,"Next":"Nope"}]},
			"B":{"Type":"Succeed"},"D":{"Type":"Succeed"}}}`,
			[]string{"NumericEquals must be a number at /States/C/Choices[0]", "Missing 'Next' target: Nope at /States/C/Choices[1]/Next"}},
		{"Timestamp with a comma before the fraction", `{"StartAt":"W","States":{"W":{"Type":"Wait","Timestamp":"2016-03-14T01:59:00,5Z","End":true}}}`,
			[]string{"String does not match RFC3339 timestamp at /States/W/Timestamp"}},
		{"MaxDelaySeconds one year and a second", fmt.Sprintf(task, "arn:aws:lambda:us-east-1:000000000000:function:F",
			`"Retry":[{"ErrorEquals":["X"],"MaxDelaySeconds":31622401}],`),
			[]string{"Maximum value is 31622400 at /States/T/Retry[0]/MaxDelaySeconds"}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			raw, err := decodeJSON([]byte(tc.def))
			if err != nil {
				t.Fatal(err)
			}
			l := &loader{}
			l.machine(raw)
			if len(l.diags) != len(tc.want) {
				t.Fatalf("got %d diagnostics %q, want %d", len(l.diags), l.diags, len(tc.want))
			}
			for i, want := range tc.want {
				if !strings.Contains(l.diags[i], want) {
					t.Errorf("diagnostic %d: got %q, want one containing %q", i, l.diags[i], want)
				}
			}
		})
	}
}
