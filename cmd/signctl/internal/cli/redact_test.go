package cli

import (
	"strings"
	"testing"
)

// A task token as AWS writes them (hundreds of base64 characters), and
// one under a key named like a token but shaped like no token.
var (
	testToken  = "AAAAKgAAAAIAAAAAAAAAAbQ9Ks3GgS8VYw1secret-token-value-do-not-print"
	otherToken = "other-secret-0002-do-not-print"
)

func TestRedactTokens(t *testing.T) {
	tests := []struct{ in, want string }{
		{`no secret here`, `no secret here`},
		{`{"taskToken":"` + testToken + `","documentId":"3"}`, `{"taskToken":"<redacted>","documentId":"3"}`},
		{`bad token: taskToken=` + testToken + `, retry`, `bad token: taskToken=<redacted>, retry`},
		{`"TaskToken": "a\"b"`, `"TaskToken": "<redacted>"`},
		{`task_token: abc`, `task_token: <redacted>`},
		{`cause {"callbackToken": "` + otherToken + `", "taskToken.$": "$$.Task.Token"}`, `cause {"callbackToken": "<redacted>", "taskToken.$": "$$.Task.Token"}`},
	}
	for _, tt := range tests {
		if got := RedactTokens(tt.in); got != tt.want {
			t.Errorf("RedactTokens(%q) = %q, want %q", tt.in, got, tt.want)
		}
	}
}

func TestRedactJSON(t *testing.T) {
	tests := []struct{ in, want string }{
		{`{"FunctionName":"f","Payload":{"taskToken":"` + testToken + `","taskToken.$":"$$.Task.Token","signer":"Bob"}}`,
			`{"FunctionName":"f","Payload":{"signer":"Bob","taskToken":"<redacted>","taskToken.$":"$$.Task.Token"}}`},
		{`[{"token":"x"},{"note":"taskToken=abc"}]`, `[{"token":"<redacted>"},{"note":"taskToken=<redacted>"}]`},
		{`{"documentId":"3","signatures":[]}`, `{"documentId":"3","signatures":[]}`},
		{`not json, taskToken=abc`, `not json, taskToken=<redacted>`},
	}
	for _, tt := range tests {
		got := RedactJSON(tt.in)
		if got != tt.want {
			t.Errorf("RedactJSON(%s)\n got %s\nwant %s", tt.in, got, tt.want)
		}
		if strings.Contains(got, testToken) {
			t.Errorf("redactJSON left the token in %s", got)
		}
	}
}

func TestLooksLikeToken(t *testing.T) {
	engine := "Xq3_9fK2-LmN0pQrStUvWxYz1234567890abcdefGHIJKLmnopqrstuvwxyzAB_-" // 64 base64url
	tests := []struct {
		in, want string
	}{
		{"cause: " + engine + ".", "cause: " + Redacted + "."},
		{"AWS token " + strings.Repeat("AQB4+/aZ09", 12) + "= expired", "AWS token " + Redacted + " expired"},
		{"document " + strings.Repeat("contract-", 7) + "1", "document " + strings.Repeat("contract-", 7) + "1"}, // 64, one case
		{"document " + strings.Repeat("Doc9", 20), "document " + strings.Repeat("Doc9", 20)},                     // 80: a document ID
		{"arn:aws:states:us-east-1:000000000000:execution:Signing:3", "arn:aws:states:us-east-1:000000000000:execution:Signing:3"},
	}
	for _, tt := range tests {
		if got := RedactTokens(tt.in); got != tt.want {
			t.Errorf("RedactTokens(%q)\n got %q\nwant %q", tt.in, got, tt.want)
		}
	}
}
