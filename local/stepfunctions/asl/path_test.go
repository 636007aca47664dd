package asl

import (
	"testing"
)

func TestPathSelect(t *testing.T) {
	// Developer guide, "Paths" (Reference Paths example).
	refInput := `{"foo": 123, "bar": ["a", "b", "c"], "car": {"cdr": true},
		"jar": [{"a": 1}, {"a": 5}, {"a": 2}, {"a": 7}, {"a": 3}]}`
	// Developer guide, "Manipulate parameters …" (InputPath example).
	ioInput := `{"comment": "Example for InputPath.",
		"dataset1": {"val1": 1, "val2": 2, "val3": 3},
		"dataset2": {"val1": "a", "val2": "b", "val3": "c"}}`
	tests := []struct {
		name, path, input, context, want string
	}{
		{"reference path number", "$.foo", refInput, "", `123`},
		{"reference path array", "$.bar", refInput, "", `["a","b","c"]`},
		{"reference path nested", "$.car.cdr", refInput, "", `true`},
		{"filter (Paths page)", "$.jar[?(@.a >= 5)]", refInput, "", `[{"a":5},{"a":7}]`},
		{"InputPath example", "$.dataset2", ioInput, "", `{"val1":"a","val2":"b","val3":"c"}`},
		{"slice yields an array (InputPath note)", "$.a[0:2]", `{"a":[1,2,3,4]}`, "", `[1,2]`},
		{"union yields an array (spec)", "$.a[0,1]", `{"a":[1,2,3,4]}`, "", `[1,2]`},
		{"root", "$", `{"x":1}`, "", `{"x":1}`},
		{"bracket names (spec)", "$['store']['book']", `{"store":{"book":"b"}}`, "", `"b"`},
		{"hyphenated name (Jayway dot notation)", "$.error-info.Cause", `{"error-info":{"Cause":"c"}}`, "", `"c"`},
		{"escaped dot in name (spec)", `$.store\.book`, `{"store.book":1,"store":{"book":2}}`, "", `1`},
		{"unicode escape in name (spec)", `$.\uD800\uDF46`, `{"𐍆":"x"}`, "", `"x"`},
		{"negative index", "$.bar[-1]", refInput, "", `"c"`},
		{"wildcard", "$.car.*", refInput, "", `[true]`},
		{"descendant", "$..a", `{"x":{"a":1,"y":[{"a":2}]}}`, "", `[1,2]`},
		{"indefinite with no match", "$.jar[?(@.a > 100)]", refInput, "", `[]`},
		{"null value is a match", "$.x", `{"x":null}`, "", `null`},
		{"context object", "$$.Execution.Id", `{}`, `{"Execution":{"Id":"arn:x"}}`, `"arn:x"`},
		{"whole context", "$$", `{}`, `{"a":1}`, `{"a":1}`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			p, err := CompilePath(tt.path)
			if err != nil {
				t.Fatalf("CompilePath(%q): %v", tt.path, err)
			}
			got, err := p.Select(js(t, tt.input), js(t, tt.context))
			if err != nil {
				t.Fatalf("Select: %v", err)
			}
			checkValue(t, got, tt.want)
		})
	}
}

func TestPathSelectNoMatch(t *testing.T) {
	tests := []struct {
		name, path, input, wantCause string
	}{
		// Cause as AWS writes it for InputPath/OutputPath (Jayway's message).
		{"missing field", "$.missing", `{"a":1}`, "Invalid path '$.missing' : No results for path: $['missing']"},
		{"missing nested", "$.a.b[0]", `{"a":{}}`, "No results for path: $['a']['b'][0]"},
		{"null input (developer guide: InputPath on a null payload)", "$.a", ``, "Invalid path '$.a'"},
		{"string input", "$.x", `"foo"`, "Invalid path '$.x'"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			p, err := CompilePath(tt.path)
			if err != nil {
				t.Fatal(err)
			}
			_, err = p.Select(js(t, tt.input), nil)
			checkError(t, err, ErrRuntime, tt.wantCause)
		})
	}
	t.Run("SelectAs names the error", func(t *testing.T) {
		p, _ := CompilePath("$.x")
		_, err := p.SelectAs(ErrParameterPathFailure, map[string]any{}, nil)
		checkError(t, err, ErrParameterPathFailure, "Invalid path '$.x'")
	})
	t.Run("Lookup reports absence without error", func(t *testing.T) {
		p, _ := CompilePath("$.x")
		if v, ok := p.Lookup(map[string]any{}, nil); ok || v != nil {
			t.Errorf("got %v, %v; want nil, false", v, ok)
		}
	})
}

func TestCompilePathErrors(t *testing.T) {
	tests := []struct {
		name, path, wantMsg string
		compile             func(string) (*Path, error)
	}{
		{"empty", "", "must begin with '$'", CompilePath},
		{"no dollar", "foo.bar", "must begin with '$'", CompilePath},
		{"trailing dot", "$.", "empty member name", CompilePath},
		{"unclosed bracket", "$.a[0", "unclosed '['", CompilePath},
		{"function", "$.a.length()", "length() are not supported", CompilePath},
		{"junk after dollar", "$x", "unexpected character 'x'", CompilePath},
		{"open escape", `$.a\`, "open escape", CompilePath},
		{"bad filter", "$.a[?(@.b ==)]", `invalid path "$.a[?(@.b ==)]"`, CompilePath},
		{"reference path with filter", "$.a[?(@.b)]", "must select a single node", CompileReferencePath},
		{"reference path with wildcard", "$.a[*]", "must select a single node", CompileReferencePath},
		{"reference path with descendant", "$..a", "must select a single node", CompileReferencePath},
		{"ResultPath into the context", "$$.Execution", `must not begin with "$$"`, CompileResultPath},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := tt.compile(tt.path)
			checkCompileError(t, err, tt.wantMsg)
		})
	}
}

func TestCompileExpr(t *testing.T) {
	in := js(t, `{"Error":"E1","n":"x"}`)
	tests := []struct{ expr, want string }{
		{"$.Error", `"E1"`},
		{"States.Format('bad {}', $.n)", `"bad x"`},
	}
	for _, tt := range tests {
		e, err := CompileExpr(tt.expr)
		if err != nil {
			t.Fatalf("CompileExpr(%q): %v", tt.expr, err)
		}
		got, err := e.Eval(in, nil)
		if err != nil {
			t.Fatalf("Eval(%q): %v", tt.expr, err)
		}
		checkValue(t, got, tt.want)
	}
	if _, err := CompileExpr("$.a[*]"); err == nil {
		t.Error("CompileExpr accepted an indefinite path; ErrorPath must be a reference path")
	}
}
