package stepfunctions

import (
	"net/http"
	"strings"
	"testing"
)

// abuseOp describes one operation for the generic cases: a member and a
// well-formed request built around a value for it.
type abuseOp struct {
	op       string
	field    string                  // a required member…
	optional bool                    // …unless this is set
	with     func(raw string) string // a well-formed request whose field has this raw JSON value
	probe    string                  // a field value refused, naming nothing that exists where it can…
	code     string                  // …and the error the request with it answers
	good     string                  // a field value naming something that exists
	bad      string                  // a field value refused…
	badIs    string                  // …with this error
	cases    []abuseCase             // the operation's own cases
}

// TestAPIBadInputMatrix runs the generic and the operation's own cases for
// each operation.
func TestAPIBadInputMatrix(t *testing.T) {
	e := newAbuseEnv(t)
	for _, o := range abuseOps(e) {
		t.Run(o.op, func(t *testing.T) {
			runAbuseCases(t, e, o.op, append(genericAbuseCases(o), o.cases...))
		})
	}
}

// genericAbuseCases are the malformed requests every operation must refuse
// the same way.
func genericAbuseCases(o abuseOp) []abuseCase {
	const ser, val, unknown = codeSerializationException, codeValidationException, codeUnknownOperationException
	probe := o.with(abuseQ(o.probe))
	member := "'" + o.field + "'"
	duplicate := strings.TrimSuffix(o.with(abuseQ(o.good)), "}") + "," + abuseQ(o.field) + ":" + abuseQ(o.bad) + "}"
	absent := []abuseCase{
		{name: "empty body", body: ``, code: val, msg: member},
		{name: "empty object", body: `{}`, code: val, msg: member},
		{name: "null body", body: `null`, code: val, msg: member},
		{name: "member null", body: o.with("null"), code: val, msg: member},
		{name: "member empty", body: o.with(`""`), code: val, msg: member},
	}
	if o.optional {
		absent = nil
	}
	return append(absent, []abuseCase{
		{name: "well-formed probe", body: probe, code: o.code},
		{name: "malformed", body: "{", code: ser, msg: "Malformed request body"},
		{name: "truncated", body: probe[:len(probe)-1], code: ser, msg: "Malformed request body"},
		{name: "array body", body: "[" + probe + "]", code: ser, msg: "Unexpected value type"},
		{name: "string body", body: `"x"`, code: ser, msg: "Unexpected value type"},
		{name: "number body", body: `42`, code: ser, msg: "Unexpected value type"},
		{name: "boolean body", body: `true`, code: ser, msg: "Unexpected value type"},
		{name: "member a number", body: o.with("42"), code: ser, msg: member},
		{name: "member an object", body: o.with(`{"value":"x"}`), code: ser, msg: member},
		{name: "member an array", body: o.with(`["x"]`), code: ser, msg: member},
		{name: "member a boolean", body: o.with("false"), code: ser, msg: member},
		{name: "deep nesting", body: strings.Repeat("[", 10001), code: ser, msg: "exceeded max depth"},
		{name: "deep nesting in an unknown member", body: `{"x":` + strings.Repeat("[", 10001) + strings.Repeat("]", 10001) + "," + probe[1:],
			code: ser, msg: "exceeded max depth"},
		{name: "second object", body: probe + "{}", code: ser, msg: "unexpected data"},
		{name: "trailing garbage", body: probe + " x", code: ser, msg: "unexpected data"},
		{name: "trailing brace", body: probe + "}", code: ser, msg: "Malformed request body"},
		{name: "invalid UTF-8 in the member", body: o.with(`"` + o.probe + "\xff" + `"`), code: ser},
		{name: "raw control character in the member", body: o.with(`"` + o.probe + "\x01" + `"`), code: ser, msg: "invalid character"},
		{name: "request over 1 MiB", body: `{"pad":"` + strings.Repeat("p", maxRequestSize) + `",` + probe[1:], code: val, msg: "Request size"},
		{name: "duplicate member, the last bad", body: duplicate, code: o.badIs},
		{name: "target in lower case", target: targetPrefix + strings.ToLower(o.op[:1]) + o.op[1:], body: probe, code: unknown, msg: "not supported"},
		{name: "target with a trailing space", target: targetPrefix + o.op + " ", body: probe, code: unknown, msg: "not supported"},
		{name: "target without the service", target: o.op, body: probe, code: unknown, msg: "X-Amz-Target"},
		{name: "target of DynamoDB", target: "DynamoDB_20120810." + o.op, body: probe, code: unknown, msg: "X-Amz-Target"},
		{name: "target of another version", target: "AWSStepFunctionsV2." + o.op, body: probe, code: unknown, msg: "X-Amz-Target"},
		{name: "target prefix only", target: targetPrefix, body: probe, code: unknown, msg: "not supported"},
		{name: "GET", method: http.MethodGet, body: probe, status: http.StatusMethodNotAllowed, code: unknown, msg: "POST"},
	}...)
}

// abuseOps lists the operations under test, with their own cases.
func abuseOps(e *abuseEnv) []abuseOp {
	execField := func(op string, cases []abuseCase) abuseOp {
		return abuseOp{op: op, field: "executionArn", with: func(raw string) string { return abuseObj("executionArn", raw) },
			probe: abuseExecPfx + "missing", code: codeExecutionDoesNotExist, good: abuseExecPfx + "done",
			bad: "not-an-arn", badIs: codeInvalidArn, cases: append(executionARNCases(op), cases...)}
	}
	tokenField := func(op, rest string, cases []abuseCase) abuseOp {
		return abuseOp{op: op, field: "taskToken", with: func(raw string) string { return `{"taskToken":` + raw + rest + "}" },
			probe: "not-a-token", code: codeInvalidToken, good: e.closedToken, bad: "not-a-token", badIs: codeInvalidToken,
			cases: append(tokenCases(e, rest), cases...)}
	}
	machineField := func(op, probe, code string, cases []abuseCase) abuseOp {
		return abuseOp{op: op, field: "stateMachineArn", with: func(raw string) string { return abuseObj("stateMachineArn", raw) },
			probe: probe, code: code, good: abuseSM, bad: "not-an-arn", badIs: codeInvalidArn, cases: cases}
	}
	return []abuseOp{
		{op: "StartExecution", field: "stateMachineArn",
			with: func(raw string) string {
				return abuseObj("stateMachineArn", raw, "name", `"abuse-new"`, "input", `"{}"`)
			},
			probe: abuseSM + "Missing", code: codeStateMachineDoesNotExist, good: abuseSM, bad: "not-an-arn", badIs: codeInvalidArn,
			cases: startExecutionCases()},
		tokenField("SendTaskSuccess", `,"output":"{}"`, sendTaskSuccessCases(e)),
		tokenField("SendTaskFailure", `,"error":"E"`, sendTaskFailureCases(e)),
		tokenField("SendTaskHeartbeat", ``, nil),
		execField("DescribeExecution", nil),
		execField("StopExecution", stopExecutionCases()),
		execField("GetExecutionHistory", historyCases()),
		{op: "CreateStateMachine", field: "name",
			with: func(raw string) string {
				return abuseObj("name", raw, "definition", abuseQ(passDef), "roleArn", abuseQ(abuseRole))
			},
			probe: "abuse probe", code: codeInvalidName, good: "Sign", bad: "a/b", badIs: codeInvalidName,
			cases: createStateMachineCases()},
		machineField("ListExecutions", abuseSM+"Missing", codeStateMachineDoesNotExist, listExecutionsCases()),
		machineField("DescribeStateMachine", abuseSM+"Missing", codeStateMachineDoesNotExist, stateMachineARNCases(codeStateMachineDoesNotExist)),
		{op: "ListStateMachines", field: "nextToken", optional: true, with: func(raw string) string { return abuseObj("nextToken", raw) },
			probe: "not-a-token", code: codeInvalidToken, good: encodePageToken("sm", "A"), bad: "not-a-token", badIs: codeInvalidToken,
			cases: listStateMachinesCases()},
		// Last: a case it got wrong would delete Sign. A missing state
		// machine is no error for it, so its probe is an execution's ARN.
		machineField("DeleteStateMachine", abuseExecPfx+"open", codeInvalidArn, stateMachineARNCases("")),
	}
}
