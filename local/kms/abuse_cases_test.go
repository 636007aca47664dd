package kms

import (
	"encoding/base64"
	"encoding/json"
	"net/http"
	"strings"
)

const (
	ser, val, unknown = codeSerialization, codeValidation, codeUnknownOperation
	ecdsaAlg          = `"ECDSA_SHA_256"`
)

// signBody is a Sign request with the given members replaced (name, raw
// JSON; a raw "" drops the member).
func signBody(replace ...string) string {
	members := []string{"KeyId", q(testKeyID), "Message", b64([]byte("statement")), "MessageType", `"RAW"`, "SigningAlgorithm", ecdsaAlg}
	for i := 0; i+1 < len(replace); i += 2 {
		found := false
		for j := 0; j+1 < len(members); j += 2 {
			if members[j] == replace[i] {
				members[j+1], found = replace[i+1], true
			}
		}
		if !found {
			members = append(members, replace[i], replace[i+1])
		}
	}
	var kv []string
	for i := 0; i+1 < len(members); i += 2 {
		if members[i+1] != "" {
			kv = append(kv, members[i], members[i+1])
		}
	}
	return obj(kv...)
}

// protocolCases break the JSON 1.1 protocol itself.
func protocolCases() []abuseCase {
	good := signBody()
	return []abuseCase{
		{name: "unknown operation", req: abuseRequest{target: TargetPrefix + "Encrypt"}, body: good, code: unknown, msg: "Encrypt"},
		{name: "operation in lower case", req: abuseRequest{target: TargetPrefix + "sign"}, body: good, code: unknown, msg: "not supported"},
		{name: "target of another service", req: abuseRequest{target: "DynamoDB_20120810.Sign"}, body: good, code: unknown, msg: "X-Amz-Target"},
		{name: "no target", req: abuseRequest{noTarget: true}, body: good, code: unknown, msg: "X-Amz-Target"},
		{name: "target prefix only", req: abuseRequest{target: TargetPrefix}, body: good, code: unknown, msg: "not supported"},
		{name: "JSON 1.0 content type", req: abuseRequest{contentType: "application/x-amz-json-1.0"}, body: good, code: unknown, msg: "Content-Type"},
		{name: "form content type", req: abuseRequest{contentType: "application/x-www-form-urlencoded"}, body: good, code: unknown, msg: "Content-Type"},
		{name: "GET", req: abuseRequest{method: http.MethodGet}, body: good, status: http.StatusMethodNotAllowed, code: unknown, msg: "POST"},
		{name: "malformed JSON", body: "{", code: ser, msg: "Malformed request body"},
		{name: "truncated", body: good[:len(good)-1], code: ser, msg: "Malformed request body"},
		{name: "array body", body: "[" + good + "]", code: ser, msg: "Unexpected value type"},
		{name: "string body", body: `"x"`, code: ser, msg: "Unexpected value type"},
		{name: "second object", body: good + "{}", code: ser, msg: "unexpected data"},
		{name: "invalid UTF-8", body: signBody("KeyId", "\"\xff\""), code: ser, msg: "UTF-8"},
		{name: "raw control character", body: signBody("KeyId", "\"a\x01\""), code: ser, msg: "invalid character"},
		{name: "deep nesting in an unknown member", body: `{"x":` + strings.Repeat("[", 10001) + strings.Repeat("]", 10001) + "}",
			code: ser, msg: "exceeded max depth"},
		{name: "body over 1 MiB", body: `{"pad":"` + strings.Repeat("p", maxRequestSize) + `"}`, code: val, msg: "Request size"},
	}
}

// signCases are well-formed Sign requests KMS refuses.
func signCases() []abuseCase {
	digest := make([]byte, 32)
	return []abuseCase{
		{name: "empty body", body: ``, code: val, msg: "3 validation errors detected"},
		{name: "empty object", body: `{}`, code: val, msg: "Value null at 'keyId'"},
		{name: "null body", body: `null`, code: val, msg: "Value null at 'signingAlgorithm'"},
		{name: "KeyId missing", body: signBody("KeyId", ""), code: val, msg: "Value null at 'keyId' failed to satisfy constraint: Member must not be null"},
		{name: "KeyId null", body: signBody("KeyId", "null"), code: val, msg: "Value null at 'keyId'"},
		{name: "KeyId empty", body: signBody("KeyId", `""`), code: val, msg: "Member must have length greater than or equal to 1"},
		{name: "KeyId over 2048 characters", body: signBody("KeyId", q(strings.Repeat("k", 2049))), code: val, msg: "less than or equal to 2048"},
		{name: "KeyId a number", body: signBody("KeyId", "42"), code: ser, msg: "'KeyId'"},
		{name: "KeyId an object", body: signBody("KeyId", `{"id":"x"}`), code: ser, msg: "'KeyId'"},
		{name: "KeyId in wrong case is no KeyId", body: strings.Replace(signBody(), `"KeyId"`, `"keyid"`, 1), code: val, msg: "Value null at 'keyId'"},
		{name: "duplicate KeyId, the last unknown", body: strings.TrimSuffix(signBody(), "}") + `,"KeyId":"nope"}`, code: codeNotFound, msg: "Invalid keyId 'nope'"},
		{name: "unknown key id", body: signBody("KeyId", `"00000000-0000-0000-0000-000000000000"`), code: codeNotFound, msg: "does not exist"},
		{name: "unknown key ARN", body: signBody("KeyId", q(strings.Replace(testARN, "us-east-1", "eu-west-1", 1))), code: codeNotFound, msg: "does not exist"},
		{name: "key id in upper case", body: signBody("KeyId", q(strings.ToUpper(testKeyID))), code: codeNotFound, msg: "does not exist"},
		{name: "alias", body: signBody("KeyId", `"alias/signing"`), code: codeNotFound, msg: "Alias alias/signing is not found"},
		{name: "garbage key id", body: signBody("KeyId", `"../etc/passwd"`), code: codeNotFound, msg: "Invalid keyId"},
		{name: "Message missing", body: signBody("Message", ""), code: val, msg: "Value null at 'message'"},
		{name: "Message empty", body: signBody("Message", `""`), code: val, msg: "at 'message' failed to satisfy constraint: Member must have length greater than or equal to 1"},
		{name: "Message over 4096 bytes", body: signBody("Message", b64(make([]byte, 4097))), code: val, msg: "Member must have length less than or equal to 4096"},
		{name: "Message not base64", body: signBody("Message", `"not base64!"`), code: ser, msg: "'Message'"},
		{name: "Message base64 without padding", body: signBody("Message", `"c3RhdGVtZW50Mg"`), code: ser, msg: "base64"},
		{name: "Message a number", body: signBody("Message", "7"), code: ser, msg: "'Message'"},
		{name: "Message an array of bytes", body: signBody("Message", "[1,2]"), code: ser, msg: "'Message'"},
		{name: "MessageType unknown", body: signBody("MessageType", `"HASH"`), code: val, msg: "Member must satisfy enum value set: [RAW, DIGEST, EXTERNAL_MU]"},
		{name: "MessageType lower case", body: signBody("MessageType", `"raw"`), code: val, msg: "Value 'raw' at 'messageType'"},
		{name: "MessageType EXTERNAL_MU", body: signBody("MessageType", `"EXTERNAL_MU"`), code: val, msg: "ML-DSA"},
		{name: "digest of 31 bytes", body: signBody("MessageType", `"DIGEST"`, "Message", b64(digest[:31])), code: val, msg: "Digest is invalid length for algorithm ECDSA_SHA_256"},
		{name: "digest of 33 bytes", body: signBody("MessageType", `"DIGEST"`, "Message", b64(append(digest, 0))), code: val, msg: "Digest is invalid length"},
		{name: "SigningAlgorithm missing", body: signBody("SigningAlgorithm", ""), code: val, msg: "Value null at 'signingAlgorithm'"},
		{name: "SigningAlgorithm unknown", body: signBody("SigningAlgorithm", `"ES256"`), code: val, msg: "Value 'ES256' at 'signingAlgorithm' failed to satisfy constraint: Member must satisfy enum value set"},
		{name: "SigningAlgorithm of RSA", body: signBody("SigningAlgorithm", `"RSASSA_PSS_SHA_256"`), code: codeInvalidKeyUsage, msg: "RSASSA_PSS_SHA_256"},
		{name: "SigningAlgorithm of P-384", body: signBody("SigningAlgorithm", `"ECDSA_SHA_384"`), code: codeInvalidKeyUsage, msg: "ECDSA_SHA_256"},
		{name: "SigningAlgorithm a boolean", body: signBody("SigningAlgorithm", "true"), code: ser, msg: "'SigningAlgorithm'"},
		{name: "two constraint failures at once", body: signBody("KeyId", `""`, "SigningAlgorithm", `"X"`), code: val, msg: "2 validation errors detected"},
		{name: "grant token", body: signBody("GrantTokens", `["token"]`), code: codeInvalidGrantToken, msg: "Grant token"},
		{name: "eleven grant tokens", body: signBody("GrantTokens", `["a","a","a","a","a","a","a","a","a","a","a"]`), code: val, msg: "'grantTokens'"},
		{name: "empty grant token", body: signBody("GrantTokens", `[""]`), code: val, msg: "'grantTokens.1.member'"},
		{name: "GrantTokens a string", body: signBody("GrantTokens", `"token"`), code: ser, msg: "'GrantTokens'"},
		{name: "DryRun a string", body: signBody("DryRun", `"true"`), code: ser, msg: "'DryRun'"},
		{name: "DryRun", body: signBody("DryRun", "true"), status: http.StatusPreconditionFailed, code: codeDryRunOperation, msg: "DryRun"},
		{name: "DryRun of a bad request is the bad request", body: signBody("DryRun", "true", "KeyId", `"alias/x"`), code: codeNotFound, msg: "Alias"},
	}
}

// verifyCases are Verify requests KMS refuses.
func verifyCases(e *abuseEnv) []abuseCase {
	a := e.call("Sign", abuseRequest{}, signBody())
	var signed struct{ Signature string }
	_ = json.Unmarshal([]byte(a.body), &signed)
	verify := func(replace ...string) string {
		return strings.Replace(signBody(replace...), "{", `{"Signature":`+q(signed.Signature)+",", 1)
	}
	flipped, _ := base64.StdEncoding.DecodeString(signed.Signature)
	flipped[len(flipped)-1] ^= 1
	return []abuseCase{
		{op: "Verify", name: "Verify: Signature missing", body: signBody(), code: val, msg: "Value null at 'signature'"},
		{op: "Verify", name: "Verify: Signature empty", body: verify("Signature", `""`), code: val, msg: "at 'signature' failed to satisfy constraint: Member must have length greater than or equal to 1"},
		{op: "Verify", name: "Verify: Signature over 6144 bytes", body: verify("Signature", b64(make([]byte, 6145))), code: val, msg: "less than or equal to 6144"},
		{op: "Verify", name: "Verify: Signature not base64", body: verify("Signature", `"%%%"`), code: ser, msg: "'Signature'"},
		{op: "Verify", name: "Verify: Signature not DER", body: verify("Signature", b64([]byte("garbage"))), code: codeInvalidSignature, msg: "not valid"},
		{op: "Verify", name: "Verify: another signature", body: verify("Signature", b64(flipped)), code: codeInvalidSignature, msg: "not valid"},
		{op: "Verify", name: "Verify: another message", body: verify("Message", b64([]byte("statement2"))), code: codeInvalidSignature, msg: "not valid"},
		{op: "Verify", name: "Verify: another key", body: verify("KeyId", q(otherARN)), code: codeInvalidSignature, msg: "not valid"},
		{op: "Verify", name: "Verify: digest of the wrong length", body: verify("MessageType", `"DIGEST"`), code: val, msg: "Digest is invalid length"},
		{op: "Verify", name: "Verify: RSA algorithm", body: verify("SigningAlgorithm", `"RSASSA_PKCS1_V1_5_SHA_256"`), code: codeInvalidKeyUsage, msg: "RSASSA_PKCS1_V1_5_SHA_256"},
		{op: "Verify", name: "Verify: DryRun", body: verify("DryRun", "true"), status: http.StatusPreconditionFailed, code: codeDryRunOperation, msg: "DryRun"},
	}
}

// keyOnlyCases are GetPublicKey and DescribeKey requests KMS refuses.
func keyOnlyCases() []abuseCase {
	var cases []abuseCase
	for _, op := range []string{"GetPublicKey", "DescribeKey"} {
		cases = append(cases,
			abuseCase{op: op, name: op + ": empty object", body: `{}`, code: val, msg: "Value null at 'keyId'"},
			abuseCase{op: op, name: op + ": KeyId empty", body: `{"KeyId":""}`, code: val, msg: "greater than or equal to 1"},
			abuseCase{op: op, name: op + ": KeyId a list", body: `{"KeyId":["` + testKeyID + `"]}`, code: ser, msg: "'KeyId'"},
			abuseCase{op: op, name: op + ": unknown key", body: `{"KeyId":"arn:aws:kms:us-east-1:000000000000:key/00000000-0000-0000-0000-000000000000"}`, code: codeNotFound, msg: "does not exist"},
			abuseCase{op: op, name: op + ": grant token", body: `{"KeyId":"` + testKeyID + `","GrantTokens":["t"]}`, code: codeInvalidGrantToken, msg: "Grant token"},
			abuseCase{op: op, name: op + ": wrong content type", req: abuseRequest{contentType: "application/json"}, body: `{"KeyId":"` + testKeyID + `"}`, code: unknown, msg: "Content-Type"},
		)
	}
	return cases
}
