package flowchart

import (
	"encoding/json"
	"testing"
)

func TestText(t *testing.T) {
	tests := []struct{ in, want string }{
		{"Wait for Bob", "Wait for Bob"},
		{`say "hi"`, "say #34;hi#34;"},
		{"#quot;", "#35;quot#59;"},
		{"<img src=x>", "#60;img src=x#62;"},
		{"a & b", "a #38; b"},
		{"`md`", "#96;md#96;"},
		{"%%{init}%%", "#37;#37;{init}#37;#37;"},
		{"line\nbreak\ttab", "line break tab"},
		{"a:b|c;d", "a#58;b#124;c#59;d"},
		{"$.items[0] * 2", "$.items[0] * 2"},
		{"Über 名前", "Über 名前"},
		{"😀", "#128512;"},
	}
	for _, tt := range tests {
		if got := text(tt.in); got != tt.want {
			t.Errorf("text(%q) = %q, want %q", tt.in, got, tt.want)
		}
	}
}

func TestKind(t *testing.T) {
	tests := []struct {
		state string
		want  string
	}{
		{`{"Type":"Task","Resource":"arn:aws:states:::lambda:invoke.waitForTaskToken"}`, "lambda:invoke.waitForTaskToken"},
		{`{"Type":"Task","Resource":"arn:aws-cn:states:::dynamodb:putItem"}`, "dynamodb:putItem"},
		{`{"Type":"Task","Resource":"arn:aws:lambda:us-east-1:123456789012:function:Sign:live"}`, "function:Sign"},
		{`{"Type":"Task","Resource":"arn:aws:states:us-east-1:123456789012:activity:Review"}`, "activity:Review"},
		{`{"Type":"Task","Resource":"something-else"}`, "something-else"},
		{`{"Type":"Task"}`, "Task"},
		{`{"Type":"Wait","Seconds":10}`, "Wait 10 s"},
		{`{"Type":"Wait","TimestampPath":"$.at"}`, "Wait until $.at"},
		{`{"Type":"Map","ItemProcessor":{"ProcessorConfig":{"Mode":"DISTRIBUTED"}}}`, "Map (distributed)"},
		{`{"Type":"Map","ItemProcessor":{"ProcessorConfig":{"Mode":"INLINE"}}}`, "Map"},
		{`{"Type":"Pass"}`, "Pass"},
	}
	for _, tt := range tests {
		var s state
		if err := json.Unmarshal([]byte(tt.state), &s); err != nil {
			t.Fatal(err)
		}
		if got := kind(&s); got != tt.want {
			t.Errorf("kind(%s) = %q, want %q", tt.state, got, tt.want)
		}
	}
}

func TestKindText(t *testing.T) {
	tests := []struct{ in, want string }{
		{"lambda:invoke.waitForTaskToken", "lambda:invoke.waitForTaskToken"},
		{"activity:Review#1", "activity#58;Review#35;1"},
	}
	for _, tt := range tests {
		if got := kindText(tt.in); got != tt.want {
			t.Errorf("kindText(%q) = %q, want %q", tt.in, got, tt.want)
		}
	}
}

func TestRuleText(t *testing.T) {
	tests := []struct{ rule, want string }{
		{`{"Variable":"$.s","StringEquals":"SIGNED"}`, `$.s == "SIGNED"`},
		{`{"Variable":"$.n","NumericLessThanEquals":3}`, `$.n <= 3`},
		{`{"Variable":"$.n","NumericGreaterThanPath":"$.max"}`, `$.n > $.max`},
		{`{"Variable":"$.t","TimestampLessThan":"2026-01-01T00:00:00Z"}`, `$.t < "2026-01-01T00:00:00Z"`},
		{`{"Variable":"$.b","BooleanEquals":true}`, `$.b == true`},
		{`{"Variable":"$.f","StringMatches":"*.pdf"}`, `$.f matches "*.pdf"`},
		{`{"Variable":"$.x","IsPresent":false}`, `$.x is not present`},
		{`{"Not":{"Variable":"$.x","IsNull":true}}`, `not $.x is null`},
		{`{"Or":[{"Variable":"$.a","NumericEquals":1},{"Variable":"$.b","NumericEquals":2}]}`, `($.a == 1 or $.b == 2)`},
		{`{"Condition":"{% $states.input.n > 1 %}"}`, `$states.input.n > 1`},
		{`{"Variable":"$.a","StringEquals":"` + "a very long value that will not fit on one edge label" + `"}`, `$.a == "a very long value that will not fit on …`},
	}
	for _, tt := range tests {
		var rule map[string]any
		if err := json.Unmarshal([]byte(tt.rule), &rule); err != nil {
			t.Fatal(err)
		}
		if got := ruleText(rule); got != tt.want {
			t.Errorf("ruleText(%s) = %q, want %q", tt.rule, got, tt.want)
		}
	}
}
