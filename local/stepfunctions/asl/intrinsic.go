package asl

import (
	"errors"
	"fmt"
	"strings"
)

// maxNesting is how deep intrinsic calls may nest in one field (developer
// guide, "Intrinsic functions": "You can nest up to 10 intrinsic functions
// within a field").
const maxNesting = 10

// Intrinsic is a compiled intrinsic function call such as
// "States.Format('Hello, {}', $.name)" (ASL spec, "Intrinsic Functions").
// Arguments are string literals in apostrophes (escapes \' \{ \} \\), numbers,
// null, true, false, Paths ("$…" or "$$…") and nested calls.
type Intrinsic struct {
	src  string
	call *call
}

// node is one argument of a call: a literal, a path or a nested call.
type node interface {
	eval(in, ctx any) (any, error)
}

type literal struct {
	value any
	raw   string // a string literal's text between the apostrophes, escapes kept
}

func (l *literal) eval(_, _ any) (any, error) { return l.value, nil }

type pathArg struct{ path *Path }

func (a *pathArg) eval(in, ctx any) (any, error) {
	v, ok := a.path.Lookup(in, ctx)
	if ok {
		return v, nil
	}
	where := "the input '" + compactJSON(in) + "'"
	if a.path.IsContext() {
		where = "the context object" // never echo the context: it holds the task token
	}
	return nil, &argError{msg: fmt.Sprintf("The JsonPath argument for the field '%s' could not be found in %s", a.path.String(), where)}
}

type call struct {
	fn     *function
	args   []node
	format []fmtPart // States.Format with a literal template: its parts, parsed at load
}

func (c *call) eval(in, ctx any) (any, error) {
	vals := make([]any, len(c.args))
	for i, a := range c.args {
		v, err := a.eval(in, ctx)
		if err != nil {
			return nil, err
		}
		vals[i] = v
	}
	out, err := c.fn.impl(c, vals)
	if err != nil {
		var ae *argError
		if errors.As(err, &ae) {
			return nil, err
		}
		return nil, &argError{msg: "Invalid arguments in " + c.fn.name}
	}
	return out, nil
}

// argError carries the text AWS puts after "The function '…' had the
// following error: ".
type argError struct{ msg string }

func (e *argError) Error() string { return e.msg }

// CompileIntrinsic parses and validates an intrinsic function call: known
// function names, argument counts, literal syntax (an open escape backslash is
// an error), paths and nesting depth. Argument types are checked when the
// call is evaluated, as AWS does.
func CompileIntrinsic(expr string) (*Intrinsic, error) {
	p := &parser{s: expr}
	c, err := p.call()
	if err == nil {
		p.skipSpace()
		if p.i < len(p.s) {
			err = fmt.Errorf("unexpected %q after the closing ')' at offset %d", p.s[p.i], p.i)
		}
	}
	if err != nil {
		return nil, fmt.Errorf("invalid intrinsic function %q: %w", expr, err)
	}
	return &Intrinsic{src: expr, call: c}, nil
}

// String returns the call as written in the definition.
func (f *Intrinsic) String() string { return f.src }

// Eval evaluates the call against the payload template's input and the
// context object. A path argument that selects nothing and invalid arguments
// both give *Error States.Runtime with AWS's cause "The function '<call>' had
// the following error: …".
func (f *Intrinsic) Eval(input, context any) (any, error) {
	v, err := f.call.eval(input, context)
	if err != nil {
		return nil, runtimeError("The function '%s' had the following error: %s", f.src, err.Error())
	}
	return v, nil
}

// fmtPart is a literal piece of a States.Format template or, when hole is
// set, a "{}" placeholder.
type fmtPart struct {
	text string
	hole bool
}

// parseFormat splits a States.Format template into literal text and "{}"
// placeholders; "\{", "\}", "\'" and "\\" stand for the character itself.
func parseFormat(t string) []fmtPart {
	var parts []fmtPart
	var lit strings.Builder
	for i := 0; i < len(t); i++ {
		switch {
		case t[i] == '\\' && i+1 < len(t) && strings.IndexByte(`{}'\`, t[i+1]) >= 0:
			i++
			lit.WriteByte(t[i])
		case t[i] == '{' && i+1 < len(t) && t[i+1] == '}':
			parts = append(parts, fmtPart{text: lit.String()}, fmtPart{hole: true})
			lit.Reset()
			i++
		default:
			lit.WriteByte(t[i])
		}
	}
	return append(parts, fmtPart{text: lit.String()})
}

func holes(parts []fmtPart) int {
	n := 0
	for _, p := range parts {
		if p.hole {
			n++
		}
	}
	return n
}
