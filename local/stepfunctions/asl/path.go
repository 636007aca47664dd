package asl

import (
	"fmt"
	"strconv"
	"strings"

	"github.com/theory/jsonpath"
	"github.com/theory/jsonpath/spec"
)

// Path is a compiled ASL Path: "$…" applies to the state's input and "$$…" to
// the context object (ASL spec, "Paths"). A definite path (only names and
// indexes) selects one node; any other path selects a list of nodes, which is
// returned as a JSON array (ASL spec, "Using InputPath, Parameters, …": "the
// interpreter gathers the texts into an array").
type Path struct {
	raw     string
	context bool
	query   *jsonpath.Path
	steps   []step // set when the path is definite
}

// step is one name or index of a definite path.
type step struct {
	name  string
	index int
	isIdx bool
}

// CompilePath compiles any ASL Path, including filters, slices, wildcards and
// descendant segments. Errors name the problem.
func CompilePath(s string) (*Path, error) {
	p := &Path{raw: s}
	expr := s
	if strings.HasPrefix(s, "$$") {
		p.context = true
		expr = s[1:]
	}
	rfc, err := toRFC9535(expr)
	if err != nil {
		return nil, fmt.Errorf("invalid path %q: %w", s, err)
	}
	q, err := jsonpath.Parse(rfc)
	if err != nil {
		return nil, fmt.Errorf("invalid path %q: %w", s, err)
	}
	p.query = q
	if q.Query().Singular() != nil {
		p.steps = definiteSteps(q.Query())
	}
	return p, nil
}

// CompileReferencePath compiles a Reference Path: a path that identifies a
// single node using only dot and bracket names and indexes ("@ .. , : ? *"
// and functions are not allowed; developer guide, "Reference Paths"). It is
// used for ItemsPath, SecondsPath, TimestampPath and similar fields; "$$"
// (the context object) is allowed.
func CompileReferencePath(s string) (*Path, error) {
	p, err := CompilePath(s)
	if err != nil {
		return nil, err
	}
	if p.steps == nil {
		return nil, fmt.Errorf("invalid reference path %q: only '.name', ['name'] and [index] are allowed, it must select a single node", s)
	}
	return p, nil
}

// CompileResultPath compiles a ResultPath value: a Reference Path that must
// not begin with "$$" (ASL spec, "Using InputPath, Parameters, …").
func CompileResultPath(s string) (*Path, error) {
	if strings.HasPrefix(s, "$$") {
		return nil, fmt.Errorf("invalid ResultPath %q: it must not begin with \"$$\" (the context object cannot be written)", s)
	}
	return CompileReferencePath(s)
}

func definiteSteps(q *spec.PathQuery) []step {
	steps := []step{}
	for _, seg := range q.Segments() {
		switch sel := seg.Selectors()[0].(type) {
		case spec.Name:
			steps = append(steps, step{name: string(sel)})
		case spec.Index:
			steps = append(steps, step{index: int(sel), isIdx: true})
		}
	}
	return steps
}

// String returns the path as written in the definition.
func (p *Path) String() string { return p.raw }

// IsContext reports whether the path reads the context object ("$$…").
func (p *Path) IsContext() bool { return p.context }

// IsDefinite reports whether the path selects a single node (only names and
// indexes); an indefinite path always yields an array.
func (p *Path) IsDefinite() bool { return p.steps != nil }

// Lookup applies the path to input (or to context for "$$" paths). A definite
// path reports found=false when it selects nothing; an indefinite path always
// succeeds with an array of the matches (possibly empty).
func (p *Path) Lookup(input, context any) (value any, found bool) {
	root := input
	if p.context {
		root = context
	}
	nodes := p.query.Select(root)
	if p.steps == nil {
		return []any(append(make([]any, 0, len(nodes)), nodes...)), true
	}
	if len(nodes) == 0 {
		return nil, false
	}
	return nodes[0], true
}

// Select is Lookup for fields where a path that selects nothing is an error
// (InputPath, OutputPath, ItemsPath, SecondsPath, …): it returns *Error
// States.Runtime with AWS's cause "Invalid path '$.x' : No results for path:
// $['x']".
func (p *Path) Select(input, context any) (any, error) {
	return p.SelectAs(ErrRuntime, input, context)
}

// SelectAs is Select with a chosen error name for the no-match case.
func (p *Path) SelectAs(errorName string, input, context any) (any, error) {
	v, ok := p.Lookup(input, context)
	if !ok {
		return nil, &Error{Name: errorName, Cause: fmt.Sprintf("Invalid path '%s' : No results for path: %s", p.raw, p.normalized())}
	}
	return v, nil
}

// Eval is Select; it lets a Path serve as an Expr.
func (p *Path) Eval(input, context any) (any, error) { return p.Select(input, context) }

// normalized renders a definite path the way Jayway JsonPath prints it in
// AWS's causes: $['a']['b'][0].
func (p *Path) normalized() string {
	var b strings.Builder
	b.WriteByte('$')
	for _, s := range p.steps {
		if s.isIdx {
			b.WriteString("[" + strconv.Itoa(s.index) + "]")
		} else {
			b.WriteString("['" + s.name + "']")
		}
	}
	return b.String()
}

// Expr is a compiled string field whose value is either a Path or an
// intrinsic function call, such as a Fail state's ErrorPath and CausePath.
type Expr interface {
	Eval(input, context any) (any, error)
	String() string
}

// CompileExpr compiles s as a Reference Path when it begins with '$' and as
// an intrinsic function otherwise (ASL spec, Fail state: "ErrorPath and
// CausePath … MUST be Reference Paths or Intrinsic Functions").
func CompileExpr(s string) (Expr, error) {
	if strings.HasPrefix(s, "$") {
		p, err := CompileReferencePath(s)
		if err != nil {
			return nil, err
		}
		return p, nil
	}
	f, err := CompileIntrinsic(s)
	if err != nil {
		return nil, err
	}
	return f, nil
}
