package stepfunctions

import (
	"bytes"
	"encoding/json"
	"fmt"
	"math"
	"sort"
	"strings"
	"unicode/utf8"

	"github.com/hitl-go/docsign/local/stepfunctions/asl"
)

// machineDef is a loaded, validated state machine definition.
type machineDef struct {
	timeoutSeconds int64 // 0: no machine-level timeout
	root           *scope
}

// A scope is a StartAt and its States: the machine itself, a Parallel
// branch or a Map's ItemProcessor. Transitions never leave a scope.
type scope struct {
	startAt string
	states  map[string]*stateDef
}

// maxDefinitionSize is AWS's quota on a definition (1 MB).
const maxDefinitionSize = 1 << 20

// parseDefinition loads an Amazon States Language definition (JSONPath
// query language) and checks it the way CreateStateMachine does. Anything
// outside the engine's scope is refused with a message naming the state
// and the field.
func parseDefinition(text string) (*machineDef, *APIError) {
	if len(text) > maxDefinitionSize {
		return nil, validationError("definition", "", "Member must have length less than or equal to 1048576")
	}
	dec := json.NewDecoder(bytes.NewReader([]byte(text)))
	dec.UseNumber()
	var raw any
	if err := dec.Decode(&raw); err != nil || dec.More() {
		msg := "Definition must be a valid JSON object"
		if err != nil {
			msg = "INVALID_JSON_DESCRIPTION: " + err.Error()
		}
		return nil, apiErrorf(codeInvalidDefinition, "Invalid State Machine Definition: '%s'", msg)
	}
	l := &loader{}
	def := l.machine(raw)
	if len(l.diags) > 0 {
		return nil, apiErrorf(codeInvalidDefinition, "Invalid State Machine Definition: '%s'", strings.Join(l.diags, ", "))
	}
	return def, nil
}

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

// machine reads the top level of a definition.
func (l *loader) machine(raw any) *machineDef {
	o, ok := l.object(raw, "/")
	if !ok {
		return nil
	}
	o.loc = ""
	if ql, ok := o.str("QueryLanguage"); ok {
		l.queryLanguage(ql, "/QueryLanguage")
	}
	def := &machineDef{}
	top := object{l: l, loc: "/", m: o.m}
	top.allow([]string{"Comment", "StartAt", "States", "Version", "TimeoutSeconds", "QueryLanguage"}, nil)
	if v, ok := o.str("Version"); ok && v != "1.0" {
		l.fail(diagSchema, "/Version", "Value is not supported, expected \"1.0\"")
	}
	def.timeoutSeconds, _ = o.integer("TimeoutSeconds", 1, 99999999)
	def.root = l.scope(o, "")
	return def
}

// queryLanguage accepts JSONPath, the only query language this engine runs.
func (l *loader) queryLanguage(ql, loc string) {
	switch ql {
	case "JSONPath":
	case "JSONata":
		l.fail(diagSchema, loc, "QueryLanguage 'JSONata' is not supported by this local Step Functions engine; use JSONPath")
	default:
		l.fail(diagSchema, loc, "Value is not a supported QueryLanguage: '%s'", ql)
	}
}

// scope reads StartAt and States of o (whose location prefix is loc), then
// checks its transitions.
func (l *loader) scope(o object, loc string) *scope {
	if !(object{l: l, loc: orRoot(loc), m: o.m}).require("StartAt", "States") {
		return nil
	}
	sc := &scope{states: make(map[string]*stateDef)}
	sc.startAt, _ = o.str("StartAt")
	states, ok := l.object(o.m["States"], loc+"/States")
	if !ok {
		return nil
	}
	if len(states.m) == 0 {
		l.fail(diagSchema, loc+"/States", "States must contain at least one state")
	}
	for _, name := range sortedKeys(states.m) {
		sloc := loc + "/States/" + name
		if utf8.RuneCountInString(name) > maxNameLen || name == "" {
			l.fail(diagSchema, sloc, "State name must be 1 to 80 characters long")
		}
		if st := l.state(name, states.m[name], sloc); st != nil {
			sc.states[name] = st
		}
	}
	l.checkTransitions(sc, loc)
	return sc
}

func orRoot(loc string) string {
	if loc == "" {
		return "/"
	}
	return loc
}

func sortedKeys(m map[string]any) []string {
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	return keys
}

// compileError reports an asl compile error for a field.
func (l *loader) compileError(loc string, err error) {
	l.fail(diagSchema, loc, "%s", err.Error())
}

// compile helpers used by the state readers.

func (o object) path(field string) ioPath {
	v, ok := o.m[field]
	if !ok {
		return ioPath{}
	}
	if v == nil {
		return ioPath{null: true}
	}
	s, ok := o.str(field)
	if !ok {
		return ioPath{}
	}
	p, err := asl.CompilePath(s)
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

func (o object) resultPath(field string) ioPath {
	v, ok := o.m[field]
	if !ok {
		return ioPath{}
	}
	if v == nil {
		return ioPath{null: true}
	}
	s, ok := o.str(field)
	if !ok {
		return ioPath{}
	}
	p, err := asl.CompileResultPath(s)
	if err != nil {
		o.l.compileError(o.at(field), err)
	}
	return ioPath{path: p}
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
