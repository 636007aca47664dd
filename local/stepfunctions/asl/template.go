package asl

import (
	"encoding/json"
	"fmt"
	"maps"
	"slices"
	"strings"
)

// Template is a compiled payload template: the value of Parameters,
// ResultSelector or ItemSelector (ASL spec, "Payload Template"). A field whose
// name ends in ".$" is renamed without the suffix and its value — a Path
// ("$…" on the input, "$$…" on the context object) or an intrinsic function —
// is evaluated; every other value is copied; objects and arrays at any depth
// are processed the same way.
type Template struct {
	root tnode
}

type tnode interface {
	eval(in, ctx any) (any, error)
}

type tStatic struct{ v any }

func (t tStatic) eval(_, _ any) (any, error) { return t.v, nil }

type tArray []tnode

func (t tArray) eval(in, ctx any) (any, error) {
	out := make([]any, len(t))
	for i, n := range t {
		v, err := n.eval(in, ctx)
		if err != nil {
			return nil, err
		}
		out[i] = v
	}
	return out, nil
}

type tField struct {
	name string
	node tnode
}

type tObject []tField

func (t tObject) eval(in, ctx any) (any, error) {
	out := make(map[string]any, len(t))
	for _, f := range t {
		v, err := f.node.eval(in, ctx)
		if err != nil {
			return nil, err
		}
		out[f.name] = v
	}
	return out, nil
}

// tPath is a "name.$": "$…" field.
type tPath struct {
	field string // the field name as written, with ".$"
	path  *Path
}

func (t tPath) eval(in, ctx any) (any, error) {
	if v, ok := t.path.Lookup(in, ctx); ok {
		return v, nil
	}
	if t.path.IsContext() {
		return nil, runtimeError("The JSONPath '%s' specified for the field '%s' could not be found in the context object", t.path, t.field)
	}
	return nil, runtimeError("The JSONPath '%s' specified for the field '%s' could not be found in the input '%s'", t.path, t.field, compactJSON(in))
}

type tIntrinsic struct{ f *Intrinsic }

func (t tIntrinsic) eval(in, ctx any) (any, error) { return t.f.Eval(in, ctx) }

// CompileTemplate compiles a payload template from its JSON text, which must
// be a JSON object. Paths and intrinsic functions are validated here; errors
// name the field, e.g. `field "parts.first.$": invalid path "$.[": …`.
func CompileTemplate(raw json.RawMessage) (*Template, error) {
	v, err := decodeJSON(raw)
	if err != nil {
		return nil, fmt.Errorf("payload template is not valid JSON: %w", err)
	}
	return CompileTemplateValue(v)
}

// CompileTemplateValue is CompileTemplate for an already decoded value.
func CompileTemplateValue(v any) (*Template, error) {
	if _, ok := v.(map[string]any); !ok {
		return nil, fmt.Errorf("payload template must be a JSON object, got %s", jsonType(v))
	}
	root, err := compileNode(v, "")
	if err != nil {
		return nil, err
	}
	return &Template{root: root}, nil
}

// Eval builds the payload from the template's input and the context object.
// A path that selects nothing and a failing intrinsic function give *Error
// States.Runtime with AWS's cause (see the package documentation).
func (t *Template) Eval(input, context any) (any, error) {
	return t.root.eval(input, context)
}

func compileNode(v any, where string) (tnode, error) {
	switch x := v.(type) {
	case map[string]any:
		return compileObject(x, where)
	case []any:
		arr := make(tArray, len(x))
		for i, e := range x {
			n, err := compileNode(e, fmt.Sprintf("%s[%d]", where, i))
			if err != nil {
				return nil, err
			}
			arr[i] = n
		}
		return arr, nil
	}
	return tStatic{v}, nil
}

func compileObject(obj map[string]any, where string) (tnode, error) {
	out := make(tObject, 0, len(obj))
	seen := map[string]string{}
	for _, key := range slices.Sorted(maps.Keys(obj)) {
		at := strings.TrimPrefix(where+"."+key, ".")
		name, dynamic := strings.CutSuffix(key, ".$")
		if other, dup := seen[name]; dup {
			return nil, fmt.Errorf("field %q: the fields %q and %q both become %q", at, other, key, name)
		}
		seen[name] = key
		var node tnode
		var err error
		if dynamic {
			node, err = compileDynamic(obj[key], key)
		} else {
			node, err = compileNode(obj[key], at)
		}
		if err != nil {
			if dynamic {
				err = fmt.Errorf("field %q: %w", at, err)
			}
			return nil, err
		}
		out = append(out, tField{name: name, node: node})
	}
	return out, nil
}

// compileDynamic compiles the value of a field whose name ends in ".$".
func compileDynamic(v any, field string) (tnode, error) {
	s, ok := v.(string)
	if !ok {
		return nil, fmt.Errorf("the value of a field ending in \".$\" must be a string (a path or an intrinsic function), got %s", jsonType(v))
	}
	if strings.HasPrefix(s, "$") {
		p, err := CompilePath(s)
		if err != nil {
			return nil, err
		}
		return tPath{field: field, path: p}, nil
	}
	f, err := CompileIntrinsic(s)
	if err != nil {
		return nil, err
	}
	return tIntrinsic{f}, nil
}

func jsonType(v any) string {
	switch v.(type) {
	case nil:
		return "null"
	case map[string]any:
		return "an object"
	case []any:
		return "an array"
	case string:
		return "a string"
	case bool:
		return "a boolean"
	}
	return "a number"
}
