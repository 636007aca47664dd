package cloudformation

import (
	"errors"
	"fmt"
	"maps"
	"reflect"
	"slices"
	"strconv"
	"strings"
)

// notLocalError marks a rule value only AWS can give: an SSM parameter's
// value, or what Fn::ValueOf and its kin read from the account.
type notLocalError struct{ what string }

func (e *notLocalError) Error() string { return e.what }

// checkRules evaluates the template's Rules the way CloudFormation does
// before it creates anything: a rule whose RuleCondition holds needs every
// assertion to hold, else loading fails with its AssertDescription
// (ErrRuleFailed). What cannot be evaluated locally — an assertion over an
// SSM parameter, such as CDK's CheckBootstrapVersion — is returned as a
// note instead, once each.
func (r *resolver) checkRules() ([]string, error) {
	r.inRule = true
	defer func() { r.inRule = false }()
	notes := map[string]bool{}
	for _, name := range slices.Sorted(maps.Keys(r.t.rules)) {
		if err := r.checkRule(name, notes); err != nil {
			return nil, err
		}
	}
	return slices.Sorted(maps.Keys(notes)), nil
}

func (r *resolver) checkRule(name string, notes map[string]bool) error {
	rule, path := r.t.rules[name], "Rules."+name
	// eval evaluates expr; known is false, and a note is taken, when only
	// AWS could evaluate it.
	eval := func(expr any, p string) (holds, known bool, err error) {
		holds, err = r.evalCondition(expr, p)
		var nl *notLocalError
		if errors.As(err, &nl) {
			notes[fmt.Sprintf("rule %s is not checked locally: %s", name, nl.what)] = true
			return false, false, nil
		}
		return holds, err == nil, err
	}
	if rule.Condition != nil {
		holds, known, err := eval(rule.Condition, path+".RuleCondition")
		if err != nil || !known || !holds {
			return err
		}
	}
	for i, a := range rule.Assertions {
		p := path + ".Assertions[" + strconv.Itoa(i) + "]"
		holds, known, err := eval(a.Assert, p+".Assert")
		if err != nil {
			return err
		}
		if known && !holds {
			desc := a.Description
			if desc == "" {
				desc = "(no AssertDescription)"
			}
			return &TemplateError{File: r.t.file, Path: p, Err: fmt.Errorf("%w: rule %s: %s", ErrRuleFailed, name, desc)}
		}
	}
	return nil
}

// ruleFunction evaluates the functions only Rules may use: Fn::Contains,
// Fn::EachMemberEquals and Fn::EachMemberIn; Fn::RefAll, Fn::ValueOf and
// Fn::ValueOfAll read the account, so they are not local.
func (r *resolver) ruleFunction(fn string, arg any, path string) (bool, error) {
	if !r.inRule {
		return false, r.errorf(path, ErrMalformed, "%s is only valid in Rules", fn)
	}
	switch fn {
	case "Fn::RefAll", "Fn::ValueOf", "Fn::ValueOfAll":
		return false, &notLocalError{what: fn + " reads the AWS account"}
	}
	first, want, err := r.resolvePair(arg, path)
	if err != nil {
		return false, err
	}
	members, ok := first.([]any)
	if !ok {
		return false, r.errorf(path+"[0]", ErrMalformed, "want a list, got %s", kind(first))
	}
	switch fn {
	case "Fn::Contains":
		return containsValue(members, want), nil
	case "Fn::EachMemberEquals":
		return !slices.ContainsFunc(members, func(m any) bool { return !reflect.DeepEqual(m, want) }), nil
	}
	in, ok := want.([]any) // Fn::EachMemberIn
	if !ok {
		return false, r.errorf(path+"[1]", ErrMalformed, "want a list, got %s", kind(want))
	}
	return !slices.ContainsFunc(members, func(m any) bool { return !containsValue(in, m) }), nil
}

// containsValue reports whether list holds v; values may be lists or objects.
func containsValue(list []any, v any) bool {
	return slices.ContainsFunc(list, func(e any) bool { return reflect.DeepEqual(e, v) })
}

// isRuleFunction reports whether fn is one of the functions only Rules use.
func isRuleFunction(fn string) bool {
	switch fn {
	case "Fn::Contains", "Fn::EachMemberEquals", "Fn::EachMemberIn", "Fn::RefAll", "Fn::ValueOf", "Fn::ValueOfAll":
		return true
	}
	return false
}

// isSSMValue reports whether a parameter of type typ holds the value of an
// SSM parameter, which CloudFormation looks up (the template names the key).
func isSSMValue(typ string) bool {
	return strings.HasPrefix(typ, "AWS::SSM::Parameter::Value<")
}
