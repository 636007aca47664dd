package asl

import (
	"encoding/json"
	"errors"
	"strings"
	"testing"
)

// fuzzInput and fuzzContext are what compiled expressions are evaluated on.
var (
	fuzzInput   = map[string]any{"a": []any{json.Number("1"), "x", nil}, "s": "2016-03-14T01:59:00Z", "n": json.Number("2.5"), "o": map[string]any{"b": true}}
	fuzzContext = map[string]any{"Execution": map[string]any{"Id": "arn"}, "Task": map[string]any{"Token": "secret-token"}}
)

// checkRuntimeError fails unless err is nil or an *Error that does not leak
// the task token from the context object.
func checkRuntimeError(t *testing.T, err error) {
	t.Helper()
	if err == nil {
		return
	}
	var e *Error
	if !errors.As(err, &e) {
		t.Fatalf("runtime error %v is %T, want *Error", err, err)
	}
	if strings.Contains(e.Cause, "secret-token") {
		t.Fatalf("cause leaks the task token: %q", e.Cause)
	}
}

func FuzzCompileTemplate(f *testing.F) {
	for _, seed := range []string{
		`{"a.$": "$.a[0]", "b": [{"c.$": "$$.Execution.Id"}], "d.$": "States.Array($.n)"}`,
		`{"x.$": "$.a[?(@ == 'x')]"}`,
		`{"t.$": "$$.Task.Token"}`,
		`{"a": 1, "a.$": "$"}`,
		`[]`,
	} {
		f.Add(seed)
	}
	f.Fuzz(func(t *testing.T, raw string) {
		tmpl, err := CompileTemplate(json.RawMessage(raw))
		if err != nil {
			return
		}
		_, err = tmpl.Eval(fuzzInput, fuzzContext)
		checkRuntimeError(t, err)
	})
}

func FuzzCompileIntrinsic(f *testing.F) {
	for _, seed := range []string{
		"States.Format('Hello {} \\{\\}', $.s)",
		"States.ArrayGetItem(States.StringSplit($.s, '-'), 0)",
		"States.MathRandom(1, 10, 3)",
		"States.JsonMerge($.o, $.o, false)",
		"States.Hash($.s, 'SHA-256')",
		"States.Array($$.Task.Nope)",
	} {
		f.Add(seed)
	}
	f.Fuzz(func(t *testing.T, expr string) {
		fn, err := CompileIntrinsic(expr)
		if err != nil {
			return
		}
		_, err = fn.Eval(fuzzInput, fuzzContext)
		checkRuntimeError(t, err)
	})
}

func FuzzCompileChoiceRule(f *testing.F) {
	for _, seed := range []string{
		`{"Variable": "$.n", "NumericGreaterThan": 2, "Next": "A"}`,
		`{"And": [{"Variable": "$.s", "IsTimestamp": true}, {"Not": {"Variable": "$.a[1]", "StringMatches": "x*"}}], "Next": "B"}`,
		`{"Or": [{"Variable": "$.missing", "IsPresent": true}, {"Variable": "$.s", "TimestampLessThanPath": "$.s"}], "Next": "C"}`,
	} {
		f.Add(seed, true)
	}
	f.Fuzz(func(t *testing.T, raw string, top bool) {
		r, err := CompileChoiceRule(json.RawMessage(raw), top)
		if err != nil {
			return
		}
		if top && r.Next() == "" {
			t.Fatalf("top-level rule %s compiled without Next", raw)
		}
		_, err = r.Match(fuzzInput, fuzzContext)
		checkRuntimeError(t, err)
	})
}
