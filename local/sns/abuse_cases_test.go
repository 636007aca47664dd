package sns

import (
	"net/http"
	"strings"
)

const (
	invalid, valueInvalid, validation = codeInvalidParameter, codeParameterValueInvalid, codeValidation
	badAction, authz, notFound        = codeInvalidAction, codeAuthorization, codeNotFound
)

// protocolCases break the query protocol, or ask for actions not served.
func protocolCases() []abuseCase {
	good := form()
	return []abuseCase{
		{name: "no Action", body: form("Action", drop), code: codeMissingAction, msg: "Missing Action"},
		{name: "empty Action", body: form("Action", ""), code: codeMissingAction, msg: "Missing Action"},
		{name: "unknown action", body: form("Action", "Frobnicate"), code: badAction, msg: "Frobnicate"},
		{name: "action in lower case", body: form("Action", "publish"), code: badAction, msg: "publish"},
		{name: "ListTopics is not served", body: form("Action", "ListTopics"), code: badAction, msg: "ListTopics"},
		{name: "PublishBatch is not served", body: form("Action", "PublishBatch"), code: badAction, msg: "PublishBatch"},
		{name: "CreateTopic", body: "Action=CreateTopic&Name=x", status: http.StatusForbidden, code: authz, msg: "template"},
		{name: "Subscribe", body: "Action=Subscribe&TopicArn=" + testTopicARN + "&Protocol=email&Endpoint=m%40example.com", status: http.StatusForbidden, code: authz, msg: "SNS:Subscribe"},
		{name: "DeleteTopic", body: "Action=DeleteTopic&TopicArn=" + testTopicARN, status: http.StatusForbidden, code: authz, msg: "SNS:DeleteTopic"},
		{name: "SetSubscriptionAttributes", body: "Action=SetSubscriptionAttributes", status: http.StatusForbidden, code: authz, msg: "SetSubscriptionAttributes"},
		{name: "PUT", req: abuseRequest{method: http.MethodPut}, body: good, code: badAction, msg: "POST and GET"},
		{name: "JSON body is no form", req: abuseRequest{contentType: "application/x-amz-json-1.0"}, body: `{"Action":"Publish"}`, code: codeMissingAction, msg: "Missing Action"},
		{name: "bad percent-encoding", body: good + "&Message=%zz", status: http.StatusNotFound, code: codeMalformedQuery, msg: "syntax error"},
		{name: "semicolon separator", body: "Action=Publish;Message=m", status: http.StatusNotFound, code: codeMalformedQuery, msg: "syntax error"},
		{name: "parameter given twice", body: good + "&Message=again", code: invalid, msg: "Message Reason: given more than once"},
		{name: "body over 1 MiB", body: form("Pad", strings.Repeat("p", maxRequestSize)), code: invalid, msg: "Message too long"},
		{name: "invalid UTF-8", body: form() + "&Extra=%ff", code: invalid, msg: "UTF-8"},
	}
}

// publishCases are well-formed Publish requests SNS refuses.
func publishCases() []abuseCase {
	const other = "arn:aws:sns:us-east-1:000000000000:Nope"
	return []abuseCase{
		{name: "Message missing", body: form("Message", drop), code: validation, msg: "Value null at 'message'"},
		{name: "Message empty", body: form("Message", ""), code: invalid, msg: "Empty message"},
		{name: "Message over 256 KiB", body: form("Message", strings.Repeat("m", maxMessageSize-23)), code: invalid, msg: "Message too long"},
		{name: "Message over 256 KiB in bytes, not characters", body: form("Message", strings.Repeat("é", maxMessageSize/2-10)), code: invalid, msg: "Message too long"},
		{name: "Subject empty", body: form("Subject", ""), code: invalid, msg: "Subject"},
		{name: "Subject of 101 characters", body: form("Subject", strings.Repeat("s", 101)), code: invalid, msg: "Subject"},
		{name: "Subject with a line break", body: form("Subject", "Please\nsign"), code: invalid, msg: "Subject"},
		{name: "Subject with a tab", body: form("Subject", "Please\tsign"), code: invalid, msg: "Subject"},
		{name: "Subject of 101 characters, not ASCII", body: form("Subject", strings.Repeat("é", 101)), code: invalid, msg: "Subject"},
		{name: "Subject with DEL", body: form("Subject", "Please\x7fsign"), code: invalid, msg: "Subject"},
		{name: "Subject with a C1 control", body: form("Subject", "Please\u0085sign"), code: invalid, msg: "Subject"},
		{name: "Subject with a line separator", body: form("Subject", "Please\u2028sign"), code: invalid, msg: "Subject"},
		{name: "no TopicArn nor TargetArn", body: form("TopicArn", drop), code: invalid, msg: "TopicArn or TargetArn Reason: no value for required parameter"},
		{name: "TopicArn not an ARN", body: form("TopicArn", "Notifications"), code: invalid, msg: "An ARN must have at least 6 elements, not 1"},
		{name: "TopicArn empty", body: form("TopicArn", ""), code: invalid, msg: "TopicArn Reason: An ARN"},
		{name: "TopicArn of another region", body: form("TopicArn", strings.Replace(testTopicARN, "us-east-1", "eu-west-1", 1)), code: invalid, msg: "TopicArn"},
		{name: "unknown topic", body: form("TopicArn", other), status: http.StatusNotFound, code: notFound, msg: "Topic does not exist"},
		{name: "topic name in another case", body: form("TopicArn", strings.ToLower(testTopicARN)), status: http.StatusNotFound, code: notFound, msg: "Topic does not exist"},
		{name: "unknown topic as TargetArn", body: form("TopicArn", drop, "TargetArn", other), status: http.StatusNotFound, code: notFound, msg: "Topic does not exist"},
		{name: "TopicArn and TargetArn", body: form("TargetArn", testTopicARN), code: invalid, msg: "only one"},
		{name: "platform endpoint", body: form("TopicArn", drop, "TargetArn", "arn:aws:sns:us-east-1:000000000000:endpoint/GCM/app/1"), code: invalid, msg: "No endpoint found"},
		{name: "PhoneNumber", body: form("TopicArn", drop, "PhoneNumber", "+15555550100"), code: invalid, msg: "PhoneNumber"},
		{name: "MessageDeduplicationId on a standard topic", body: form("MessageDeduplicationId", "d1"), code: invalid, msg: "MessageDeduplicationId"},
		{name: "MessageStructure json, message not JSON", body: form("MessageStructure", "json"), code: invalid, msg: "failed to parse"},
		{name: "MessageStructure json without default", body: form("MessageStructure", "json", "Message", `{"email":"e"}`), code: invalid, msg: "No default entry"},
		{name: "MessageStructure json, a JSON array", body: form("MessageStructure", "json", "Message", `["default"]`), code: invalid, msg: "failed to parse"},
		{name: "MessageStructure other than json", body: form("MessageStructure", "xml"), code: invalid, msg: "MessageStructure"},
	}
}

// attributeCases are Publish requests with message attributes SNS refuses.
func attributeCases() []abuseCase {
	s := func(name, value string) [4]string { return [4]string{name, "String", "StringValue", value} }
	eleven := make([][4]string, 11)
	for i := range eleven {
		eleven[i] = s("a"+strings.Repeat("x", i), "v")
	}
	return []abuseCase{
		{name: "eleven attributes", body: form(attrs(eleven...)...), code: valueInvalid, msg: "[11] exceeds the allowed maximum [10]"},
		{name: "name of 257 characters", body: form(attrs(s(strings.Repeat("n", 257), "v"))...), code: valueInvalid, msg: "less than 256 bytes"},
		{name: "name with a space", body: form(attrs(s("document id", "v"))...), code: valueInvalid, msg: "Invalid non-alphanumeric character"},
		{name: "name starting with a dot", body: form(attrs(s(".signer", "v"))...), code: valueInvalid, msg: "starting with character '.'"},
		{name: "name ending with a dot", body: form(attrs(s("signer.", "v"))...), code: valueInvalid, msg: "ending with character '.'"},
		{name: "name with two dots", body: form(attrs(s("a..b", "v"))...), code: valueInvalid, msg: "successive '.'"},
		{name: "name empty", body: form(attrs(s("", "v"))...), code: valueInvalid, msg: "can not be empty"},
		{name: "entry without a name", body: form(attrs([4]string{drop, "String", "StringValue", "v"})...), code: validation, msg: "Map keys must not be null"},
		{name: "DataType missing", body: form(attrs([4]string{"signer", drop, "StringValue", "v"})...), code: validation, msg: "Value null at 'messageAttributes.signer.member.dataType'"},
		{name: "DataType unknown", body: form(attrs([4]string{"signer", "Text", "StringValue", "v"})...), code: valueInvalid, msg: "invalid message attribute type"},
		{name: "DataType in lower case", body: form(attrs([4]string{"signer", "string", "StringValue", "v"})...), code: valueInvalid, msg: "supported type prefixes is Binary, Number, and String"},
		{name: "String given as BinaryValue", body: form(attrs([4]string{"signer", "String", "BinaryValue", "dg=="})...), code: valueInvalid, msg: "must use field 'String'"},
		{name: "Binary given as StringValue", body: form(attrs([4]string{"raw", "Binary", "StringValue", "v"})...), code: valueInvalid, msg: "must use field 'Binary'"},
		{name: "no value", body: form(attrs([4]string{"signer", "String", "", ""})...), code: valueInvalid, msg: "must contain non-empty message attribute value"},
		{name: "empty StringValue", body: form(attrs(s("signer", ""))...), code: valueInvalid, msg: "non-empty"},
		{name: "Number not a number", body: form(attrs([4]string{"n", "Number", "StringValue", "abc"})...), code: valueInvalid, msg: "Could not cast message attribute 'n' value to number"},
		{name: "Number over 10^9", body: form(attrs([4]string{"n", "Number", "StringValue", "1e10"})...), code: valueInvalid, msg: "to number"},
		{name: "Number with six decimals", body: form(attrs([4]string{"n", "Number", "StringValue", "1.123456"})...), code: valueInvalid, msg: "to number"},
		{name: "Number NaN", body: form(attrs([4]string{"n", "Number", "StringValue", "NaN"})...), code: valueInvalid, msg: "to number"},
		{name: "Binary not base64", body: form(attrs([4]string{"raw", "Binary", "BinaryValue", "%%%"})...), code: invalid, msg: "not base64"},
		{name: "same name twice", body: form(attrs(s("signer", "alice"), s("signer", "bob"))...), code: invalid, msg: "more than once"},
		{name: "entry index 0", body: form("MessageAttributes.entry.0.Name", "x"), code: invalid, msg: "MessageAttributes.entry.0.Name"},
		{name: "list values are not served", body: form("MessageAttributes.entry.1.Value.StringListValues.member.1", "x"), code: invalid, msg: "unexpected parameter"},
		{name: "attributes push the message over 256 KiB", body: form(append(attrs(s("pad", strings.Repeat("p", 200))), "Message", strings.Repeat("m", maxMessageSize-200))...), code: invalid, msg: "Message too long"},
	}
}

// readOnlyCases are ListSubscriptionsByTopic and GetTopicAttributes
// requests SNS refuses.
func readOnlyCases() []abuseCase {
	var cases []abuseCase
	for _, op := range []string{"ListSubscriptionsByTopic", "GetTopicAttributes"} {
		cases = append(cases,
			abuseCase{name: op + ": no TopicArn", body: "Action=" + op, code: validation, msg: "Value null at 'topicArn'"},
			abuseCase{name: op + ": TopicArn not an ARN", body: "Action=" + op + "&TopicArn=x:y", code: invalid, msg: "not 2"},
			abuseCase{name: op + ": unknown topic", body: "Action=" + op + "&TopicArn=arn:aws:sns:us-east-1:000000000000:Nope", status: http.StatusNotFound, code: notFound, msg: "Topic does not exist"},
		)
	}
	return append(cases, abuseCase{name: "ListSubscriptionsByTopic: NextToken", body: "Action=ListSubscriptionsByTopic&TopicArn=" + testTopicARN + "&NextToken=abc", code: invalid, msg: "NextToken"})
}
