package asl

import (
	"encoding/json"
	"errors"
	"fmt"
	"maps"
	"slices"
)

// ChoiceRule is a compiled Choice Rule (ASL spec, "Choice State"): a Boolean
// expression (And, Or, Not) over nested rules or a data-test expression on a
// Variable path with exactly one comparison operator. Top-level rules carry
// Next; nested rules must not.
type ChoiceRule struct {
	next string

	and, or []*ChoiceRule
	not     *ChoiceRule

	variable    *Path
	op          *operator
	operand     any   // the literal operand, converted (string, float64, bool, time.Time, wildcard)
	operandPath *Path // set for the …Path operators
}

// CompileChoiceRule compiles one Choice Rule from its JSON text. topLevel is
// true for an element of the Choices array, which must have Next; nested
// rules (inside And, Or, Not) must not. Errors name the problem and where it
// is, e.g. `And[1]: NumericEquals must be a number`.
func CompileChoiceRule(raw json.RawMessage, topLevel bool) (*ChoiceRule, error) {
	v, err := decodeJSON(raw)
	if err != nil {
		return nil, fmt.Errorf("choice rule is not valid JSON: %w", err)
	}
	return CompileChoiceRuleValue(v, topLevel)
}

// CompileChoiceRuleValue is CompileChoiceRule for an already decoded value.
func CompileChoiceRuleValue(v any, topLevel bool) (*ChoiceRule, error) {
	obj, ok := v.(map[string]any)
	if !ok {
		return nil, fmt.Errorf("a choice rule must be a JSON object, got %s", jsonType(v))
	}
	return compileRule(obj, topLevel)
}

// Next is the state to go to when a top-level rule matches ("" for nested
// rules).
func (r *ChoiceRule) Next() string { return r.next }

var booleanOps = []string{"And", "Or", "Not"}

func compileRule(obj map[string]any, top bool) (*ChoiceRule, error) {
	r := &ChoiceRule{}
	if err := r.compileNext(obj, top); err != nil {
		return nil, err
	}
	var boolKeys, opKeys []string
	for _, k := range slices.Sorted(maps.Keys(obj)) {
		switch {
		case slices.Contains(booleanOps, k):
			boolKeys = append(boolKeys, k)
		case operators[k] != nil:
			opKeys = append(opKeys, k)
		case k == "Next" || k == "Variable":
		case k == "Comment":
			if _, ok := obj[k].(string); !ok {
				return nil, errors.New("Comment must be a string")
			}
		default:
			return nil, fmt.Errorf("field %q is not supported in a choice rule", k)
		}
	}
	if len(boolKeys) > 0 {
		if len(boolKeys) > 1 || len(opKeys) > 0 || obj["Variable"] != nil {
			return nil, errors.New("a choice rule must have exactly one of And, Or, Not or a Variable with one comparison operator")
		}
		return r, r.compileBoolean(boolKeys[0], obj[boolKeys[0]])
	}
	return r, r.compileDataTest(obj, opKeys)
}

func (r *ChoiceRule) compileNext(obj map[string]any, top bool) error {
	next, has := obj["Next"]
	switch {
	case top && !has:
		return errors.New("a top-level choice rule must have Next")
	case !top && has:
		return errors.New("a nested choice rule (inside And, Or or Not) must not have Next")
	case has:
		s, ok := next.(string)
		if !ok || s == "" {
			return errors.New("Next must be a non-empty string")
		}
		r.next = s
	}
	return nil
}

func (r *ChoiceRule) compileBoolean(key string, v any) error {
	if key == "Not" {
		child, ok := v.(map[string]any)
		if !ok {
			return errors.New("Not must be a single choice rule object")
		}
		c, err := compileRule(child, false)
		if err != nil {
			return fmt.Errorf("Not: %w", err)
		}
		r.not = c
		return nil
	}
	list, ok := v.([]any)
	if !ok || len(list) == 0 {
		return fmt.Errorf("%s must be a non-empty array of choice rules", key)
	}
	rules := make([]*ChoiceRule, len(list))
	for i, e := range list {
		child, ok := e.(map[string]any)
		if !ok {
			return fmt.Errorf("%s[%d] must be a choice rule object", key, i)
		}
		c, err := compileRule(child, false)
		if err != nil {
			return fmt.Errorf("%s[%d]: %w", key, i, err)
		}
		rules[i] = c
	}
	if key == "And" {
		r.and = rules
	} else {
		r.or = rules
	}
	return nil
}

func (r *ChoiceRule) compileDataTest(obj map[string]any, opKeys []string) error {
	vs, ok := obj["Variable"].(string)
	if !ok {
		return errors.New("a choice rule must have And, Or, Not or a string Variable")
	}
	p, err := CompilePath(vs)
	if err != nil {
		return fmt.Errorf("Variable: %w", err)
	}
	r.variable = p
	if len(opKeys) != 1 {
		return fmt.Errorf("a choice rule must have exactly one comparison operator, found %d", len(opKeys))
	}
	r.op = operators[opKeys[0]]
	return r.compileOperand(obj[opKeys[0]])
}

// Match evaluates the rule against the Choice state's effective input. The
// error, always *Error States.Runtime, is for a Variable or …Path operand that
// selects nothing (except with IsPresent).
func (r *ChoiceRule) Match(input, context any) (bool, error) {
	switch {
	case r.not != nil:
		ok, err := r.not.Match(input, context)
		if err != nil {
			return false, err
		}
		return !ok, nil
	case r.and != nil:
		for _, c := range r.and {
			if ok, err := c.Match(input, context); err != nil || !ok {
				return false, err
			}
		}
		return true, nil
	case r.or != nil:
		for _, c := range r.or {
			if ok, err := c.Match(input, context); err != nil || ok {
				return ok, err
			}
		}
		return false, nil
	}
	return r.matchData(input, context)
}

func (r *ChoiceRule) matchData(input, context any) (bool, error) {
	v, found := r.variable.Lookup(input, context)
	if r.op.kind == kPresent {
		return found == r.operand.(bool), nil
	}
	if !found {
		return false, invalidChoicePath(r.variable)
	}
	if r.op.kind == kTypeTest {
		return r.op.test(v) == r.operand.(bool), nil
	}
	operand := r.operand
	if r.operandPath != nil {
		ov, ok := r.operandPath.Lookup(input, context)
		if !ok {
			return false, invalidChoicePath(r.operandPath)
		}
		if operand, ok = r.op.convert(ov); !ok {
			return false, nil
		}
	}
	return r.op.compare(v, operand), nil
}

func invalidChoicePath(p *Path) *Error {
	return runtimeError("Invalid path '%s': The choice state's condition path references an invalid value.", p)
}
