package asl

import (
	"regexp"
	"strings"
	"testing"
)

// Expected values are the worked examples of the developer guide's
// "Intrinsic functions for JSONPath states" page and of the ASL spec's
// Appendix B, unless a comment says otherwise.
func TestIntrinsicEval(t *testing.T) {
	arrays := `{"inputArray": [1,2,3,4,5,6,7,8,9], "lookingFor": 5, "index": 5}`
	tests := []struct {
		name, expr, input, want string
	}{
		{"Format literal template", "States.Format('Hello, my name is {}.', $.name)", `{"name": "Arnav"}`, `"Hello, my name is Arnav."`},
		{"Format template from a path", "States.Format($.template, $.name)",
			`{"name": "Arnav", "template": "Hello, my name is {}."}`, `"Hello, my name is Arnav."`},
		{"Format with a number (spec)", "States.Format('Your name is {}, we are in the year {}', $.name, 2020)",
			`{"name": "Foo", "zebra": "stripe"}`, `"Your name is Foo, we are in the year 2020"`},
		{"Format with an escaped apostrophe (spec)", `States.Format('Welcome to {} {}\'s playlist.', $.firstName, $.lastName)`,
			`{"firstName": "John", "lastName": "Doe"}`, `"Welcome to John Doe's playlist."`},
		{"Format with escaped braces and backslash", `States.Format('\{\} {} \\', 'x')`, `{}`, `"{} x \\"`},
		{"Format renders null, booleans and objects", "States.Format('{} {} {}', null, true, $.o)",
			`{"o": {"b": [1, 2], "a": 1}}`, `"null true {a=1, b=[1, 2]}"`},
		{"StringToJson", "States.StringToJson($.escapedJsonString)", `{"escapedJsonString": "{\"foo\": \"bar\"}"}`, `{"foo": "bar"}`},
		{"StringToJson keeps numbers (spec)", "States.StringToJson($.someString)", `{"someString": "{\"number\": 20}"}`, `{"number": 20}`},
		{"JsonToString (spec)", "States.JsonToString($.someJson)", `{"someJson": {"name": "Foo", "year": 2020}}`, `"{\"name\":\"Foo\",\"year\":2020}"`},
		{"JsonToString does not escape HTML", "States.JsonToString($.s)", `{"s": "<a&b>"}`, `"\"<a&b>\""`},
		{"Array (spec)", "States.Array('Foo', 2020, $.someJson, null)", `{"someJson": {"random": "abcdefg"}}`,
			`["Foo", 2020, {"random": "abcdefg"}, null]`},
		{"Array of one path", "States.Array($.Id)", `{"Id": 123456}`, `[123456]`},
		{"Array with no arguments", "States.Array()", `{}`, `[]`},
		{"ArrayPartition", "States.ArrayPartition($.inputArray,4)", arrays, `[[1,2,3,4],[5,6,7,8],[9]]`},
		{"ArrayPartition of an empty array", "States.ArrayPartition($.a, 3)", `{"a": []}`, `[]`},
		// AWS truncates fractional sizes here (observed: 2.6 behaves like 2) …
		{"ArrayPartition truncates the chunk size", "States.ArrayPartition($.a, 2.6)", `{"a": [1,2,3,4,5]}`, `[[1,2],[3,4],[5]]`},
		// … and fractional ArrayRange bounds (observed: (5, -0.6, -2) behaves like (5, 0, -2)).
		{"ArrayRange truncates bounds", "States.ArrayRange(5, -0.6, -2)", `{}`, `[5,3,1]`},
		{"ArrayContains", "States.ArrayContains($.inputArray, $.lookingFor)", arrays, `true`},
		{"ArrayContains an object", "States.ArrayContains($.a, $.o)", `{"a": [{"x": 1, "y": [2]}], "o": {"y": [2], "x": 1.0}}`, `true`},
		{"ArrayContains is false", "States.ArrayContains($.inputArray, 'five')", arrays, `false`},
		{"ArrayRange", "States.ArrayRange(1, 9, 2)", `{}`, `[1,3,5,7,9]`},
		{"ArrayRange stops before passing the end", "States.ArrayRange(0, 10, 3)", `{}`, `[0,3,6,9]`},
		{"ArrayRange descending", "States.ArrayRange(5, 1, -2)", `{}`, `[5,3,1]`},
		{"ArrayRange empty when the step points away", "States.ArrayRange(5, 1, 1)", `{}`, `[]`},
		{"ArrayGetItem", "States.ArrayGetItem($.inputArray, $.index)", arrays, `6`},
		{"ArrayLength", "States.ArrayLength($.inputArray)", arrays, `9`},
		{"ArrayUnique", "States.ArrayUnique($.inputArray)", `{"inputArray": [1,2,3,3,3,3,3,3,4]}`, `[1,2,3,4]`},
		{"ArrayUnique on mixed values", "States.ArrayUnique($.a)", `{"a": [null, null, true, "x", "x", [1], [1], {"a": 1}, {"a": 1}]}`,
			`[null, true, "x", [1], {"a": 1}]`},
		{"Base64Encode", "States.Base64Encode($.input)", `{"input": "Data to encode"}`, `"RGF0YSB0byBlbmNvZGU="`},
		{"Base64Decode", "States.Base64Decode($.base64)", `{"base64": "RGF0YSB0byBlbmNvZGU="}`, `"Data to encode"`},
		// The guide prints a 39-digit SHA-1 (a digit dropped); this is the real digest.
		{"Hash SHA-1", "States.Hash($.Data, $.Algorithm)", `{"Data": "input data", "Algorithm": "SHA-1"}`,
			`"aaff4a450a104cd177d28d18d74485e8cae074b7"`},
		{"Hash MD5", "States.Hash('input data', 'MD5')", `{}`, `"812f45842bc6d66ee14572ce20db8e86"`},
		{"JsonMerge (shallow)", "States.JsonMerge($.json1, $.json2, false)",
			`{"json1": {"a": {"a1": 1, "a2": 2}, "b": 2}, "json2": {"a": {"a3": 1, "a4": 2}, "c": 3}}`,
			`{"a": {"a3": 1, "a4": 2}, "b": 2, "c": 3}`},
		{"MathAdd", "States.MathAdd($.value1, $.step)", `{"value1": 111, "step": -1}`, `110`},
		// AWS rounds MathAdd operands to the nearest integer (observed: 1.6 + 2.7 = 5).
		{"MathAdd rounds", "States.MathAdd($.a, $.b)", `{"a": 1.6, "b": 2.7}`, `5`},
		{"StringSplit", "States.StringSplit($.inputString, $.splitter)", `{"inputString": "1,2,3,4,5", "splitter": ","}`,
			`["1","2","3","4","5"]`},
		{"StringSplit on a set of characters", "States.StringSplit($.inputString, $.splitter)",
			`{"inputString": "This.is+a,test=string", "splitter": ".+,="}`, `["This","is","a","test","string"]`},
		// Developer guide: nested calls (its myArn example, with the template given
		// as many {} as arguments).
		{"nested calls", "States.Format('{}.{}', States.ArrayGetItem(States.StringSplit(States.ArrayGetItem(States.StringSplit($.ImageRecipe.Arn, '/'), 2), '.'), 0), States.ArrayGetItem(States.StringSplit(States.ArrayGetItem(States.StringSplit($.ImageRecipe.Arn, '/'), 2), '.'), 1))",
			`{"ImageRecipe": {"Arn": "arn:aws:imagebuilder:us-east-1:123:image-recipe/recipe/2.5.1"}}`, `"2.5"`},
		{"context path argument", "States.Format('{}', $$.Execution.Name)", `{}`, `"run-1"`},
	}
	ctx := js(t, `{"Execution": {"Name": "run-1"}}`)
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			f, err := CompileIntrinsic(tt.expr)
			if err != nil {
				t.Fatalf("CompileIntrinsic: %v", err)
			}
			got, err := f.Eval(js(t, tt.input), ctx)
			if err != nil {
				t.Fatalf("Eval: %v", err)
			}
			checkValue(t, got, tt.want)
		})
	}
}

func TestIntrinsicRandom(t *testing.T) {
	eval := func(expr string) any {
		t.Helper()
		f, err := CompileIntrinsic(expr)
		if err != nil {
			t.Fatal(err)
		}
		v, err := f.Eval(js(t, `{"start": 1, "end": 999}`), nil)
		if err != nil {
			t.Fatal(err)
		}
		return v
	}
	for range 200 {
		n, _ := toFloat(eval("States.MathRandom($.start, $.end)"))
		if n < 1 || n >= 999 || n != float64(int(n)) {
			t.Fatalf("MathRandom(1, 999) = %v, want an integer in [1, 999)", n)
		}
	}
	a, b := eval("States.MathRandom(1, 1000, 7)"), eval("States.MathRandom(1, 1000, 7)")
	if compactJSON(a) != compactJSON(b) {
		t.Errorf("seeded MathRandom gave %v then %v, want the same number", a, b)
	}
	uuid := regexp.MustCompile(`^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$`)
	u1, u2 := eval("States.UUID()").(string), eval("States.UUID()").(string)
	if !uuid.MatchString(u1) || u1 == u2 {
		t.Errorf("UUID() gave %q and %q, want two different v4 UUIDs", u1, u2)
	}
}

func TestIntrinsicEvalErrors(t *testing.T) {
	tests := []struct {
		name, expr, input, wantCause string
	}{
		{"missing path argument", "States.Array($.optional)", `{"requiredProperty": 1}`,
			`The function 'States.Array($.optional)' had the following error: The JsonPath argument for the field '$.optional' could not be found in the input '{"requiredProperty":1}'`},
		{"missing context argument", "States.Array($$.Nope)", `{}`, "could not be found in the context object"},
		{"MathAdd on a string", "States.MathAdd('a', 1)", `{}`, "Invalid arguments in States.MathAdd"},
		{"MathAdd overflows int32", "States.MathAdd(2147483647, 1)", `{}`, "Invalid arguments in States.MathAdd"},
		{"ArrayGetItem out of range", "States.ArrayGetItem($.a, 3)", `{"a": [1, 2, 3]}`, "Invalid arguments in States.ArrayGetItem"},
		{"ArrayPartition chunk 0", "States.ArrayPartition($.a, 0)", `{"a": [1]}`, "Invalid arguments in States.ArrayPartition"},
		{"ArrayPartition of a string", "States.ArrayPartition('not-array', 2)", `{}`, "Invalid arguments in States.ArrayPartition"},
		{"ArrayRange step 0", "States.ArrayRange(1, 9, 0)", `{}`, "Invalid arguments in States.ArrayRange"},
		{"ArrayRange over 1000 items", "States.ArrayRange(1, 1001, 1)", `{}`, "Invalid arguments in States.ArrayRange"},
		{"ArrayLength of an object", "States.ArrayLength($)", `{}`, "Invalid arguments in States.ArrayLength"},
		{"Hash with an unknown algorithm", "States.Hash('x', 'SHA-3')", `{}`, "Invalid arguments in States.Hash"},
		{"Hash over 10000 characters", "States.Hash($.s, 'MD5')", `{"s": "` + strings.Repeat("x", 10001) + `"}`, "Invalid arguments in States.Hash"},
		{"Base64Decode of invalid data", "States.Base64Decode('***')", `{}`, "Invalid arguments in States.Base64Decode"},
		{"StringToJson of invalid JSON", "States.StringToJson('{')", `{}`, "Invalid arguments in States.StringToJson"},
		{"StringToJson with a trailing brace", "States.StringToJson($.s)", `{"s": "{}}"}`, "Invalid arguments in States.StringToJson"},
		{"StringToJson with a trailing bracket", "States.StringToJson($.s)", `{"s": "[1]]"}`, "Invalid arguments in States.StringToJson"},
		{"JsonMerge deep mode is unsupported", "States.JsonMerge($.a, $.a, true)", `{"a": {}}`, "Invalid arguments in States.JsonMerge"},
		{"Format argument count", "States.Format('{} {}', 1)", `{}`, "number of arguments do not match the occurrences of {}"},
		{"MathRandom with equal bounds", "States.MathRandom(1, 1)", `{}`, "Invalid arguments in States.MathRandom"},
		// AWS truncates MathRandom bounds: (1.4, 1.6) is the empty range [1, 1).
		{"MathRandom truncates bounds", "States.MathRandom(1.4, 1.6)", `{}`, "Invalid arguments in States.MathRandom"},
		{"nested failure names the whole call", "States.Array(States.ArrayLength('x'))", `{}`,
			"The function 'States.Array(States.ArrayLength('x'))' had the following error: Invalid arguments in States.ArrayLength"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			f, err := CompileIntrinsic(tt.expr)
			if err != nil {
				t.Fatalf("CompileIntrinsic: %v", err)
			}
			_, err = f.Eval(js(t, tt.input), map[string]any{})
			checkError(t, err, ErrRuntime, tt.wantCause)
		})
	}
	t.Run("ArrayRange of exactly 1000 items", func(t *testing.T) {
		f, _ := CompileIntrinsic("States.ArrayRange(1, 1000, 1)")
		v, err := f.Eval(nil, nil)
		if err != nil || len(v.([]any)) != 1000 {
			t.Errorf("got %d items, %v; want 1000 items", len(v.([]any)), err)
		}
	})
}

func TestCompileIntrinsicErrors(t *testing.T) {
	tests := []struct {
		name, expr, wantMsg string
	}{
		{"unknown function", "States.Nope(1)", "unknown intrinsic function States.Nope"},
		{"space before the parenthesis", "States.Array ($.a)", "must be followed immediately by '('"},
		{"missing closing parenthesis", "States.Array($.a", "missing ')'"},
		{"open escape (spec)", `States.Format('a\b')`, "open escape"},
		{"unterminated string", "States.Format('abc)", "unterminated string"},
		{"too few arguments", "States.MathAdd(1)", "States.MathAdd takes 2 argument(s), got 1"},
		{"too many arguments", "States.UUID(1)", "States.UUID takes 0 argument(s), got 1"},
		{"MathRandom arity", "States.MathRandom(1, 2, 3, 4)", "takes 2 to 3 argument(s)"},
		{"JsonToString needs a Path (spec)", "States.JsonToString('x')", "must be a Path"},
		{"Format needs a string template", "States.Format(1)", "first argument of States.Format must be a string"},
		{"trailing text", "States.Array() x", "after the closing ')'"},
		{"empty argument", "States.ArrayPartition($.arr, )", "expected an argument"},
		{"bare word", "States.Array(hello)", "strings must be in apostrophes"},
		{"bad number", "States.Array(1.2.3)", "invalid number"},
		{"bad path argument", "States.Array($.a[)", "invalid path"},
		{"nested deeper than 10", strings.Repeat("States.Array(", 11) + strings.Repeat(")", 11), "nested more than 10 deep"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := CompileIntrinsic(tt.expr)
			checkCompileError(t, err, tt.wantMsg)
		})
	}
	if _, err := CompileIntrinsic(strings.Repeat("States.Array(", 10) + strings.Repeat(")", 10)); err != nil {
		t.Errorf("10 nested calls: %v, want them accepted", err)
	}
}
