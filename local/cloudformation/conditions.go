package cloudformation

import (
	"encoding/json"
	"reflect"
	"strconv"
)

// condition evaluates the named entry of the template's Conditions section.
func (r *resolver) condition(name, path string) (bool, error) {
	if v, ok := r.conds[name]; ok {
		return v, nil
	}
	expr, ok := r.t.conditions[name]
	if !ok {
		return false, r.errorf(path, ErrMissingReference, "condition %q", name)
	}
	key := "Conditions." + name
	if err := r.enter(key, path); err != nil {
		return false, err
	}
	defer r.leave(key)
	v, err := r.evalCondition(expr, key)
	if err != nil {
		return false, err
	}
	r.conds[name] = v
	return v, nil
}

// evalCondition evaluates a condition expression: Fn::Equals, Fn::And,
// Fn::Or, Fn::Not, or {"Condition": "Name"}; in a rule (r.inRule), the rule
// functions instead of Condition.
func (r *resolver) evalCondition(v any, path string) (bool, error) {
	m, ok := v.(map[string]any)
	if !ok || len(m) != 1 {
		return false, r.errorf(path, ErrMalformed, "want one of Fn::Equals, Fn::And, Fn::Or, Fn::Not or Condition, got %s", kind(v))
	}
	var fn string
	var arg any
	for fn, arg = range m { // the one entry
	}
	p := path + "." + fn
	switch {
	case isRuleFunction(fn):
		return r.ruleFunction(fn, arg, p)
	case fn == "Condition" && r.inRule:
		return false, r.errorf(p, ErrMalformed, "a rule cannot refer to a condition")
	}
	switch fn {
	case "Condition":
		name, ok := arg.(string)
		if !ok {
			return false, r.errorf(p, ErrMalformed, "want a condition name, got %s", kind(arg))
		}
		return r.condition(name, p)
	case "Fn::Equals":
		return r.equals(arg, p)
	case "Fn::Not":
		list, err := r.args(arg, 1, 1, p)
		if err != nil {
			return false, err
		}
		b, err := r.evalCondition(list[0], p+"[0]")
		return !b, err
	case "Fn::And", "Fn::Or":
		return r.andOr(fn == "Fn::And", arg, p)
	}
	return false, r.errorf(p, ErrMalformed, "%q is not a condition function", fn)
}

func (r *resolver) equals(arg any, path string) (bool, error) {
	a, b, err := r.resolvePair(arg, path)
	if err != nil {
		return false, err
	}
	return reflect.DeepEqual(a, b), nil
}

// resolvePair resolves a function's two arguments, normalized for comparing.
func (r *resolver) resolvePair(arg any, path string) (any, any, error) {
	list, err := r.args(arg, 2, 2, path)
	if err != nil {
		return nil, nil, err
	}
	var vals [2]any
	for i := range vals {
		if vals[i], err = r.resolve(list[i], path+"["+strconv.Itoa(i)+"]"); err != nil {
			return nil, nil, err
		}
	}
	return normalize(vals[0]), normalize(vals[1]), nil
}

// andOr evaluates Fn::And (all) or Fn::Or (any) over 2 to 10 conditions.
func (r *resolver) andOr(and bool, arg any, path string) (bool, error) {
	list, err := r.args(arg, 2, 10, path)
	if err != nil {
		return false, err
	}
	for i, c := range list {
		b, err := r.evalCondition(c, path+"["+strconv.Itoa(i)+"]")
		if err != nil {
			return false, err
		}
		if b != and {
			return b, nil
		}
	}
	return and, nil
}

// normalize turns numbers and booleans into the strings CloudFormation
// compares them as, so "5" equals 5 and "true" equals true.
func normalize(v any) any {
	switch t := v.(type) {
	case json.Number, bool:
		s, _ := scalarString(t)
		return s
	case []any:
		out := make([]any, len(t))
		for i, e := range t {
			out[i] = normalize(e)
		}
		return out
	case map[string]any:
		out := make(map[string]any, len(t))
		for k, e := range t {
			out[k] = normalize(e)
		}
		return out
	}
	return v
}
