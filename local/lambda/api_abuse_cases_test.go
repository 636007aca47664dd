package lambda

import (
	"encoding/base64"
	"strings"
)

// Each operation's own bad requests, beside the function name and route
// cases. Limits are Lambda's: payloads of 6 MB (RequestResponse) and 1 MB
// (Event), MaxItems 1–10000.

func invokeCases() []abuseCase {
	b64 := base64.StdEncoding.EncodeToString
	header := func(k, v string) map[string]string { return map[string]string{k: v} }
	payload := func(name, body string) abuseCase {
		return abuseCase{name: name, body: body, status: 400, code: invalid, msg: "Could not parse"}
	}
	return []abuseCase{
		{name: "qualifiers that differ", path: apiPrefix + "/sign:$LATEST/invocations?Qualifier=1", status: 400, code: param, msg: "qualifier"},
		{name: "invocation type in lower case", header: header("X-Amz-Invocation-Type", "requestresponse"), status: 400, code: param, msg: "invocation type"},
		{name: "invocation type unknown", header: header("X-Amz-Invocation-Type", "Async"), status: 400, code: param, msg: "invocation type"},
		{name: "log type unknown", header: header("X-Amz-Log-Type", "Full"), status: 400, code: param, msg: "log type"},
		{name: "client context not Base64", header: header("X-Amz-Client-Context", "{not base64}"), status: 400, code: invalid, msg: "Client context"},
		{name: "client context not JSON", header: header("X-Amz-Client-Context", b64([]byte("custom"))), status: 400, code: invalid, msg: "Client context"},
		{name: "client context a JSON array", header: header("X-Amz-Client-Context", b64([]byte("[]"))), status: 400, code: invalid, msg: "Client context"},
		payload("payload truncated", `{"action":`),
		payload("payload with trailing data", `{"action":"echo"} x`),
		payload("payload with a trailing brace", `{"action":"echo"}}`),
		// Lambda delivers a payload whose keys repeat as it came (the last
		// wins in most decoders); here the repeat is also malformed.
		payload("payload with a key twice, the last value malformed", `{"action":"echo","action":echo}`),
		payload("payload with invalid UTF-8", "{\"action\":\"echo\xff\"}"),
		payload("payload with a raw control character", "{\"action\":\"echo\x01\"}"),
		payload("payload with single quotes", `{'action':'echo'}`),
		payload("payload NaN", `NaN`),
		payload("payload nested 10001 deep", strings.Repeat("[", 10001)+strings.Repeat("]", 10001)),
		payload("payload of 10001 open brackets", strings.Repeat("[", 10001)),
		payload("payload of 300 KiB, not JSON", strings.Repeat("x", 300*kib)),
		{name: "payload over 6 MiB", body: `"` + strings.Repeat("p", MaxSyncPayload) + `"`, status: 413, code: tooLarge, msg: "too large"},
		{name: "Event payload over 1 MiB", header: header("X-Amz-Invocation-Type", "Event"),
			body: `"` + strings.Repeat("p", MaxAsyncPayload) + `"`, status: 413, code: tooLarge, msg: "Event"},
		{name: "Event payload not JSON", header: header("X-Amz-Invocation-Type", "Event"), body: `{`, status: 400, code: invalid, msg: "Could not parse"},
		{name: "DryRun payload not JSON", header: header("X-Amz-Invocation-Type", "DryRun"), body: `{`, status: 400, code: invalid, msg: "Could not parse"},
	}
}

func listFunctionsCases() []abuseCase {
	list := func(query string) string { return apiPrefix + "/?" + query }
	maxItems := func(name, v string) abuseCase {
		return abuseCase{name: name, path: list("MaxItems=" + v), status: 400, code: param, msg: "MaxItems"}
	}
	marker := func(name, v string) abuseCase {
		return abuseCase{name: name, path: list("Marker=" + v), status: 400, code: param, msg: "Marker"}
	}
	return []abuseCase{
		maxItems("MaxItems 0", "0"),
		maxItems("MaxItems negative", "-1"),
		maxItems("MaxItems over 10000", "10001"),
		maxItems("MaxItems beyond int64", "99999999999999999999"),
		maxItems("MaxItems a word", "ten"),
		maxItems("MaxItems a fraction", "1.5"),
		maxItems("MaxItems in exponent form", "1e3"),
		maxItems("MaxItems in hexadecimal", "0x10"),
		maxItems("MaxItems true", "true"),
		maxItems("MaxItems a JSON array", "%5B5%5D"),
		maxItems("MaxItems with a leading space", "%205"),
		maxItems("MaxItems with a trailing space", "5%20"),
		maxItems("MaxItems with a NUL", "5%00"),
		maxItems("MaxItems with invalid UTF-8", "5%FF"),
		maxItems("MaxItems in Arabic-Indic digits", "%D9%A5"),
		maxItems("MaxItems in full-width digits", "%EF%BC%95"),
		maxItems("MaxItems of 300 KiB", strings.Repeat("9", 300*kib)),
		{name: "MaxItems bad beside a good Marker", path: list("Marker=audit&MaxItems=0"), status: 400, code: param, msg: "MaxItems"},
		marker("Marker with a slash", "au%2Fdit"),
		marker("Marker with a hash", "au%23dit"),
		marker("Marker with a space", "au%20dit"),
		marker("Marker with a Cyrillic a", "%D0%B0udit"),
		marker("Marker with a control character", "audit%01"),
		marker("Marker with invalid UTF-8", "audit%FF"),
		marker("Marker of 65 characters", strings.Repeat("m", 65)),
		marker("Marker of 300 KiB", strings.Repeat("m", 300*kib)),
		marker("Marker an ARN", "arn:aws:lambda:us-east-1:000000000000:function:audit"),
		{name: "Marker bad beside a good MaxItems", path: list("MaxItems=1&Marker=%FF"), status: 400, code: param, msg: "Marker"},
	}
}
