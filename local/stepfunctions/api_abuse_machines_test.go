package stepfunctions

import (
	"net/http"
	"strings"
)

// The bad requests of the operations that name a state machine.

func startExecutionCases() []abuseCase {
	start := func(kv ...string) string {
		return abuseObj(append([]string{"stateMachineArn", abuseQ(abuseSM)}, kv...)...)
	}
	name := func(n string) string { return start("name", abuseQ(n), "input", `"{}"`) }
	// "done" exists (closed), so a request that got past validation would
	// answer ExecutionAlreadyExists instead of starting anything.
	input := func(raw string) string { return start("name", `"done"`, "input", raw) }
	return append(stateMachineARNCases(codeStateMachineDoesNotExist), []abuseCase{
		{name: "execution name with a slash", body: name("a/b"), code: codeInvalidName, msg: "a/b"},
		{name: "execution name with a hash", body: name("a#b"), code: codeInvalidName, msg: "a#b"},
		{name: "execution name with a space", body: name("a b"), code: codeInvalidName, msg: "a b"},
		{name: "name with a control character", body: name("a\u0001b"), code: codeInvalidName, msg: "Invalid Name"},
		{name: "name with a no-break space", body: name("a\u00a0b"), code: codeInvalidName, msg: "Invalid Name"},
		{name: "name with brackets", body: name("<script>"), code: codeInvalidName, msg: "Invalid Name"},
		{name: "name of 81 characters", body: name(strings.Repeat("n", 81)), code: codeValidationException, msg: "'name'"},
		{name: "name of 81 Cyrillic characters", body: name(strings.Repeat(cyrillicA, 81)), code: codeValidationException, msg: "'name'"},
		{name: "name of 300 KiB", body: name(strings.Repeat("n", 300*abuseKiB)), code: codeValidationException, msg: "'name'"},
		{name: "name of a running execution, other input", body: start("name", `"open"`, "input", `"{\"other\":1}"`), code: codeExecutionAlreadyExists, msg: "open"},
		{name: "name of a closed execution", body: input(`"{}"`), code: codeExecutionAlreadyExists, msg: "done"},
		{name: "input not JSON", body: input(`"{documentId}"`), code: codeInvalidExecutionInput, msg: "Invalid State Machine Execution Input"},
		{name: "input empty", body: input(`""`), code: codeInvalidExecutionInput, msg: "Invalid State Machine Execution Input"},
		{name: "input with a second value", body: input(`"{} {}"`), code: codeInvalidExecutionInput, msg: "Invalid State Machine Execution Input"},
		{name: "input with a trailing brace", body: input(`"{}}"`), code: codeInvalidExecutionInput, msg: "Invalid State Machine Execution Input"},
		{name: "input nested 10001 deep", body: input(abuseQ(strings.Repeat("[", 10001) + strings.Repeat("]", 10001))), code: codeInvalidExecutionInput, msg: "Invalid State Machine Execution Input"},
		{name: "input of 300 KiB", body: input(abuseQ(`"` + strings.Repeat("i", 300*abuseKiB) + `"`)), code: codeValidationException, msg: "'input'"},
		// 100,000 characters but 300,000 bytes: AWS counts the payload in UTF-8 bytes.
		{name: "input of 100k CJK characters", body: input(abuseQ(`"` + strings.Repeat(cjk, 100_000) + `"`)), code: codeValidationException, msg: "'input'"},
		{name: "input of 100,000 three-byte characters", body: input(abuseQ(`"` + strings.Repeat("\u4e00", 100_000) + `"`)), code: codeValidationException, msg: "'input'"},
		{name: "input an object", body: input(`{"documentId":"3"}`), code: codeSerializationException, msg: "'input'"},
		{name: "traceHeader of 257 characters", body: start("name", `"done"`, "input", `"{}"`, "traceHeader", abuseQ(strings.Repeat("t", 257))),
			code: codeValidationException, msg: "'traceHeader'"},
	}...)
}

func createStateMachineCases() []abuseCase {
	create := func(name, def, role string) string {
		return abuseObj("name", abuseQ(name), "definition", abuseQ(def), "roleArn", abuseQ(role))
	}
	sign := callbackMachine("")
	return []abuseCase{
		{name: "name with a slash", body: create("a/b", passDef, abuseRole), code: codeInvalidName, msg: "a/b"},
		{name: "name with a hash", body: create("a#b", passDef, abuseRole), code: codeInvalidName, msg: "a#b"},
		{name: "name with a newline", body: create("a\nb", passDef, abuseRole), code: codeInvalidName, msg: "Invalid Name"},
		{name: "name of 81 characters", body: create(strings.Repeat("n", 81), passDef, abuseRole), code: codeValidationException, msg: "'name'"},
		{name: "name of 300 KiB", body: create(strings.Repeat("n", 300*abuseKiB), passDef, abuseRole), code: codeValidationException, msg: "'name'"},
		{name: "definition missing", body: abuseObj("name", `"Other"`, "roleArn", abuseQ(abuseRole)), code: codeValidationException, msg: "'definition'"},
		{name: "definition not JSON", body: create("Other", "StartAt: A", abuseRole), code: codeInvalidDefinition, msg: "Invalid State Machine Definition"},
		{name: "definition empty object", body: create("Other", "{}", abuseRole), code: codeInvalidDefinition, msg: "StartAt"},
		{name: "definition an array", body: create("Other", "[]", abuseRole), code: codeInvalidDefinition, msg: "Invalid State Machine Definition"},
		{name: "StartAt with a Cyrillic a", body: create("Other", strings.Replace(passDef, `"StartAt":"P"`, `"StartAt":"`+cyrillicA+`"`, 1), abuseRole),
			code: codeInvalidDefinition, msg: "Invalid State Machine Definition"},
		{name: "definition with a trailing brace", body: create("Sign", sign+"}", abuseRole), code: codeInvalidDefinition, msg: "Invalid State Machine Definition"},
		{name: "definition nested 10001 deep", body: create("Other", strings.Repeat("[", 10001)+strings.Repeat("]", 10001), abuseRole),
			code: codeInvalidDefinition, msg: "Invalid State Machine Definition"},
		{name: "definition of 300 KiB", body: create("Other", `{"Comment":"`+strings.Repeat("c", 300*abuseKiB)+`"}`, abuseRole),
			code: codeInvalidDefinition, msg: "StartAt"},
		{name: "definition an object", body: abuseObj("name", `"Other"`, "definition", passDef, "roleArn", abuseQ(abuseRole)),
			code: codeSerializationException, msg: "'definition'"},
		{name: "roleArn missing", body: abuseObj("name", `"Other"`, "definition", abuseQ(passDef)), code: codeValidationException, msg: "'roleArn'"},
		{name: "roleArn of 257 characters", body: create("Other", passDef, abuseRole+strings.Repeat("r", 257-len(abuseRole))), code: codeValidationException, msg: "'roleArn'"},
		{name: "roleArn not an ARN", body: create("Sign", sign, "not-an-arn"), code: codeInvalidArn, msg: "not-an-arn"},
		{name: "type in lower case", body: strings.TrimSuffix(create("Other", passDef, abuseRole), "}") + `,"type":"express"}`, code: codeValidationException, msg: "'type'"},
		{name: "type EXPRESS", body: strings.TrimSuffix(create("Other", passDef, abuseRole), "}") + `,"type":"EXPRESS"}`, code: codeStateMachineTypeNotSupported, msg: "EXPRESS"},
		{name: "type a number", body: strings.TrimSuffix(create("Other", passDef, abuseRole), "}") + `,"type":1}`, code: codeSerializationException, msg: "'type'"},
		{name: "publish", body: strings.TrimSuffix(create("Other", passDef, abuseRole), "}") + `,"publish":true}`, code: codeValidationException, msg: "Publishing"},
		{name: "publish a string", body: strings.TrimSuffix(create("Other", passDef, abuseRole), "}") + `,"publish":"yes"}`, code: codeSerializationException, msg: "'publish'"},
		{name: "same name, other definition", body: create("Sign", passDef, abuseRole), code: codeStateMachineAlreadyExists, msg: "Sign"},
	}
}

func listExecutionsCases() []abuseCase {
	list := func(kv ...string) string {
		return abuseObj(append([]string{"stateMachineArn", abuseQ(abuseSM)}, kv...)...)
	}
	cases := append(stateMachineARNCases(codeStateMachineDoesNotExist), pageCases(list, encodePageToken("h", "1"), 3096)...)
	return append(cases, []abuseCase{
		{name: "statusFilter in lower case", body: list("statusFilter", `"running"`), code: codeValidationException, msg: "'statusFilter'"},
		{name: "statusFilter unknown", body: list("statusFilter", `"DONE"`), code: codeValidationException, msg: "'statusFilter'"},
		{name: "statusFilter a number", body: list("statusFilter", `1`), code: codeSerializationException, msg: "'statusFilter'"},
		{name: "mapRunArn", body: list("mapRunArn", abuseQ(abuseSM)), code: codeValidationException, msg: "Map Run"},
	}...)
}

func listStateMachinesCases() []abuseCase {
	return pageCases(abuseObj, encodePageToken("ex", "0"), 1024)
}

// stateMachineARNCases vary the stateMachineArn of a request that has no
// other member. missing is the error code of a well-formed ARN naming no
// state machine, or "" where that succeeds (DeleteStateMachine, as AWS's).
func stateMachineARNCases(missing string) []abuseCase {
	arn := func(s string) string { return abuseObj("stateMachineArn", abuseQ(s)) }
	other := func(name, s string) abuseCase {
		if missing == "" {
			return abuseCase{name: name, body: arn(s), status: http.StatusOK}
		}
		return abuseCase{name: name, body: arn(s), code: missing, msg: "State Machine Does Not Exist"}
	}
	return []abuseCase{
		{name: "state machine not an ARN", body: arn("Sign"), code: codeInvalidArn, msg: "Sign"},
		{name: "an execution ARN", body: arn(abuseExecPfx + "open"), code: codeInvalidArn, msg: "Resource type"},
		{name: "a Lambda ARN", body: arn("arn:aws:lambda:us-east-1:000000000000:function:Sign"), code: codeInvalidArn, msg: "arn:aws:lambda"},
		{name: "ARN without a name", body: arn(strings.TrimSuffix(abuseSM, "Sign")), code: codeInvalidArn, msg: "stateMachine:"},
		{name: "state machine ARN of 257 characters", body: arn(abuseSM + strings.Repeat("x", 257-len(abuseSM))),
			code: codeValidationException, msg: "'stateMachineArn'"},
		{name: "state machine ARN of 300 KiB", body: arn(abuseSM + strings.Repeat("x", 300*abuseKiB)), code: codeValidationException, msg: "'stateMachineArn'"},
		other("state machine with a Cyrillic i", strings.Replace(abuseSM, "Sign", "S"+cyrillicI+"gn", 1)),
		other("state machine in lower case", strings.Replace(abuseSM, "Sign", "sign", 1)),
		other("name with a slash", abuseSM+"/x"),
		other("name with a hash", abuseSM+"#x"),
		other("name with a space", abuseSM+" "),
		other("name with a version", abuseSM+":1"),
		other("other region", strings.Replace(abuseSM, "us-east-1", "us-west-2", 1)),
		other("other account", strings.Replace(abuseSM, "000000000000", "111111111111", 1)),
	}
}
