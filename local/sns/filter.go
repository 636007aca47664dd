package sns

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"strconv"
	"strings"

	"github.com/hitl-go/docsign/local/internal/apierror"
)

// Filter policies on message attributes, the part of SNS's filter policy
// language a template here uses. Supported, with SNS's semantics:
//
//   - an object of attribute names, each with a list of rules (AND across
//     names, OR within a list);
//   - a string: the attribute is a String equal to it, or a String.Array
//     with an element equal to it;
//   - a number: the attribute is a Number numerically equal to it;
//   - {"prefix": "s"}: a String (or String.Array element) starting with s;
//   - {"anything-but": v}, v a string, a number, a list of them or
//     {"prefix": "s"}: the attribute is present and matches none of them;
//   - {"exists": true|false}: the attribute is present, or absent.
//
// Binary attributes never match, as SNS ignores them. Anything else
// ($or, numeric ranges, suffix, equals-ignore-case, cidr, null, nested
// objects) is refused when the Service is made, rather than silently
// matching differently than SNS would.

const scopeMessageAttributes = "MessageAttributes"

// filterPolicy is a parsed filter policy: every key must match.
type filterPolicy struct {
	keys []filterKey
}

type filterKey struct {
	name  string
	rules []rule // one must match
}

// rule is one alternative of a key.
type rule struct {
	kind    ruleKind
	str     string
	num     float64
	isNum   bool
	exists  bool
	exclude []rule // anything-but: exact or prefix rules
}

type ruleKind int

const (
	ruleExact ruleKind = iota
	rulePrefix
	ruleAnythingBut
	ruleExists
)

// parseFilterPolicy parses a filter policy, refusing what is not supported.
func parseFilterPolicy(doc string) (*filterPolicy, error) {
	var top map[string]json.RawMessage
	if err := strictUnmarshal([]byte(doc), &top); err != nil {
		return nil, fmt.Errorf("not a JSON object: %w", err)
	}
	f := &filterPolicy{}
	for name, raw := range top {
		if name == "$or" {
			return nil, errors.New(`"$or" is not supported locally`)
		}
		var list []json.RawMessage
		if err := strictUnmarshal(raw, &list); err != nil {
			return nil, fmt.Errorf("attribute %q: rules must be a list (nested MessageBody policies are not supported locally)", name)
		}
		if len(list) == 0 {
			return nil, fmt.Errorf("attribute %q: empty list of rules", name)
		}
		k := filterKey{name: name}
		for _, r := range list {
			parsed, err := parseRule(r, true)
			if err != nil {
				return nil, fmt.Errorf("attribute %q: %w", name, err)
			}
			k.rules = append(k.rules, parsed)
		}
		f.keys = append(f.keys, k)
	}
	if len(f.keys) == 0 {
		return nil, errors.New("no attribute")
	}
	return f, nil
}

// parseRule parses one rule; top is false inside anything-but, where only
// values and prefix are allowed.
func parseRule(raw json.RawMessage, top bool) (rule, error) {
	if r, ok := parseLiteral(raw); ok {
		return r, nil
	}
	var op map[string]json.RawMessage
	if err := strictUnmarshal(raw, &op); err != nil || len(op) != 1 {
		return rule{}, fmt.Errorf("rule %s is not supported locally", apierror.Clip(string(raw)))
	}
	for name, arg := range op {
		switch {
		case name == "prefix":
			var s string
			if err := strictUnmarshal(arg, &s); err != nil || s == "" {
				return rule{}, errors.New(`"prefix" takes a non-empty string`)
			}
			return rule{kind: rulePrefix, str: s}, nil
		case name == "anything-but" && top:
			return parseAnythingBut(arg)
		case name == "exists" && top:
			var b bool
			if err := strictUnmarshal(arg, &b); err != nil {
				return rule{}, errors.New(`"exists" takes true or false`)
			}
			return rule{kind: ruleExists, exists: b}, nil
		}
		return rule{}, fmt.Errorf("operator %q is not supported locally", apierror.Clip(name))
	}
	panic("unreachable")
}

func parseAnythingBut(arg json.RawMessage) (rule, error) {
	r := rule{kind: ruleAnythingBut}
	var list []json.RawMessage
	if strictUnmarshal(arg, &list) != nil {
		list = []json.RawMessage{arg}
	}
	if len(list) == 0 {
		return rule{}, errors.New(`"anything-but" takes a value, a list of values or {"prefix": …}`)
	}
	for _, v := range list {
		ex, err := parseRule(v, false)
		if err != nil {
			return rule{}, fmt.Errorf(`"anything-but": %w`, err)
		}
		r.exclude = append(r.exclude, ex)
	}
	return r, nil
}

// parseLiteral parses a string or number rule.
func parseLiteral(raw json.RawMessage) (rule, bool) {
	if string(bytes.TrimSpace(raw)) == "null" { // would decode as "" or 0
		return rule{}, false
	}
	var s string
	if strictUnmarshal(raw, &s) == nil {
		return rule{kind: ruleExact, str: s}, true
	}
	var n json.Number
	if strictUnmarshal(raw, &n) == nil {
		f, err := n.Float64()
		return rule{kind: ruleExact, num: f, isNum: true}, err == nil
	}
	return rule{}, false
}

// strictUnmarshal decodes one JSON value, refusing trailing data.
func strictUnmarshal(data []byte, v any) error {
	dec := json.NewDecoder(bytes.NewReader(data))
	dec.UseNumber()
	if err := dec.Decode(v); err != nil {
		return err
	}
	if dec.More() {
		return errors.New("trailing data")
	}
	return nil
}

// matches reports whether a message with these attributes passes f.
func (f *filterPolicy) matches(attrs map[string]attribute) bool {
	for _, k := range f.keys {
		a, present := attrs[k.name]
		if present && a.binary() {
			present = false // SNS does not filter on Binary attributes
		}
		ok := false
		for _, r := range k.rules {
			if r.kind == ruleExists {
				ok = r.exists == present
			} else if present {
				ok = r.matches(a)
			}
			if ok {
				break
			}
		}
		if !ok {
			return false
		}
	}
	return true
}

// matches applies a value rule to a present, non-Binary attribute.
func (r rule) matches(a attribute) bool {
	if r.kind == ruleAnythingBut {
		for _, ex := range r.exclude {
			if ex.matches(a) {
				return false
			}
		}
		return true
	}
	if a.number() {
		if r.kind != ruleExact || !r.isNum {
			return false
		}
		n, err := strconv.ParseFloat(a.Value, 64)
		return err == nil && n == r.num
	}
	if r.isNum {
		return false
	}
	for _, s := range a.strings() {
		if (r.kind == ruleExact && s == r.str) || (r.kind == rulePrefix && strings.HasPrefix(s, r.str)) {
			return true
		}
	}
	return false
}
