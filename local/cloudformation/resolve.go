package cloudformation

import (
	"encoding/json"
	"fmt"
	"maps"
	"slices"
	"strconv"
	"strings"
)

// noValueType is what AWS::NoValue resolves to: the enclosing property or list
// element is dropped.
type noValueType struct{}

var noValue any = noValueType{}

// resolver evaluates intrinsic functions in one template. Names, attributes
// and conditions are computed on first use and memoized, so resources can
// refer to each other in any order; a value that needs itself is ErrCycle.
type resolver struct {
	t       *template
	in      stackInput
	env     environment
	conds   map[string]bool
	names   map[string]string
	params  map[string]any
	pending map[string]bool // keys being computed, for cycle detection
	inRule  bool            // evaluating Rules (checkRules)
}

func newResolver(t *template, in stackInput, env environment) *resolver {
	return &resolver{
		t: t, in: in, env: env,
		conds:   map[string]bool{},
		names:   map[string]string{},
		params:  map[string]any{},
		pending: map[string]bool{},
	}
}

// errorf returns a *TemplateError at path; cause is wrapped so errors.Is works.
func (r *resolver) errorf(path string, cause error, format string, args ...any) error {
	return &TemplateError{File: r.t.file, Path: path, Err: fmt.Errorf("%s: %w", fmt.Sprintf(format, args...), cause)}
}

// enter marks key as being computed; leave must follow. A key entered twice
// is a cycle.
func (r *resolver) enter(key, path string) error {
	if r.pending[key] {
		return r.errorf(path, ErrCycle, "%s depends on itself", key)
	}
	r.pending[key] = true
	return nil
}

func (r *resolver) leave(key string) { delete(r.pending, key) }

// resolve evaluates every intrinsic function in v. path locates v for errors.
func (r *resolver) resolve(v any, path string) (any, error) {
	switch t := v.(type) {
	case map[string]any:
		if fn, arg, ok := intrinsic(t); ok {
			return r.call(fn, arg, path+"."+fn)
		}
		out := make(map[string]any, len(t))
		for _, k := range slices.Sorted(maps.Keys(t)) {
			e, err := r.resolve(t[k], path+"."+k)
			if err != nil {
				return nil, err
			}
			if e != noValue {
				out[k] = e
			}
		}
		return out, nil
	case []any:
		out := make([]any, 0, len(t))
		for i, e := range t {
			e, err := r.resolve(e, path+"["+strconv.Itoa(i)+"]")
			if err != nil {
				return nil, err
			}
			if e != noValue {
				out = append(out, e)
			}
		}
		return out, nil
	}
	return v, nil
}

// intrinsic reports whether m is a function call: one key, "Ref" or "Fn::…".
func intrinsic(m map[string]any) (fn string, arg any, ok bool) {
	if len(m) != 1 {
		return "", nil, false
	}
	for k, v := range m {
		if k == "Ref" || strings.HasPrefix(k, "Fn::") {
			return k, v, true
		}
	}
	return "", nil, false
}

// call evaluates one intrinsic function; path ends with the function's name.
func (r *resolver) call(fn string, arg any, path string) (any, error) {
	switch fn {
	case "Ref":
		name, ok := arg.(string)
		if !ok {
			return nil, r.errorf(path, ErrMalformed, "want a name, got %s", kind(arg))
		}
		return r.ref(name, path)
	case "Fn::GetAtt":
		return r.getAtt(arg, path)
	case "Fn::Join":
		return r.join(arg, path)
	case "Fn::Sub":
		return r.sub(arg, path)
	case "Fn::Select":
		return r.selectFn(arg, path)
	case "Fn::Split":
		return r.split(arg, path)
	case "Fn::If":
		return r.ifFn(arg, path)
	case "Fn::Equals", "Fn::And", "Fn::Or", "Fn::Not":
		return r.evalCondition(map[string]any{fn: arg}, strings.TrimSuffix(path, "."+fn))
	case "Fn::FindInMap":
		return r.findInMap(arg, path)
	case "Fn::GetAZs":
		return r.getAZs(arg, path)
	case "Fn::Base64":
		return r.base64(arg, path)
	case "Fn::ImportValue":
		return r.importValue(arg, path)
	case "Fn::Cidr", "Fn::Length", "Fn::ToJsonString", "Fn::Transform", "Fn::GetStackOutput":
		return nil, r.errorf(path, ErrUnsupported, "%s", fn)
	}
	if isRuleFunction(fn) {
		return r.ruleFunction(fn, arg, path)
	}
	if strings.HasPrefix(fn, "Fn::ForEach::") {
		return nil, r.errorf(path, ErrUnsupported, "Fn::ForEach")
	}
	return nil, r.errorf(path, ErrUnknownIntrinsic, "%q", fn)
}

// ref resolves a Ref: a pseudo parameter, a parameter, or a resource.
func (r *resolver) ref(name, path string) (any, error) {
	if strings.HasPrefix(name, "AWS::") {
		return r.pseudo(name, path)
	}
	if _, ok := r.t.parameters[name]; ok {
		return r.param(name, path)
	}
	if _, ok := r.t.resources[name]; ok {
		return r.resourceRef(name, path)
	}
	return nil, r.errorf(path, ErrMissingReference, "Ref %q", name)
}

func (r *resolver) pseudo(name, path string) (any, error) {
	switch name {
	case "AWS::AccountId":
		return r.env.account, nil
	case "AWS::Region":
		return r.env.region, nil
	case "AWS::Partition":
		return r.env.partition(), nil
	case "AWS::URLSuffix":
		return r.env.urlSuffix(), nil
	case "AWS::StackName":
		return r.in.name, nil
	case "AWS::StackId":
		return r.env.stackID(r.in.name), nil
	case "AWS::NotificationARNs":
		return []any{}, nil
	case "AWS::NoValue":
		return noValue, nil
	}
	return nil, r.errorf(path, ErrMissingReference, "pseudo parameter %q", name)
}

// param resolves a template parameter: the value the assembly manifest passes,
// else its Default. SSM-backed parameters (e.g. CDK's BootstrapVersion) are
// not looked up — SSM is not emulated — so their Default (the SSM parameter
// name) stands in for the value, except in Rules, which check the value
// itself: there it is a *notLocalError.
func (r *resolver) param(name, path string) (any, error) {
	p := r.t.parameters[name]
	if r.inRule && isSSMValue(p.Type) {
		key, _ := scalarString(p.Default)
		if v, ok := r.in.parameters[name]; ok {
			key = v
		}
		return nil, &notLocalError{what: fmt.Sprintf("parameter %s is the value of SSM parameter %s, and SSM is not emulated", name, key)}
	}
	if v, ok := r.params[name]; ok {
		return v, nil
	}
	var value string
	if v, ok := r.in.parameters[name]; ok {
		value = v
	} else if p.HasDefault {
		s, ok := scalarString(p.Default)
		if !ok {
			return nil, r.errorf("Parameters."+name+".Default", ErrMalformed, "want a string, got %s", kind(p.Default))
		}
		value = s
	} else {
		return nil, r.errorf(path, ErrMissingReference, "parameter %q has no Default and the assembly passes no value", name)
	}
	var v any = value
	if isListParameter(p.Type) {
		list := []any{}
		if value != "" {
			for _, s := range strings.Split(value, ",") {
				list = append(list, s)
			}
		}
		v = list
	}
	r.params[name] = v
	return v, nil
}

func isListParameter(typ string) bool {
	return typ == "CommaDelimitedList" || strings.HasPrefix(typ, "List<") ||
		strings.HasPrefix(typ, "AWS::SSM::Parameter::Value<List<")
}

// scalarString renders a string, number or boolean as CloudFormation would
// in a string context.
func scalarString(v any) (string, bool) {
	switch t := v.(type) {
	case string:
		return t, true
	case json.Number:
		return t.String(), true
	case bool:
		return strconv.FormatBool(t), true
	}
	return "", false
}

// resolveString resolves v and requires a scalar result.
func (r *resolver) resolveString(v any, path string) (string, error) {
	rv, err := r.resolve(v, path)
	if err != nil {
		return "", err
	}
	s, ok := scalarString(rv)
	if !ok {
		return "", r.errorf(path, ErrMalformed, "want a string, got %s", kind(rv))
	}
	return s, nil
}

// resolveList resolves v and requires a list result.
func (r *resolver) resolveList(v any, path string) ([]any, error) {
	rv, err := r.resolve(v, path)
	if err != nil {
		return nil, err
	}
	list, ok := rv.([]any)
	if !ok {
		return nil, r.errorf(path, ErrMalformed, "want a list, got %s", kind(rv))
	}
	return list, nil
}

// args checks that a function's argument is a list of min..max elements.
func (r *resolver) args(arg any, min, max int, path string) ([]any, error) {
	list, ok := arg.([]any)
	if !ok || len(list) < min || len(list) > max {
		want := strconv.Itoa(min)
		if max != min {
			want += " to " + strconv.Itoa(max)
		}
		return nil, r.errorf(path, ErrMalformed, "want a list of %s arguments, got %s", want, describe(arg))
	}
	return list, nil
}

func describe(v any) string {
	if list, ok := v.([]any); ok {
		return fmt.Sprintf("%d", len(list))
	}
	return kind(v)
}
