package main

import (
	"strings"
	"testing"
)

func TestRedactTokens(t *testing.T) {
	tests := []struct{ in, want string }{
		{`no secret here`, `no secret here`},
		{`{"taskToken":"` + testToken + `","documentId":"3"}`, `{"taskToken":"<redacted>","documentId":"3"}`},
		{`bad token: taskToken=` + testToken + `, retry`, `bad token: taskToken=<redacted>, retry`},
		{`"TaskToken": "a\"b"`, `"TaskToken": "<redacted>"`},
		{`task_token: abc`, `task_token: <redacted>`},
	}
	for _, tt := range tests {
		if got := redactTokens(tt.in); got != tt.want {
			t.Errorf("redactTokens(%q) = %q, want %q", tt.in, got, tt.want)
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
		got := redactJSON(tt.in)
		if got != tt.want {
			t.Errorf("redactJSON(%s)\n got %s\nwant %s", tt.in, got, tt.want)
		}
		if strings.Contains(got, testToken) {
			t.Errorf("redactJSON left the token in %s", got)
		}
	}
}
