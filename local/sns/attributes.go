package sns

import (
	"encoding/base64"
	"encoding/json"
	"math"
	"regexp"
	"strings"

	"github.com/hitl-go/docsign/local/internal/apierror"
)

// Message attributes: their types, and Publish's checks of them with SNS's
// messages (first failure first).

// attribute is one message attribute. Value is the StringValue, or the
// BinaryValue in base64 (as the outbox records it).
type attribute struct {
	DataType string
	Value    string
}

// baseType is the data type without its custom suffix ("Number.float" is a
// Number).
func (a attribute) baseType() string {
	t, _, _ := strings.Cut(a.DataType, ".")
	return t
}

func (a attribute) binary() bool { return a.baseType() == typeBinary }
func (a attribute) number() bool { return a.baseType() == typeNumber }

// strings are the values a String attribute offers to a filter: the value,
// or each string element of a String.Array.
func (a attribute) strings() []string {
	if a.DataType != "String.Array" {
		return []string{a.Value}
	}
	var list []any
	if strictUnmarshal([]byte(a.Value), &list) != nil {
		return nil
	}
	var out []string
	for _, v := range list {
		if s, ok := v.(string); ok {
			out = append(out, s)
		}
	}
	return out
}

// The message attribute data types.
const (
	typeString = "String"
	typeNumber = "Number"
	typeBinary = "Binary"
)

// attrName is a valid attribute name: letters, digits, '_', '-' and '.',
// not starting or ending with '.', no "..".
var attrName = regexp.MustCompile(`^[A-Za-z0-9_-]+(\.[A-Za-z0-9_-]+)*$`)

// attrType is a valid data type: String, Number or Binary, with an optional
// custom suffix.
var attrType = regexp.MustCompile(`^(String|Number|Binary)(\.[A-Za-z0-9_.-]+)?$`)

// checkAttributes validates the message attributes, first failure first,
// with SNS's messages.
func checkAttributes(raw []rawAttribute) (map[string]attribute, *APIError) {
	if len(raw) > maxAttributes {
		return nil, apierror.New(codeParameterValueInvalid,
			"Number of message attributes [%d] exceeds the allowed maximum [%d].", len(raw), maxAttributes)
	}
	out := map[string]attribute{}
	for _, e := range raw {
		name, ok := e.fields["Name"]
		if !ok {
			return nil, apierror.New(codeValidation,
				"1 validation error detected: Value null at 'messageAttributes' failed to satisfy constraint: Map keys must not be null")
		}
		if err := checkAttributeName(name); err != nil {
			return nil, err
		}
		if _, dup := out[name]; dup {
			return nil, invalidParameter("MessageAttributes Reason: the message attribute '" + apierror.Clip(name) + "' is given more than once")
		}
		a, err := checkAttributeValue(name, e)
		if err != nil {
			return nil, err
		}
		out[name] = a
	}
	return out, nil
}

func checkAttributeName(name string) *APIError {
	switch {
	case len(name) > maxAttributeNameLen:
		return apierror.New(codeParameterValueInvalid, "Length of message attribute name must be less than %d bytes.", maxAttributeNameLen)
	case name == "":
		return apierror.New(codeParameterValueInvalid, "The message attribute name can not be empty.")
	case name[0] == '.':
		return apierror.New(codeParameterValueInvalid, "Invalid message attribute name starting with character '.' was found.")
	case name[len(name)-1] == '.':
		return apierror.New(codeParameterValueInvalid, "Invalid message attribute name ending with character '.' was found.")
	case strings.Contains(name, ".."):
		return apierror.New(codeParameterValueInvalid, "Message attribute name can not have successive '.' character.")
	case !attrName.MatchString(name):
		return apierror.New(codeParameterValueInvalid,
			"Invalid non-alphanumeric character was found in the message attribute name '%s'. Can only include alphanumeric characters, hyphens, underscores, or dots.", apierror.Clip(name))
	}
	return nil
}

func checkAttributeValue(name string, e rawAttribute) (attribute, *APIError) {
	dataType := e.fields["Value.DataType"]
	if !e.hasType {
		return attribute{}, apierror.New(codeValidation,
			"1 validation error detected: Value null at 'messageAttributes.%s.member.dataType' failed to satisfy constraint: Member must not be null", name)
	}
	if !attrType.MatchString(dataType) {
		return attribute{}, apierror.New(codeParameterValueInvalid,
			"The message attribute '%s' has an invalid message attribute type, the set of supported type prefixes is Binary, Number, and String.", name)
	}
	a := attribute{DataType: dataType}
	field, value, given := "String", e.fields["Value.StringValue"], e.hasString
	if a.binary() {
		field, value, given = "Binary", e.fields["Value.BinaryValue"], e.hasBinary
	}
	if !e.hasString && !e.hasBinary {
		return attribute{}, apierror.New(codeParameterValueInvalid,
			"The message attribute '%s' must contain non-empty message attribute value for message attribute type '%s'.", name, apierror.Clip(dataType))
	}
	if !given {
		return attribute{}, apierror.New(codeParameterValueInvalid,
			"The message attribute '%s' with type '%s' must use field '%s'.", name, apierror.Clip(dataType), field)
	}
	if value == "" {
		return attribute{}, apierror.New(codeParameterValueInvalid,
			"The message attribute '%s' must contain non-empty message attribute value for message attribute type '%s'.", name, apierror.Clip(dataType))
	}
	a.Value = value
	switch {
	case a.binary():
		b, ok := decodeBinary(value)
		if !ok {
			return attribute{}, invalidParameter("MessageAttributes Reason: the BinaryValue of '" + name + "' is not base64")
		}
		a.Value = base64.StdEncoding.EncodeToString(b)
	case a.number():
		if !validNumber(value) {
			return attribute{}, apierror.New(codeParameterValueInvalid, "Could not cast message attribute '%s' value to number.", name)
		}
	}
	return a, nil
}

// validNumber: a decimal number SNS accepts (-1e9 to 1e9, at most five
// digits after the point); filter policies compare them numerically.
func validNumber(s string) bool {
	var n json.Number = json.Number(s)
	f, err := n.Float64()
	if err != nil || strings.ContainsAny(s, "xXpP_") || math.IsInf(f, 0) || math.IsNaN(f) || math.Abs(f) > 1e9 {
		return false
	}
	if _, frac, ok := strings.Cut(strings.ToLower(s), "."); ok {
		frac, _, _ = strings.Cut(frac, "e")
		return len(frac) <= 5
	}
	return true
}
