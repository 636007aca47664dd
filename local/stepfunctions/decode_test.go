package stepfunctions

import (
	"strings"
	"testing"

	"github.com/hitl-go/docsign/local/internal/apierror"
)

// TestDecodeOne checks exactly one JSON value is accepted: a stray closing
// '}' or ']' after it is trailing data, as a second value is.
func TestDecodeOne(t *testing.T) {
	tests := []struct {
		in      string
		wantErr bool
	}{
		{`{}`, false},
		{" {\"a\":[1]} \n\t", false},
		{`"s"`, false},
		{`{}}`, true},
		{`[1]]`, true},
		{`{"a":1}]`, true},
		{`{} {}`, true},
		{`{} x`, true},
		{`1 2`, true},
		{`{`, true},
		{``, true},
	}
	for _, tt := range tests {
		t.Run(tt.in, func(t *testing.T) {
			var v any
			err := decodeOne([]byte(tt.in), &v, true)
			if got := err != nil; got != tt.wantErr {
				t.Errorf("decodeOne(%q) error = %v, want error %v", tt.in, err, tt.wantErr)
			}
		})
	}
}

// TestDecodeRequestRefusesInvalidUTF8 checks a body that is not UTF-8 is a
// SerializationException, not a member with U+FFFD in it.
func TestDecodeRequestRefusesInvalidUTF8(t *testing.T) {
	var in executionARNInput
	err := decodeRequest([]byte("{\"executionArn\":\"arn\xff\"}"), &in)
	if err == nil || err.Code != codeSerializationException {
		t.Fatalf("decodeRequest = %v (member %q), want a SerializationException", err, in.ExecutionARN)
	}
}

// TestValidationErrorClipsValue checks a huge value is never echoed back
// whole, and a short one is shown as given.
func TestValidationErrorClipsValue(t *testing.T) {
	tests := []struct {
		name, value, want string
		maxLen            int
	}{
		{"short", "abc", "Value 'abc' at", 200},
		{"limit", strings.Repeat("x", apierror.MaxShown), "Value '" + strings.Repeat("x", apierror.MaxShown) + "' at", 400},
		{"300 KiB", strings.Repeat("x", 300<<10), "Value '" + strings.Repeat("x", apierror.MaxShown) + "...' at", 400},
		{"multibyte", strings.Repeat(cjk, 1000), "Value '" + strings.Repeat(cjk, apierror.MaxShown) + "...' at", 1000},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			msg := validationError("name", tt.value, "Member must have length less than or equal to 80").Message
			if !strings.Contains(msg, tt.want) || len(msg) > tt.maxLen {
				t.Errorf("message %.120q… (%d bytes), want one containing %.120q… of at most %d bytes", msg, len(msg), tt.want, tt.maxLen)
			}
		})
	}
}
