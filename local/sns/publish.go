package sns

import (
	"strconv"
	"strings"
	"unicode"
	"unicode/utf8"

	"github.com/hitl-go/docsign/local/internal/apierror"
)

// Publish's limits, as SNS documents and enforces them.
const (
	// maxMessageSize bounds the message with its attributes (names, data
	// types and values all count), in bytes: 256 KiB.
	maxMessageSize = 256 * 1024
	// maxSubjectLen is the longest Subject, in characters.
	maxSubjectLen = 100
	// maxAttributes is the most message attributes a message may carry.
	maxAttributes = 10
	// maxAttributeNameLen is the longest attribute name, in bytes.
	maxAttributeNameLen = 256
)

// publishRequest is a checked Publish request.
type publishRequest struct {
	topicARN  string
	message   string
	subject   string
	structure map[string]string // MessageStructure json: the message per protocol
	attrs     map[string]attribute
}

// decodePublish checks a Publish request in the order SNS does: the
// model's required members, then Subject, Message, attributes, size,
// MessageStructure, and the target last.
func decodePublish(p params, region string) (*publishRequest, *APIError) {
	message, ok := p.str("Message")
	if !ok {
		return nil, apierror.New(codeValidation,
			"1 validation error detected: Value null at 'message' failed to satisfy constraint: Member must not be null")
	}
	r := &publishRequest{message: message}
	if subject, ok := p.str("Subject"); ok {
		if !validSubject(subject) {
			return nil, invalidParameter("Subject")
		}
		r.subject = subject
	}
	if message == "" {
		return nil, invalidParameter("Empty message")
	}
	raw, err := p.messageAttributes()
	if err != nil {
		return nil, err
	}
	if r.attrs, err = checkAttributes(raw); err != nil {
		return nil, err
	}
	if publishSize(message, r.attrs) > maxMessageSize {
		return nil, invalidParameter("Message too long")
	}
	if err := r.decodeStructure(p); err != nil {
		return nil, err
	}
	if r.topicARN, err = publishTarget(p, region); err != nil {
		return nil, err
	}
	if _, ok := p.str("MessageDeduplicationId"); ok {
		return nil, invalidParameter("MessageDeduplicationId Reason: The request includes MessageDeduplicationId parameter that is not valid for this topic type")
	}
	return r, nil
}

// validSubject: 1 to 100 characters of text without line breaks or control
// characters (the Publish reference in aws-sdk-go-v2/service/sns
// api_op_Publish.go: "UTF-8 text with no line breaks or control
// characters"; SNS refuses 101 characters, though the reference says "less
// than 100"). Parameters are already valid UTF-8.
func validSubject(s string) bool {
	if s == "" || utf8.RuneCountInString(s) > maxSubjectLen {
		return false
	}
	for _, r := range s {
		if unicode.IsControl(r) || r == '\u2028' || r == '\u2029' {
			return false
		}
	}
	return true
}

// decodeStructure reads MessageStructure: "json" makes the message a JSON
// object of a message per protocol, with a "default" one.
func (r *publishRequest) decodeStructure(p params) *APIError {
	structure, ok := p.str("MessageStructure")
	if !ok {
		return nil
	}
	if structure != "json" {
		return invalidParameter("MessageStructure")
	}
	var obj map[string]any
	if strictUnmarshal([]byte(r.message), &obj) != nil || obj == nil {
		return invalidParameter("Message Structure - JSON message body failed to parse")
	}
	r.structure = map[string]string{}
	for k, v := range obj {
		if s, ok := v.(string); ok { // SNS ignores keys with other values
			r.structure[k] = s
		}
	}
	if _, ok := r.structure["default"]; !ok {
		return invalidParameter("Message Structure - No default entry in JSON message body")
	}
	return nil
}

// bodyFor is the message a subscription of this protocol gets.
func (r *publishRequest) bodyFor(protocol string) string {
	if r.structure == nil {
		return r.message
	}
	if s, ok := r.structure[protocol]; ok {
		return s
	}
	return r.structure["default"]
}

// publishTarget finds the topic a Publish names in TopicArn or TargetArn
// (SNS takes either for a topic). Phone numbers and platform endpoints are
// not served.
func publishTarget(p params, region string) (string, *APIError) {
	topic, hasTopic := p.str("TopicArn")
	target, hasTarget := p.str("TargetArn")
	if phone, ok := p.str("PhoneNumber"); ok {
		return "", invalidParameter("PhoneNumber Reason: " + apierror.Clip(phone) + " is not valid to publish to (the local SNS sends no SMS)")
	}
	switch {
	case hasTopic && hasTarget:
		return "", invalidParameter("TopicArn or TargetArn Reason: only one of them may be given")
	case !hasTopic && !hasTarget:
		return "", invalidParameter("TopicArn or TargetArn Reason: no value for required parameter")
	case hasTarget && strings.Contains(target, ":endpoint/"):
		return "", invalidParameter("TargetArn Reason: No endpoint found for the target arn specified")
	case hasTarget:
		return target, checkARN("TargetArn", target, region)
	}
	return topic, checkARN("TopicArn", topic, region)
}

// checkARN refuses what is not an ARN, or an ARN of another region than
// the request's, as SNS does before looking the topic up.
func checkARN(param, arn, region string) *APIError {
	parts := strings.Split(arn, ":")
	if len(parts) < 6 || parts[0] != "arn" {
		return invalidParameter(param + " Reason: An ARN must have at least 6 elements, not " + strconv.Itoa(len(parts)))
	}
	if region != "" && parts[3] != region {
		return invalidParameter(param)
	}
	return nil
}

// publishSize is what counts against maxMessageSize.
func publishSize(message string, attrs map[string]attribute) int {
	n := len(message)
	for name, a := range attrs {
		n += len(name) + len(a.DataType) + len(a.Value)
	}
	return n
}
