package asl

import (
	"encoding/json"
	"testing"
)

// specChoices is the Choice state of the ASL spec's "Choice State" section.
var specChoices = []string{
	`{"Not": {"Variable": "$.type", "StringEquals": "Private"}, "Next": "Public"}`,
	`{"And": [{"Variable": "$.value", "IsPresent": true}, {"Variable": "$.value", "IsNumeric": true},
	          {"Variable": "$.value", "NumericGreaterThanEquals": 20}, {"Variable": "$.value", "NumericLessThan": 30}],
	  "Next": "ValueInTwenties"}`,
	`{"Variable": "$.rating", "NumericGreaterThanPath": "$.auditThreshold", "Next": "StartAudit"}`,
}

// firstMatch returns the Next of the first matching rule, "Default" when
// none matches, as the engine's Choice state would.
func firstMatch(t *testing.T, rules []string, input string) string {
	t.Helper()
	for _, raw := range rules {
		r, err := CompileChoiceRule(json.RawMessage(raw), true)
		if err != nil {
			t.Fatalf("CompileChoiceRule(%s): %v", raw, err)
		}
		ok, err := r.Match(js(t, input), nil)
		if err != nil {
			t.Fatalf("Match: %v", err)
		}
		if ok {
			return r.Next()
		}
	}
	return "Default"
}

func TestChoiceSpecExample(t *testing.T) {
	tests := []struct{ input, want string }{
		{`{"type": "Private", "value": 22}`, "ValueInTwenties"}, // the spec's own input
		{`{"type": "Public", "value": 22}`, "Public"},
		{`{"type": "Private", "value": 35, "rating": 7, "auditThreshold": 5}`, "StartAudit"},
		{`{"type": "Private", "value": "22", "rating": 1, "auditThreshold": 5}`, "Default"},
	}
	for _, tt := range tests {
		if got := firstMatch(t, specChoices, tt.input); got != tt.want {
			t.Errorf("input %s: got %q, want %q", tt.input, got, tt.want)
		}
	}
}

func TestChoiceOperators(t *testing.T) {
	in := `{"s": "MyString", "n": 1, "f": 2.5, "b": true, "nul": null, "ts": "2001-01-01T12:00:00Z",
		"tsOffset": "2001-01-01T13:00:00+01:00", "lower": "2001-01-01t12:00:00z", "file": "foo23.log",
		"star": "foo*", "emoji": "😀", "lig": "ﬁ", "other": 5, "otherTs": "2002-01-01T00:00:00Z"}`
	tests := []struct {
		name, rule string
		want       bool
	}{
		{"StringEquals", `{"Variable": "$.s", "StringEquals": "MyString"}`, true},
		{"StringGreaterThan (choice page)", `{"Variable": "$.s", "StringGreaterThan": "MyStringABC"}`, false},
		{"StringLessThan", `{"Variable": "$.s", "StringLessThan": "MyStringABC"}`, true},
		{"StringLessThanEquals", `{"Variable": "$.s", "StringLessThanEquals": "MyString"}`, true},
		{"String order is UTF-16 (Java compareTo)", `{"Variable": "$.emoji", "StringLessThan": "ﬁ"}`, true},
		{"StringEqualsPath", `{"Variable": "$.lig", "StringEqualsPath": "$.lig"}`, true},
		{"string operator on a number is false", `{"Variable": "$.n", "StringEquals": "1"}`, false},
		{"StringMatches foo*.log (spec)", `{"Variable": "$.file", "StringMatches": "foo*.log"}`, true},
		{"StringMatches *.log (spec)", `{"Variable": "$.file", "StringMatches": "*.log"}`, true},
		{"StringMatches foo*.* (spec)", `{"Variable": "$.file", "StringMatches": "foo*.*"}`, true},
		{"StringMatches no match", `{"Variable": "$.file", "StringMatches": "bar*"}`, false},
		{"StringMatches wrong suffix", `{"Variable": "$.file", "StringMatches": "*.txt"}`, false},
		{"StringMatches pieces in order", `{"Variable": "$.file", "StringMatches": "f*2*3*g"}`, true},
		{"StringMatches pieces out of order", `{"Variable": "$.file", "StringMatches": "f*3*2*"}`, false},
		{"StringMatches escaped star", `{"Variable": "$.star", "StringMatches": "foo\\*"}`, true},
		{"StringMatches escaped star is literal", `{"Variable": "$.file", "StringMatches": "foo\\*"}`, false},
		{"NumericEquals (choice page)", `{"Variable": "$.n", "NumericEquals": 1}`, true},
		{"NumericEquals 1.0", `{"Variable": "$.n", "NumericEquals": 1.0}`, true},
		{"NumericLessThan", `{"Variable": "$.f", "NumericLessThan": 3}`, true},
		{"NumericGreaterThanEquals", `{"Variable": "$.f", "NumericGreaterThanEquals": 2.5}`, true},
		{"NumericLessThanEqualsPath", `{"Variable": "$.f", "NumericLessThanEqualsPath": "$.other"}`, true},
		{"numeric operator on a string is false", `{"Variable": "$.s", "NumericEquals": 1}`, false},
		{"numeric path to a string is false", `{"Variable": "$.n", "NumericEqualsPath": "$.s"}`, false},
		{"BooleanEquals", `{"Variable": "$.b", "BooleanEquals": true}`, true},
		{"BooleanEqualsPath", `{"Variable": "$.b", "BooleanEqualsPath": "$.b"}`, true},
		{"TimestampEquals (choice page)", `{"Variable": "$.ts", "TimestampEquals": "2001-01-01T12:00:00Z"}`, true},
		{"TimestampEquals across offsets", `{"Variable": "$.tsOffset", "TimestampEquals": "2001-01-01T12:00:00Z"}`, true},
		{"TimestampLessThanPath", `{"Variable": "$.ts", "TimestampLessThanPath": "$.otherTs"}`, true},
		{"TimestampGreaterThan with fractions", `{"Variable": "$.ts", "TimestampGreaterThan": "2001-01-01T11:59:59.999Z"}`, true},
		{"lowercase t/z is not a timestamp (spec)", `{"Variable": "$.lower", "TimestampEquals": "2001-01-01T12:00:00Z"}`, false},
		{"IsTimestamp", `{"Variable": "$.ts", "IsTimestamp": true}`, true},
		{"IsTimestamp on lowercase", `{"Variable": "$.lower", "IsTimestamp": true}`, false},
		{"IsNull", `{"Variable": "$.nul", "IsNull": true}`, true},
		{"IsNull false", `{"Variable": "$.s", "IsNull": false}`, true},
		{"IsNumeric", `{"Variable": "$.f", "IsNumeric": true}`, true},
		{"IsString", `{"Variable": "$.s", "IsString": true}`, true},
		{"IsBoolean", `{"Variable": "$.n", "IsBoolean": true}`, false},
		{"IsPresent on a missing field (spec)", `{"Variable": "$.missing", "IsPresent": false}`, true},
		{"IsPresent on null", `{"Variable": "$.nul", "IsPresent": true}`, true},
		{"Or short-circuits before a missing path", `{"Or": [{"Variable": "$.n", "NumericEquals": 1}, {"Variable": "$.missing", "NumericEquals": 1}]}`, true},
		{"And short-circuits before a missing path", `{"And": [{"Variable": "$.n", "NumericEquals": 2}, {"Variable": "$.missing", "NumericEquals": 1}]}`, false},
		{"nested Not inside And", `{"And": [{"Not": {"Variable": "$.b", "BooleanEquals": false}}, {"Variable": "$.s", "IsString": true}]}`, true},
		{"context Variable", `{"Variable": "$$.Execution.Name", "StringEquals": "run-1"}`, true},
	}
	ctx := js(t, `{"Execution": {"Name": "run-1"}}`)
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			r, err := CompileChoiceRule(json.RawMessage(tt.rule), false)
			if err != nil {
				t.Fatalf("CompileChoiceRule: %v", err)
			}
			got, err := r.Match(js(t, in), ctx)
			if err != nil {
				t.Fatalf("Match: %v", err)
			}
			if got != tt.want {
				t.Errorf("got %v, want %v", got, tt.want)
			}
		})
	}
}

func TestChoiceMatchErrors(t *testing.T) {
	tests := []struct{ name, rule, wantCause string }{
		// Cause as AWS words it for a Variable that selects nothing.
		{"missing Variable", `{"Variable": "$.missing", "NumericEquals": 1}`,
			"Invalid path '$.missing': The choice state's condition path references an invalid value."},
		{"missing operand path", `{"Variable": "$.n", "NumericEqualsPath": "$.right"}`, "Invalid path '$.right'"},
		{"type test on a missing Variable", `{"Variable": "$.missing", "IsNull": true}`, "Invalid path '$.missing'"},
		{"inside Not", `{"Not": {"Variable": "$.missing", "StringEquals": "x"}}`, "Invalid path '$.missing'"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			r, err := CompileChoiceRule(json.RawMessage(tt.rule), false)
			if err != nil {
				t.Fatal(err)
			}
			_, err = r.Match(js(t, `{"n": 8}`), nil)
			checkError(t, err, ErrRuntime, tt.wantCause)
		})
	}
}

func TestCompileChoiceRuleErrors(t *testing.T) {
	tests := []struct {
		name, rule string
		top        bool
		wantMsg    string
	}{
		{"top level without Next", `{"Variable": "$.a", "IsPresent": true}`, true, "must have Next"},
		{"nested with Next", `{"And": [{"Variable": "$.a", "IsPresent": true, "Next": "X"}]}`, false, "And[0]: a nested choice rule"},
		{"two operators", `{"Variable": "$.a", "StringEquals": "x", "NumericEquals": 1}`, false, "exactly one comparison operator, found 2"},
		{"no operator", `{"Variable": "$.a"}`, false, "found 0"},
		{"unknown field", `{"Variable": "$.a", "StringEqual": "x"}`, false, `field "StringEqual" is not supported`},
		{"variables are out of scope", `{"Variable": "$.a", "IsPresent": true, "Assign": {}}`, false, `field "Assign" is not supported`},
		{"missing Variable", `{"StringEquals": "x"}`, false, "string Variable"},
		{"bad Variable path", `{"Variable": "a", "IsPresent": true}`, false, "Variable: invalid path"},
		{"NumericEquals needs a number", `{"Variable": "$.a", "NumericEquals": "1"}`, false, "NumericEquals must be a number"},
		{"TimestampEquals needs a timestamp", `{"Variable": "$.a", "TimestampEquals": "2016-03-14 01:59:00Z"}`, false, "must be an RFC 3339 timestamp"},
		{"BooleanEquals needs a boolean", `{"Variable": "$.a", "BooleanEquals": "true"}`, false, "true or false"},
		{"IsNull needs a boolean", `{"Variable": "$.a", "IsNull": 1}`, false, "IsNull must be true or false"},
		{"Path operand needs a path", `{"Variable": "$.a", "StringEqualsPath": "x"}`, false, "StringEqualsPath: invalid path"},
		{"StringMatches open escape (spec)", `{"Variable": "$.a", "StringMatches": "a\\b"}`, false, "open escape"},
		{"empty And", `{"And": []}`, false, "And must be a non-empty array"},
		{"Not with an array", `{"Not": [{"Variable": "$.a", "IsPresent": true}]}`, false, "Not must be a single choice rule"},
		{"And with Variable", `{"And": [{"Variable": "$.a", "IsPresent": true}], "Variable": "$.a"}`, false, "exactly one of And, Or, Not"},
		{"not an object", `[1]`, true, "must be a JSON object"},
		{"empty Next", `{"Variable": "$.a", "IsPresent": true, "Next": ""}`, true, "Next must be a non-empty string"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := CompileChoiceRule(json.RawMessage(tt.rule), tt.top)
			checkCompileError(t, err, tt.wantMsg)
		})
	}
}

func TestParseTimestamp(t *testing.T) {
	tests := []struct {
		in   string
		want bool
	}{
		{"2016-03-14T01:59:00Z", true}, // ASL spec, "Timestamps"
		{"2016-03-14T01:59:00.123456789Z", true},
		{"2016-03-14T01:59:00-07:00", true},
		{"2016-03-14t01:59:00Z", false},
		{"2016-03-14T01:59:00z", false},
		{"2016-03-14T01:59:00", false},
		{"2016-03-14 01:59:00Z", false},
		{"2016-13-14T01:59:00Z", false},
	}
	for _, tt := range tests {
		if _, got := ParseTimestamp(tt.in); got != tt.want {
			t.Errorf("ParseTimestamp(%q) ok = %v, want %v", tt.in, got, tt.want)
		}
	}
}
