package stepfunctions

import (
	"strings"
)

// Each operation's own bad requests. Codes and limits are AWS's (the
// Step Functions API model: ARNs 1–256 characters, names 1–80, inputs and
// outputs 256 KiB, error 256, cause 32768, history nextToken 1024 and
// ListExecutions nextToken 3096 characters; length violations are
// ValidationException).

const (
	cyrillicA = "\u0430" // looks like a Latin a
	cjk       = "\u7b7e" // 签: one character, three bytes of UTF-8
	cyrillicO = "\u043e" // looks like a Latin o
	cyrillicI = "\u0456" // looks like a Latin i
)

// executionARNCases vary the executionArn of a request that has no other member.
func executionARNCases(op string) []abuseCase {
	arn := func(s string) string { return abuseObj("executionArn", abuseQ(s)) }
	return []abuseCase{
		{name: "not an ARN", body: arn("open"), code: codeInvalidArn, msg: "open"},
		{name: "a state machine ARN", body: arn(abuseSM), code: codeInvalidArn, msg: "Resource type"},
		{name: "an S3 ARN", body: arn("arn:aws:s3:::bucket/key"), code: codeInvalidArn, msg: "arn:aws:s3"},
		{name: "name with a Cyrillic o", body: arn(abuseExecPfx + cyrillicO + "pen"), code: codeExecutionDoesNotExist, msg: "Execution Does Not Exist"},
		{name: "name with a slash", body: arn(abuseExecPfx + "open/x"), code: codeExecutionDoesNotExist, msg: "open/x"},
		{name: "name with a hash", body: arn(abuseExecPfx + "open#x"), code: codeExecutionDoesNotExist, msg: "open#x"},
		{name: "name with a space", body: arn(abuseExecPfx + "open "), code: codeExecutionDoesNotExist, msg: "Execution Does Not Exist"},
		{name: "other region", body: arn(strings.Replace(abuseExecPfx, "us-east-1", "us-west-2", 1) + "open"), code: codeExecutionDoesNotExist, msg: "us-west-2"},
		{name: "other account", body: arn(strings.Replace(abuseExecPfx, "000000000000", "111111111111", 1) + "open"), code: codeExecutionDoesNotExist, msg: "111111111111"},
		{name: "ARN of 257 characters", body: arn(abuseExecPfx + strings.Repeat("x", 257-len(abuseExecPfx))), code: codeValidationException, msg: "'executionArn'"},
		{name: "ARN of 300 KiB", body: arn(abuseExecPfx + strings.Repeat("x", 300*abuseKiB)), code: codeValidationException, msg: "'executionArn'"},
	}
}

// tokenCases vary the taskToken of a SendTask* request whose other members
// (rest) are valid.
func tokenCases(e *abuseEnv, rest string) []abuseCase {
	tok := func(s string) string { return `{"taskToken":` + abuseQ(s) + rest + "}" }
	forged := []byte(e.openToken)
	forged[20] ^= 1
	lookalike := strings.Replace(e.openToken, e.openToken[5:6], cyrillicA, 1)
	return []abuseCase{
		{name: "token never issued", body: tok(strings.Repeat("A", len(e.openToken))), code: codeInvalidToken, msg: "Invalid Token"},
		{name: "token with one bit changed", body: tok(string(forged)), code: codeInvalidToken, msg: "Invalid Token"},
		{name: "token with a Cyrillic a", body: tok(lookalike), code: codeInvalidToken, msg: "Invalid Token"},
		{name: "token with a trailing space", body: tok(e.openToken + " "), code: codeInvalidToken, msg: "Invalid Token"},
		{name: "token cut short", body: tok(e.openToken[:len(e.openToken)-1]), code: codeInvalidToken, msg: "Invalid Token"},
		{name: "token of a closed task", body: tok(e.closedToken), code: codeTaskTimedOut, msg: "Task Timed Out"},
		{name: "token of 2049 characters", body: tok(strings.Repeat("t", 2049)), code: codeValidationException, msg: "'taskToken'"},
		{name: "token of 300 KiB", body: tok(e.openToken + strings.Repeat("t", 300*abuseKiB)), code: codeValidationException, msg: "'taskToken'"},
	}
}

func sendTaskSuccessCases(e *abuseEnv) []abuseCase {
	out := func(raw string) string { return abuseObj("taskToken", abuseQ(e.closedToken), "output", raw) }
	return []abuseCase{
		{name: "output missing", body: abuseObj("taskToken", abuseQ(e.openToken)), code: codeValidationException, msg: "'output'"},
		{name: "output null", body: out("null"), code: codeValidationException, msg: "'output'"},
		{name: "output not JSON", body: out(`"{signed"`), code: codeInvalidOutput, msg: "Invalid Output"},
		{name: "output empty", body: out(`""`), code: codeInvalidOutput, msg: "Invalid Output"},
		{name: "output with a trailing brace", body: out(`"{}}"`), code: codeInvalidOutput, msg: "Invalid Output"},
		{name: "output with a second value", body: out(`"{} {}"`), code: codeInvalidOutput, msg: "Invalid Output"},
		{name: "output nested 10001 deep", body: out(abuseQ(strings.Repeat("[", 10001) + strings.Repeat("]", 10001))), code: codeInvalidOutput, msg: "Invalid Output"},
		{name: "output of 300 KiB", body: out(abuseQ(`"` + strings.Repeat("o", 300*abuseKiB) + `"`)), code: codeValidationException, msg: "'output'"},
		{name: "output of 100k CJK characters", body: out(abuseQ(`"` + strings.Repeat(cjk, 100_000) + `"`)), code: codeValidationException, msg: "'output'"},
		{name: "output of 100,000 three-byte characters", body: out(abuseQ(`"` + strings.Repeat("\u4e00", 100_000) + `"`)), code: codeValidationException, msg: "'output'"},
		{name: "output an object", body: out(`{"signed":true}`), code: codeSerializationException, msg: "'output'"},
		{name: "output a number", body: out(`1`), code: codeSerializationException, msg: "'output'"},
	}
}

func sendTaskFailureCases(e *abuseEnv) []abuseCase {
	fail := func(kv ...string) string {
		return abuseObj(append([]string{"taskToken", abuseQ(e.openToken)}, kv...)...)
	}
	return []abuseCase{
		{name: "error of 257 characters", body: fail("error", abuseQ(strings.Repeat("E", 257))), code: codeValidationException, msg: "'error'"},
		{name: "cause of 32769 characters", body: fail("cause", abuseQ(strings.Repeat("c", 32769))), code: codeValidationException, msg: "'cause'"},
		{name: "cause of 300 KiB", body: fail("cause", abuseQ(strings.Repeat("c", 300*abuseKiB))), code: codeValidationException, msg: "'cause'"},
		{name: "error a number", body: fail("error", "1"), code: codeSerializationException, msg: "'error'"},
		{name: "cause an object", body: fail("cause", `{"why":"no"}`), code: codeSerializationException, msg: "'cause'"},
	}
}

func stopExecutionCases() []abuseCase {
	stop := func(kv ...string) string {
		return abuseObj(append([]string{"executionArn", abuseQ(abuseExecPfx + "open")}, kv...)...)
	}
	return []abuseCase{
		{name: "error of 257 characters", body: stop("error", abuseQ(strings.Repeat("E", 257))), code: codeValidationException, msg: "'error'"},
		{name: "cause of 32769 characters", body: stop("cause", abuseQ(strings.Repeat("c", 32769))), code: codeValidationException, msg: "'cause'"},
		{name: "cause of 300 KiB", body: stop("cause", abuseQ(strings.Repeat("c", 300*abuseKiB))), code: codeValidationException, msg: "'cause'"},
		{name: "error a number", body: stop("error", "1"), code: codeSerializationException, msg: "'error'"},
	}
}

func historyCases() []abuseCase {
	hist := func(kv ...string) string {
		return abuseObj(append([]string{"executionArn", abuseQ(abuseExecPfx + "open")}, kv...)...)
	}
	return append(pageCases(hist, encodePageToken("ex", "0"), 1024), []abuseCase{
		{name: "reverseOrder a string", body: hist("reverseOrder", `"yes"`), code: codeSerializationException, msg: "'reverseOrder'"},
		{name: "includeExecutionData a number", body: hist("includeExecutionData", "1"), code: codeSerializationException, msg: "'includeExecutionData'"},
	}...)
}

// pageCases vary maxResults and nextToken of a list request whose other
// members (kv aside) are valid; foreign is a page token of another list and
// tokenLimit the longest nextToken AWS accepts.
func pageCases(list func(kv ...string) string, foreign string, tokenLimit int) []abuseCase {
	return []abuseCase{
		{name: "maxResults negative", body: list("maxResults", "-1"), code: codeValidationException, msg: "'maxResults'"},
		{name: "maxResults over 1000", body: list("maxResults", "1001"), code: codeValidationException, msg: "'maxResults'"},
		{name: "maxResults twice, the last over 1000", body: list("maxResults", "10", "maxResults", "1001"), code: codeValidationException, msg: "'maxResults'"},
		{name: "maxResults a string", body: list("maxResults", `"10"`), code: codeSerializationException, msg: "'maxResults'"},
		{name: "maxResults a fraction", body: list("maxResults", "2.5"), code: codeSerializationException, msg: "'maxResults'"},
		{name: "maxResults beyond int64", body: list("maxResults", "1e30"), code: codeSerializationException, msg: "'maxResults'"},
		{name: "nextToken garbage", body: list("nextToken", `"x"`), code: codeInvalidToken, msg: "nextToken"},
		{name: "nextToken of another list", body: list("nextToken", abuseQ(foreign)), code: codeInvalidToken, msg: "nextToken"},
		{name: "nextToken with a Cyrillic a", body: list("nextToken", abuseQ(foreign[:1]+cyrillicA+foreign[2:])), code: codeInvalidToken, msg: "nextToken"},
		{name: "nextToken of " + itoa(tokenLimit+1) + " characters", body: list("nextToken", abuseQ(strings.Repeat("n", tokenLimit+1))),
			code: codeValidationException, msg: "'nextToken'"},
		{name: "nextToken of 300 KiB", body: list("nextToken", abuseQ(strings.Repeat("n", 300*abuseKiB))), code: codeValidationException, msg: "'nextToken'"},
	}
}
