package asl

import (
	"errors"
	"fmt"
	"regexp"
	"strings"
	"time"
	"unicode/utf16"
)

type opKind int

const (
	kString opKind = iota
	kNumeric
	kTimestamp
	kBoolean
	kMatches
	kTypeTest
	kPresent
)

// operator is one comparison operator of a data-test expression.
type operator struct {
	name string
	kind opKind
	cmp  func(c int) bool // for ordered kinds: the wanted outcome of a three-way comparison
	path bool             // the …Path variant: the operand is a Path
	test func(v any) bool // for IsNull, IsString, …
}

var comparisons = []struct {
	suffix string
	cmp    func(int) bool
}{
	{"Equals", func(c int) bool { return c == 0 }},
	{"LessThan", func(c int) bool { return c < 0 }},
	{"GreaterThan", func(c int) bool { return c > 0 }},
	{"LessThanEquals", func(c int) bool { return c <= 0 }},
	{"GreaterThanEquals", func(c int) bool { return c >= 0 }},
}

// operators lists every comparison operator of the ASL spec's Choice State.
var operators = map[string]*operator{}

func init() {
	add := func(op *operator) { operators[op.name] = op }
	for _, k := range []struct {
		prefix string
		kind   opKind
	}{{"String", kString}, {"Numeric", kNumeric}, {"Timestamp", kTimestamp}} {
		for _, c := range comparisons {
			add(&operator{name: k.prefix + c.suffix, kind: k.kind, cmp: c.cmp})
			add(&operator{name: k.prefix + c.suffix + "Path", kind: k.kind, cmp: c.cmp, path: true})
		}
	}
	add(&operator{name: "BooleanEquals", kind: kBoolean})
	add(&operator{name: "BooleanEqualsPath", kind: kBoolean, path: true})
	add(&operator{name: "StringMatches", kind: kMatches})
	add(&operator{name: "IsPresent", kind: kPresent})
	add(&operator{name: "IsNull", kind: kTypeTest, test: func(v any) bool { return v == nil }})
	add(&operator{name: "IsNumeric", kind: kTypeTest, test: isNumber})
	add(&operator{name: "IsString", kind: kTypeTest, test: func(v any) bool { _, ok := v.(string); return ok }})
	add(&operator{name: "IsBoolean", kind: kTypeTest, test: func(v any) bool { _, ok := v.(bool); return ok }})
	add(&operator{name: "IsTimestamp", kind: kTypeTest, test: func(v any) bool { _, ok := timestamp(v); return ok }})
}

// compileOperand checks and converts the operator's value at load time.
func (r *ChoiceRule) compileOperand(v any) error {
	op := r.op
	if op.path {
		s, ok := v.(string)
		if !ok {
			return fmt.Errorf("%s must be a path string", op.name)
		}
		p, err := CompilePath(s)
		if err != nil {
			return fmt.Errorf("%s: %w", op.name, err)
		}
		r.operandPath = p
		return nil
	}
	switch op.kind {
	case kMatches:
		s, ok := v.(string)
		if !ok {
			return fmt.Errorf("%s must be a string", op.name)
		}
		w, err := compileWildcard(s)
		if err != nil {
			return fmt.Errorf("%s: %w", op.name, err)
		}
		r.operand = w
		return nil
	case kTypeTest, kPresent:
		if _, ok := v.(bool); !ok {
			return fmt.Errorf("%s must be true or false", op.name)
		}
		r.operand = v
		return nil
	}
	c, ok := op.convert(v)
	if !ok {
		return fmt.Errorf("%s must be %s", op.name, map[opKind]string{
			kString: "a string", kNumeric: "a number", kBoolean: "true or false",
			kTimestamp: "an RFC 3339 timestamp such as 2016-03-14T01:59:00Z",
		}[op.kind])
	}
	r.operand = c
	return nil
}

// convert turns a JSON value into the operand type of op; ok is false when
// the value has the wrong type (the comparison is then false).
func (op *operator) convert(v any) (any, bool) {
	switch op.kind {
	case kString:
		s, ok := v.(string)
		return s, ok
	case kNumeric:
		return toFloat(v)
	case kBoolean:
		b, ok := v.(bool)
		return b, ok
	case kTimestamp:
		return timestamp(v)
	}
	return nil, false
}

// compare applies op to the Variable's value and the converted operand.
// Values of the wrong type compare false (ASL spec, Choice State).
func (op *operator) compare(v, operand any) bool {
	if op.kind == kMatches {
		s, ok := v.(string)
		return ok && operand.(wildcard).match(s)
	}
	cv, ok := op.convert(v)
	if !ok {
		return false
	}
	switch op.kind {
	case kString:
		return op.cmp(compareUTF16(cv.(string), operand.(string)))
	case kNumeric:
		return op.cmp(compareFloat(cv.(float64), operand.(float64)))
	case kTimestamp:
		return op.cmp(cv.(time.Time).Compare(operand.(time.Time)))
	case kBoolean:
		return cv.(bool) == operand.(bool)
	}
	return false
}

func compareFloat(a, b float64) int {
	switch {
	case a < b:
		return -1
	case a > b:
		return 1
	}
	return 0
}

// compareUTF16 orders strings by UTF-16 code units, as the developer guide
// specifies by pointing to Java's String.compareTo.
func compareUTF16(a, b string) int {
	ua, ub := utf16.Encode([]rune(a)), utf16.Encode([]rune(b))
	for i := 0; i < len(ua) && i < len(ub); i++ {
		if ua[i] != ub[i] {
			return int(ua[i]) - int(ub[i])
		}
	}
	return len(ua) - len(ub)
}

// timestampSyntax is the RFC 3339 profile the spec requires: an uppercase T
// between date and time and an uppercase Z when there is no numeric offset.
var timestampSyntax = regexp.MustCompile(`^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?(Z|[+-]\d{2}:\d{2})$`)

// ParseTimestamp parses a timestamp the way the ASL spec requires
// ("Timestamps": the RFC 3339 profile of ISO 8601, uppercase T, uppercase Z
// when there is no numeric offset), as Choice rules do; the engine uses it for
// the Wait state's Timestamp and TimestampPath.
func ParseTimestamp(s string) (time.Time, bool) {
	if !timestampSyntax.MatchString(s) {
		return time.Time{}, false
	}
	t, err := time.Parse(time.RFC3339Nano, s)
	return t, err == nil
}

func timestamp(v any) (any, bool) {
	s, ok := v.(string)
	if !ok {
		return nil, false
	}
	t, ok := ParseTimestamp(s)
	if !ok {
		return nil, false
	}
	return t, true
}

// wildcard is a StringMatches pattern: literal pieces separated by '*'.
type wildcard []string

// compileWildcard splits a StringMatches pattern on unescaped '*'; "\*" is a
// literal star and "\\" a literal backslash. Any other backslash is an open
// escape, which the spec makes an error.
func compileWildcard(p string) (wildcard, error) {
	w := wildcard{}
	var lit strings.Builder
	for i := 0; i < len(p); i++ {
		switch c := p[i]; {
		case c == '*':
			w = append(w, lit.String())
			lit.Reset()
		case c == '\\':
			if i+1 >= len(p) || (p[i+1] != '*' && p[i+1] != '\\') {
				return nil, errors.New(`open escape '\' in pattern (only \* and \\ are allowed)`)
			}
			i++
			lit.WriteByte(p[i])
		default:
			lit.WriteByte(c)
		}
	}
	return append(w, lit.String()), nil
}

// match reports whether s matches the whole pattern; '*' matches zero or
// more characters.
func (w wildcard) match(s string) bool {
	if len(w) == 1 {
		return s == w[0]
	}
	first, last := w[0], w[len(w)-1]
	if !strings.HasPrefix(s, first) {
		return false
	}
	s = s[len(first):]
	if !strings.HasSuffix(s, last) {
		return false
	}
	s = s[:len(s)-len(last)]
	for _, mid := range w[1 : len(w)-1] {
		i := strings.Index(s, mid)
		if i < 0 {
			return false
		}
		s = s[i+len(mid):]
	}
	return true
}
