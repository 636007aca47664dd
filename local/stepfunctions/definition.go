package stepfunctions

import (
	"sort"
	"strings"
	"unicode/utf8"

	"github.com/hitl-go/docsign/local/internal/apierror"
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
	raw, err := decodeJSON([]byte(text))
	if err != nil {
		return nil, apierror.New(codeInvalidDefinition, "Invalid State Machine Definition: 'INVALID_JSON_DESCRIPTION: %s'", err.Error())
	}
	l := &loader{}
	def := l.machine(raw)
	if len(l.diags) > 0 {
		return nil, apierror.New(codeInvalidDefinition, "Invalid State Machine Definition: '%s'", strings.Join(l.diags, ", "))
	}
	return def, nil
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
