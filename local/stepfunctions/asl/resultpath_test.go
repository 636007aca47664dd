package asl

import (
	"testing"
)

func TestApplyResultPath(t *testing.T) {
	tests := []struct {
		name, path, input, result, want string
	}{
		// ASL spec, "Using InputPath, Parameters, ResultSelector, ResultPath and OutputPath".
		{"overwrite an existing field", "$.master.detail", `{"master":{"detail":[1,2,3]}}`, `6`,
			`{"master":{"detail":6}}`},
		{"create intervening fields", "$.master.result.sum", `{"master":{"detail":[1,2,3]}}`, `6`,
			`{"master":{"detail":[1,2,3],"result":{"sum":6}}}`},
		// ASL spec, "Input/Output Processing Examples".
		{"sum example", "$.sum", `{"title":"Numbers to add","numbers":{"val1":3,"val2":4}}`, `7`,
			`{"title":"Numbers to add","numbers":{"val1":3,"val2":4},"sum":7}`},
		{"greeting example", "$.b.greeting", `{"a":1}`, `"Hi!"`, `{"a":1,"b":{"greeting":"Hi!"}}`},
		// ASL spec, "Error output": a Catcher's ResultPath "$.error-info".
		{"catcher error-info", "$.error-info", `{"x":1}`, `{"Error":"java.lang.Exception","Cause":"c"}`,
			`{"x":1,"error-info":{"Error":"java.lang.Exception","Cause":"c"}}`},
		{"root replaces", "$", `{"a":1}`, `[1,2]`, `[1,2]`},
		{"array element", "$.a[1]", `{"a":[1,2,3]}`, `"x"`, `{"a":[1,"x",3]}`},
		{"negative array element", "$.a[-1]", `{"a":[1,2,3]}`, `"x"`, `{"a":[1,2,"x"]}`},
		{"object inside array", "$.a[0].b", `{"a":[{"c":1}]}`, `2`, `{"a":[{"c":1,"b":2}]}`},
		{"null result is stored", "$.r", `{}`, `null`, `{"r":null}`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			p, err := CompileResultPath(tt.path)
			if err != nil {
				t.Fatalf("CompileResultPath(%q): %v", tt.path, err)
			}
			input := js(t, tt.input)
			before := compactJSON(input)
			got, err := ApplyResultPath(p, input, js(t, tt.result))
			if err != nil {
				t.Fatalf("ApplyResultPath: %v", err)
			}
			checkValue(t, got, tt.want)
			if after := compactJSON(input); after != before {
				t.Errorf("input was modified: %s, was %s", after, before)
			}
		})
	}
	t.Run("nil path replaces", func(t *testing.T) {
		got, err := ApplyResultPath(nil, js(t, `{"a":1}`), "r")
		if err != nil {
			t.Fatal(err)
		}
		checkValue(t, got, `"r"`)
	})
}

func TestApplyResultPathFailure(t *testing.T) {
	tests := []struct {
		name, path, input, wantCause string
	}{
		// ASL spec, "Runtime Errors": input "foo" with ResultPath "$.x".
		{"string input", "$.x", `"foo"`, "$ is not a JSON object"},
		{"through a number", "$.a.b", `{"a":5}`, "$['a'] is not a JSON object"},
		{"through null", "$.a.b", `{"a":null}`, "$['a'] is not a JSON object"},
		{"index out of range", "$.a[3]", `{"a":[1,2,3]}`, "index 3"},
		{"index into an object", "$.a[0]", `{"a":{"b":1}}`, "is not an array"},
		{"index into a missing field", "$.a[0]", `{}`, "is not an array"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			p, err := CompileResultPath(tt.path)
			if err != nil {
				t.Fatal(err)
			}
			_, err = ApplyResultPath(p, js(t, tt.input), "r")
			checkError(t, err, ErrResultPathMatchFailure, tt.wantCause)
		})
	}
	t.Run("indefinite path is refused", func(t *testing.T) {
		p, _ := CompilePath("$.a[*]")
		_, err := ApplyResultPath(p, js(t, `{"a":[1]}`), "r")
		checkError(t, err, ErrResultPathMatchFailure, "not a reference path")
	})
}
