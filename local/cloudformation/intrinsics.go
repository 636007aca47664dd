package cloudformation

import (
	"encoding/base64"
	"strconv"
	"strings"
)

// getAtt resolves Fn::GetAtt: ["LogicalId", "Attr"] or "LogicalId.Attr".
// The attribute name may itself be an intrinsic (e.g. a Ref to a parameter).
func (r *resolver) getAtt(arg any, path string) (any, error) {
	var id, attr string
	switch a := arg.(type) {
	case string:
		var ok bool
		if id, attr, ok = strings.Cut(a, "."); !ok {
			return nil, r.errorf(path, ErrMalformed, "want \"LogicalId.Attribute\", got %q", a)
		}
	case []any:
		s, name, err := r.pair(arg, "a logical ID", path)
		if err != nil {
			return nil, err
		}
		id = s
		if attr, err = r.resolveString(name, path+"[1]"); err != nil {
			return nil, err
		}
	default:
		return nil, r.errorf(path, ErrMalformed, "want a list or a string, got %s", kind(arg))
	}
	return r.attribute(id, attr, path)
}

// pair checks that arg is [string, anything], as Fn::Join, Fn::Split,
// Fn::Sub and Fn::GetAtt take; want describes the string in errors.
func (r *resolver) pair(arg any, want, path string) (string, any, error) {
	list, err := r.args(arg, 2, 2, path)
	if err != nil {
		return "", nil, err
	}
	s, ok := list[0].(string)
	if !ok {
		return "", nil, r.errorf(path+"[0]", ErrMalformed, "want %s, got %s", want, kind(list[0]))
	}
	return s, list[1], nil
}

func (r *resolver) join(arg any, path string) (any, error) {
	sep, list, err := r.pair(arg, "a delimiter string", path)
	if err != nil {
		return nil, err
	}
	items, err := r.resolveList(list, path+"[1]")
	if err != nil {
		return nil, err
	}
	parts := make([]string, len(items))
	for i, item := range items {
		s, ok := scalarString(item)
		if !ok {
			return nil, r.errorf(path+"[1]["+strconv.Itoa(i)+"]", ErrMalformed, "want a string, got %s", kind(item))
		}
		parts[i] = s
	}
	return strings.Join(parts, sep), nil
}

// sub resolves Fn::Sub in both forms: "text" and ["text", {"Var": value}].
// ${Var} is looked up in the map, then as a pseudo parameter, parameter or
// resource (Ref), then as ${LogicalId.Attr} (Fn::GetAtt); ${!Text} is the
// literal ${Text}.
func (r *resolver) sub(arg any, path string) (any, error) {
	text, vars := "", map[string]any{}
	switch a := arg.(type) {
	case string:
		text = a
	case []any:
		s, second, err := r.pair(arg, "a string", path)
		if err != nil {
			return nil, err
		}
		m, ok := second.(map[string]any)
		if !ok {
			return nil, r.errorf(path+"[1]", ErrMalformed, "want an object of variables, got %s", kind(second))
		}
		text, vars = s, m
	default:
		return nil, r.errorf(path, ErrMalformed, "want a string or a list, got %s", kind(arg))
	}
	var b strings.Builder
	for {
		start := strings.Index(text, "${")
		if start < 0 {
			b.WriteString(text)
			return b.String(), nil
		}
		b.WriteString(text[:start])
		text = text[start+2:]
		if strings.HasPrefix(text, "!") {
			b.WriteString("${")
			text = text[1:]
			continue
		}
		end := strings.IndexByte(text, '}')
		if end < 0 {
			return nil, r.errorf(path, ErrMalformed, "unterminated ${ in %q", text)
		}
		value, err := r.subVariable(strings.TrimSpace(text[:end]), vars, path)
		if err != nil {
			return nil, err
		}
		b.WriteString(value)
		text = text[end+1:]
	}
}

func (r *resolver) subVariable(name string, vars map[string]any, path string) (string, error) {
	if v, ok := vars[name]; ok {
		return r.resolveString(v, path+"[1]."+name)
	}
	_, isParam := r.t.parameters[name]
	_, isResource := r.t.resources[name]
	var v any
	var err error
	switch {
	case strings.HasPrefix(name, "AWS::") || isParam || isResource:
		v, err = r.ref(name, path)
	case strings.Contains(name, "."):
		id, attr, _ := strings.Cut(name, ".")
		v, err = r.attribute(id, attr, path)
	default:
		return "", r.errorf(path, ErrMissingReference, "${%s}", name)
	}
	if err != nil {
		return "", err
	}
	s, ok := scalarString(v)
	if !ok {
		return "", r.errorf(path, ErrMalformed, "${%s} is %s, not a string", name, kind(v))
	}
	return s, nil
}

func (r *resolver) selectFn(arg any, path string) (any, error) {
	list, err := r.args(arg, 2, 2, path)
	if err != nil {
		return nil, err
	}
	index, err := r.resolveString(list[0], path+"[0]")
	if err != nil {
		return nil, err
	}
	items, err := r.resolveList(list[1], path+"[1]")
	if err != nil {
		return nil, err
	}
	i, err := strconv.Atoi(index)
	if err != nil || i < 0 || i >= len(items) {
		return nil, r.errorf(path+"[0]", ErrMalformed, "index %q out of range for a list of %d", index, len(items))
	}
	return items[i], nil
}

func (r *resolver) split(arg any, path string) (any, error) {
	sep, source, err := r.pair(arg, "a delimiter string", path)
	if err != nil {
		return nil, err
	}
	if sep == "" {
		return nil, r.errorf(path+"[0]", ErrMalformed, "want a non-empty delimiter")
	}
	s, err := r.resolveString(source, path+"[1]")
	if err != nil {
		return nil, err
	}
	parts := strings.Split(s, sep)
	out := make([]any, len(parts))
	for i, p := range parts {
		out[i] = p
	}
	return out, nil
}

// ifFn resolves only the branch the condition picks.
func (r *resolver) ifFn(arg any, path string) (any, error) {
	list, err := r.args(arg, 3, 3, path)
	if err != nil {
		return nil, err
	}
	name, ok := list[0].(string)
	if !ok {
		return nil, r.errorf(path+"[0]", ErrMalformed, "want a condition name, got %s", kind(list[0]))
	}
	yes, err := r.condition(name, path+"[0]")
	if err != nil {
		return nil, err
	}
	if yes {
		return r.resolve(list[1], path+"[1]")
	}
	return r.resolve(list[2], path+"[2]")
}

func (r *resolver) findInMap(arg any, path string) (any, error) {
	list, err := r.args(arg, 3, 3, path)
	if err != nil {
		return nil, err
	}
	var keys [3]string
	for i := range keys {
		if keys[i], err = r.resolveString(list[i], path+"["+strconv.Itoa(i)+"]"); err != nil {
			return nil, err
		}
	}
	top, ok := r.t.mappings[keys[0]].(map[string]any)
	if !ok {
		return nil, r.errorf(path, ErrMissingReference, "mapping %q", keys[0])
	}
	second, ok := top[keys[1]].(map[string]any)
	if !ok {
		return nil, r.errorf(path, ErrMissingReference, "mapping %q has no key %q", keys[0], keys[1])
	}
	v, ok := second[keys[2]]
	if !ok {
		return nil, r.errorf(path, ErrMissingReference, "mapping %q key %q has no %q", keys[0], keys[1], keys[2])
	}
	return v, nil
}

// getAZs answers three zones, as a new account in us-east-1 would list.
func (r *resolver) getAZs(arg any, path string) (any, error) {
	region, err := r.resolveString(arg, path)
	if err != nil {
		return nil, err
	}
	if region == "" {
		region = r.env.region
	}
	return []any{region + "a", region + "b", region + "c"}, nil
}

func (r *resolver) base64(arg any, path string) (any, error) {
	s, err := r.resolveString(arg, path)
	if err != nil {
		return nil, err
	}
	return base64.StdEncoding.EncodeToString([]byte(s)), nil
}

// importValue looks the name up among the exports of the assembly's stacks
// resolved before this one (CDK lists them as the stack's dependencies).
func (r *resolver) importValue(arg any, path string) (any, error) {
	name, err := r.resolveString(arg, path)
	if err != nil {
		return nil, err
	}
	v, ok := r.in.imports[name]
	if !ok {
		return nil, r.errorf(path, ErrMissingReference, "no stack in the assembly exports %q", name)
	}
	return v, nil
}
