package stepfunctions

import (
	"encoding/json"
	"fmt"
	"math"
	"sort"
	"strings"

	"github.com/hitl-go/docsign/local/stepfunctions/asl"
)

// Diagnostic codes of AWS's definition validation.
const (
	diagSchema     = "SCHEMA_VALIDATION_FAILED"
	diagTransition = "MISSING_TRANSITION_TARGET"
	diagEndState   = "MISSING_END_STATE"
)

// loader collects diagnostics while a definition is loaded.
type loader struct {
	diags []string
}

// fail records a diagnostic; loc is a JSON pointer such as "/States/A/Next"
// ("" when AWS gives none).
func (l *loader) fail(code, loc, format string, args ...any) {
	d := code + ": " + fmt.Sprintf(format, args...)
	if loc != "" {
		d += " at " + loc
	}
	l.diags = append(l.diags, d)
}

// object is a JSON object of the definition being read, with its location.
type object struct {
	l   *loader
	loc string
	m   map[string]any
}

func (l *loader) object(v any, loc string) (object, bool) {
	m, ok := v.(map[string]any)
	if !ok {
		l.fail(diagSchema, loc, "Expected value of type Object")
	}
	return object{l: l, loc: loc, m: m}, ok
}

func (o object) has(field string) bool {
	_, ok := o.m[field]
	return ok
}

func (o object) at(field string) string { return o.loc + "/" + field }

// allow refuses the fields of o outside allowed (AWS refuses them too) and
// those in outOfScope (AWS accepts them; this engine does not run them).
func (o object) allow(allowed, outOfScope []string) {
	var unknown []string
	for k := range o.m {
		if !contains(allowed, k) {
			unknown = append(unknown, k)
		}
	}
	sort.Strings(unknown)
	for _, k := range unknown {
		if contains(outOfScope, k) {
			o.l.fail(diagSchema, o.loc, "Field '%s' is not supported by this local Step Functions engine", k)
			continue
		}
		o.l.fail(diagSchema, o.loc, "Field '%s' is not supported", k)
	}
}

func (o object) require(fields ...string) bool {
	var missing []string
	for _, f := range fields {
		if !o.has(f) {
			missing = append(missing, f)
		}
	}
	if len(missing) > 0 {
		o.l.fail(diagSchema, o.loc, "These fields are required: [%s]", strings.Join(missing, ", "))
	}
	return len(missing) == 0
}

// exclusive refuses more than one of fields.
func (o object) exclusive(fields ...string) bool {
	n := 0
	for _, f := range fields {
		if o.has(f) {
			n++
		}
	}
	if n > 1 {
		o.l.fail(diagSchema, o.loc, "There should only be one of the following fields: [%s]", strings.Join(fields, ", "))
	}
	return n <= 1
}

// nonEmptyArray reads a required field that must be a non-empty array.
func (o object) nonEmptyArray(field string) ([]any, bool) {
	if !o.require(field) {
		return nil, false
	}
	list, ok := o.m[field].([]any)
	if !ok || len(list) == 0 {
		o.l.fail(diagSchema, o.at(field), "%s must be a non-empty array", field)
		return nil, false
	}
	return list, true
}

func (o object) str(field string) (string, bool) {
	v, ok := o.m[field]
	if !ok {
		return "", false
	}
	s, isStr := v.(string)
	if !isStr {
		o.l.fail(diagSchema, o.at(field), "Expected value of type String")
	}
	return s, isStr
}

func (o object) boolean(field string) (bool, bool) {
	v, ok := o.m[field]
	if !ok {
		return false, false
	}
	b, isBool := v.(bool)
	if !isBool {
		o.l.fail(diagSchema, o.at(field), "Expected value of type Boolean")
	}
	return b, isBool
}

// integer reads an integer field within [min, max].
func (o object) integer(field string, min, max int64) (int64, bool) {
	v, ok := o.m[field]
	if !ok {
		return 0, false
	}
	f, isNum := number(v)
	if !isNum || f != math.Trunc(f) {
		o.l.fail(diagSchema, o.at(field), "Expected value of type Integer")
		return 0, false
	}
	if f < float64(min) {
		o.l.fail(diagSchema, o.at(field), "Minimum value is %d", min)
		return 0, false
	}
	if f > float64(max) {
		o.l.fail(diagSchema, o.at(field), "Maximum value is %d", max)
		return 0, false
	}
	return int64(f), true
}

func (o object) float(field string, min float64) (float64, bool) {
	v, ok := o.m[field]
	if !ok {
		return 0, false
	}
	f, isNum := number(v)
	if !isNum {
		o.l.fail(diagSchema, o.at(field), "Expected value of type Number")
		return 0, false
	}
	if f < min {
		o.l.fail(diagSchema, o.at(field), "Minimum value is %.1f", min)
		return 0, false
	}
	return f, true
}

func (o object) stringList(field string) ([]string, bool) {
	v, ok := o.m[field]
	if !ok {
		return nil, false
	}
	arr, isArr := v.([]any)
	out := make([]string, 0, len(arr))
	for _, e := range arr {
		s, isStr := e.(string)
		if !isStr {
			isArr = false
			break
		}
		out = append(out, s)
	}
	if !isArr {
		o.l.fail(diagSchema, o.at(field), "Expected value of type Array of String")
		return nil, false
	}
	return out, true
}

// number reads a JSON number: json.Number from decoded JSON, or a Go
// number built by an intrinsic function.
func number(v any) (float64, bool) {
	switch n := v.(type) {
	case json.Number:
		f, err := n.Float64()
		return f, err == nil
	case float64:
		return n, true
	case int:
		return float64(n), true
	case int64:
		return float64(n), true
	}
	return 0, false
}

func contains(list []string, s string) bool {
	for _, e := range list {
		if e == s {
			return true
		}
	}
	return false
}

// compile helpers used by the state readers.

// path compiles an InputPath or OutputPath (null allowed).
func (o object) path(field string) ioPath { return o.nullablePath(field, asl.CompilePath) }

// resultPath compiles a ResultPath (null allowed).
func (o object) resultPath(field string) ioPath { return o.nullablePath(field, asl.CompileResultPath) }

func (o object) nullablePath(field string, compile func(string) (*asl.Path, error)) ioPath {
	if v, ok := o.m[field]; ok && v == nil {
		return ioPath{null: true}
	}
	s, ok := o.str(field)
	if !ok {
		return ioPath{}
	}
	p, err := compile(s)
	if err != nil {
		o.l.compileError(o.at(field), err)
	}
	return ioPath{path: p}
}

func (o object) referencePath(field string) *asl.Path {
	s, ok := o.str(field)
	if !ok {
		return nil
	}
	p, err := asl.CompileReferencePath(s)
	if err != nil {
		o.l.compileError(o.at(field), err)
	}
	return p
}

func (o object) template(field string) *asl.Template {
	v, ok := o.m[field]
	if !ok {
		return nil
	}
	t, err := asl.CompileTemplateValue(v)
	if err != nil {
		o.l.compileError(o.at(field), err)
	}
	return t
}
