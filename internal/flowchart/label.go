package flowchart

import (
	"encoding/json"
	"fmt"
	"regexp"
	"sort"
	"strings"
	"unicode"
)

const maxEdgeLabel = 48 // runes; longer choice rules are cut with "…"

// text escapes s for use inside a quoted Mermaid label. Mermaid reads
// "#name;" and "#123;" as HTML entities, so every character that could end
// the string, start markup, an entity, a comment or a markdown string is
// written as a numeric entity; letters, digits and harmless punctuation stay
// readable. Control characters become spaces.
func text(s string) string {
	var b strings.Builder
	for _, r := range s {
		switch {
		case r < 0x20 || r == 0x7f:
			b.WriteByte(' ')
		case r < 0x80 && (r >= 'a' && r <= 'z' || r >= 'A' && r <= 'Z' || r >= '0' && r <= '9' ||
			strings.ContainsRune(" .,_'-/()[]{}!?+*=@$", r)):
			b.WriteRune(r)
		case r >= 0x80 && (unicode.IsLetter(r) || unicode.IsDigit(r) || unicode.IsMark(r)):
			b.WriteRune(r)
		default:
			fmt.Fprintf(&b, "#%d;", r)
		}
	}
	return b.String()
}

// awsStates matches a Step Functions service-integration resource, in any partition.
var awsStates = regexp.MustCompile(`^arn:[a-z-]+:states:::(.+)$`)

// awsNamed matches a Lambda function or Step Functions activity ARN.
var awsNamed = regexp.MustCompile(`^arn:[a-z-]+:(?:lambda|states):[^:]*:[^:]*:(function|activity):([^:]+)`)

// kind is a state's second label line: the Task resource in short form
// ("lambda:invoke.waitForTaskToken", "function:Name", "activity:Name"),
// "Wait 5 s", "Map (distributed)", or the state type.
func kind(s *state) string {
	switch s.Type {
	case "Task":
		return resourceText(s.Resource)
	case "Wait":
		switch {
		case s.Seconds != "":
			return "Wait " + string(s.Seconds) + " s"
		case s.SecondsPath != "":
			return "Wait " + s.SecondsPath + " s"
		case s.Timestamp != "":
			return "Wait until " + s.Timestamp
		case s.TimestampPath != "":
			return "Wait until " + s.TimestampPath
		}
	case "Map":
		if s.ItemProcessor != nil && strings.EqualFold(s.ItemProcessor.ProcessorConfig.Mode, "DISTRIBUTED") {
			return "Map (distributed)"
		}
	}
	return s.Type
}

// kindText escapes a kind for a label. A colon stays readable ("lambda:invoke")
// unless the kind needs entities: Mermaid's preprocessing rewrites lines where
// "style" precedes ":…#…;", so an entity never follows a literal colon.
func kindText(k string) string {
	escaped := text(k)
	if strings.Contains(text(strings.ReplaceAll(k, ":", "")), "#") {
		return escaped
	}
	return strings.ReplaceAll(escaped, "#58;", ":")
}

func resourceText(resource string) string {
	if m := awsStates.FindStringSubmatch(resource); m != nil {
		return m[1]
	}
	if m := awsNamed.FindStringSubmatch(resource); m != nil {
		return m[1] + ":" + m[2]
	}
	if resource == "" {
		return "Task"
	}
	return resource
}

// errorsText is a Catch edge's label: the errors it catches.
func errorsText(errs []string) string {
	if len(errs) == 0 {
		return "catch"
	}
	return strings.Join(errs, ", ")
}

// comparisons maps ASL comparison operators (without their String, Numeric,
// Boolean or Timestamp prefix and Path suffix) to how a rule reads.
var comparisons = map[string]string{
	"Equals": "==", "LessThan": "<", "GreaterThan": ">",
	"LessThanEquals": "<=", "GreaterThanEquals": ">=", "Matches": "matches",
}

var typeTests = map[string]string{
	"IsNull": "null", "IsPresent": "present", "IsNumeric": "numeric",
	"IsString": "a string", "IsBoolean": "a boolean", "IsTimestamp": "a timestamp",
}

// ruleText renders a Choice rule as a short edge label such as
// `$.status == "SIGNED"` or `not($.a > 1) and $.b is present`.
func ruleText(rule map[string]any) string {
	return truncate(ruleExpr(rule), maxEdgeLabel)
}

func ruleExpr(rule map[string]any) string {
	if c, ok := rule["Condition"]; ok { // JSONata
		return strings.TrimSpace(strings.TrimSuffix(strings.TrimPrefix(fmt.Sprint(c), "{%"), "%}"))
	}
	for _, op := range []string{"And", "Or"} {
		if subs, ok := rule[op].([]any); ok {
			parts := make([]string, 0, len(subs))
			for _, sub := range subs {
				if m, ok := sub.(map[string]any); ok {
					parts = append(parts, ruleExpr(m))
				}
			}
			return "(" + strings.Join(parts, " "+strings.ToLower(op)+" ") + ")"
		}
	}
	if sub, ok := rule["Not"].(map[string]any); ok {
		return "not " + ruleExpr(sub)
	}
	variable, _ := rule["Variable"].(string)
	keys := make([]string, 0, len(rule))
	for k := range rule {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	for _, k := range keys {
		if expr, ok := comparison(variable, k, rule[k]); ok {
			return expr
		}
	}
	return "rule"
}

func comparison(variable, op string, value any) (string, bool) {
	if test, ok := typeTests[op]; ok {
		if b, _ := value.(bool); b {
			return variable + " is " + test, true
		}
		return variable + " is not " + test, true
	}
	base := op
	for _, prefix := range []string{"String", "Numeric", "Boolean", "Timestamp"} {
		base = strings.TrimPrefix(base, prefix)
	}
	isPath := strings.HasSuffix(base, "Path")
	sym, ok := comparisons[strings.TrimSuffix(base, "Path")]
	if !ok || base == op {
		return "", false
	}
	if path, isString := value.(string); isPath && isString {
		return variable + " " + sym + " " + path, true
	}
	v, err := json.Marshal(value)
	if err != nil {
		return "", false
	}
	return variable + " " + sym + " " + string(v), true
}

func truncate(s string, n int) string {
	r := []rune(s)
	if len(r) <= n {
		return s
	}
	return string(r[:n-1]) + "…"
}
