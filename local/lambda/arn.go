package lambda

import (
	"regexp"
	"strings"
)

// functionNamePattern is the FunctionName pattern of Lambda's Invoke API.
const functionNamePattern = `(arn:(aws[a-zA-Z-]*)?:lambda:)?([a-z]{2}((-gov)|(-iso([a-z]?)))?-[a-z]+-\d{1}:)?` +
	`(\d{12}:)?(function:)?([a-zA-Z0-9-_\.]+)(:(\$LATEST(\.PUBLISHED)?|[a-zA-Z0-9-_]+))?`

var (
	nameRE      = regexp.MustCompile(`^[a-zA-Z0-9_-]{1,64}$`)
	qualifierRE = regexp.MustCompile(`^(\$LATEST|[a-zA-Z0-9_-]{1,128})$`)
	accountRE   = regexp.MustCompile(`^\d{12}$`)
	regionRE    = regexp.MustCompile(`^[a-z]{2}(-gov|-iso[a-z]?)?-[a-z]+-\d$`)
)

// functionRef is a parsed FunctionName parameter: a name ("my-fn"), a partial
// ARN ("123456789012:function:my-fn") or a full ARN, each optionally followed
// by ":qualifier".
type functionRef struct {
	Partition string // "" unless a full ARN was given
	Region    string // "" unless a full ARN was given
	Account   string // "" unless an ARN was given
	Name      string
	Qualifier string // "" when none was given
}

// parseFunctionRef parses the forms Lambda accepts for FunctionName.
func parseFunctionRef(s string) (functionRef, error) {
	parts := strings.Split(s, ":")
	var ref functionRef
	// An ARN, full or partial, names its account: Lambda's pattern has no
	// room for an empty one ("arn:aws:lambda:us-east-1::function:fn").
	withAccount := true
	switch {
	case parts[0] == "arn" && (len(parts) == 7 || len(parts) == 8):
		if parts[2] != "lambda" || parts[5] != "function" || !regionRE.MatchString(parts[3]) ||
			!strings.HasPrefix(parts[1], "aws") {
			return ref, &ValidationError{Value: s}
		}
		ref = functionRef{Partition: parts[1], Region: parts[3], Account: parts[4], Name: parts[6]}
		parts = parts[7:]
	case (len(parts) == 3 || len(parts) == 4) && parts[1] == "function":
		ref = functionRef{Account: parts[0], Name: parts[2]}
		parts = parts[3:]
	case len(parts) == 1 || len(parts) == 2:
		withAccount = false
		ref.Name = parts[0]
		parts = parts[1:]
	default:
		return ref, &ValidationError{Value: s}
	}
	if len(parts) == 1 {
		ref.Qualifier = parts[0]
		if !qualifierRE.MatchString(ref.Qualifier) {
			return ref, &ValidationError{Value: s}
		}
	}
	if !nameRE.MatchString(ref.Name) || (withAccount && !accountRE.MatchString(ref.Account)) {
		return ref, &ValidationError{Value: s}
	}
	return ref, nil
}

// functionARN formats an unqualified function ARN.
func functionARN(partition, region, account, name string) string {
	return "arn:" + partition + ":lambda:" + region + ":" + account + ":function:" + name
}
