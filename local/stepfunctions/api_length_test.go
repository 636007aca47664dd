package stepfunctions

import (
	"strings"
	"testing"
)

// TestLengthLimits checks payloads are measured in bytes of UTF-8 and the
// other members in characters, as AWS measures them.
func TestLengthLimits(t *testing.T) {
	tests := []struct {
		name    string
		check   func(field, value string, limit int, sensitive bool) *APIError
		value   string
		limit   int
		wantErr bool
	}{
		{"payload of 100k CJK characters", maxBytes, `"` + strings.Repeat(cjk, 100_000) + `"`, maxPayloadSize, true},
		{"payload of exactly 256 KiB", maxBytes, strings.Repeat("a", maxPayloadSize), maxPayloadSize, false},
		{"payload one byte over", maxBytes, strings.Repeat("a", maxPayloadSize-1) + "é", maxPayloadSize, true},
		{"name of 80 CJK characters", maxLen, strings.Repeat(cjk, 80), 80, false},
		{"name of 81 CJK characters", maxLen, strings.Repeat(cjk, 81), 80, true},
		{"cause of 32768 CJK characters", maxLen, strings.Repeat(cjk, 32768), 32768, false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			err := tt.check("member", tt.value, tt.limit, true)
			if got := err != nil; got != tt.wantErr {
				t.Fatalf("error = %v, want error %v", err, tt.wantErr)
			}
			if err != nil && (err.Code != codeValidationException || strings.Contains(err.Message, cjk)) {
				t.Errorf("error = %s %q, want a ValidationException that does not echo the value", err.Code, err.Message)
			}
		})
	}
}
