package cli

import (
	"errors"
	"strings"
	"testing"
)

func TestValidateDocumentID(t *testing.T) {
	tests := []struct {
		id      string
		wantErr string // "" = valid
	}{
		{"3", ""},
		{"contract-2024_17", ""},
		{strings.Repeat("a", 80), ""},
		{"", "the document id is empty"},
		{strings.Repeat("a", 81), "the document id is 81 characters long; it may have at most 80"},
		{"a b", `contains ' '`},
		{"doc/3", `contains '/'`},
		{"dé", `contains 'é'`},
		{"3:1", `contains ':'`},
	}
	for _, tt := range tests {
		err := CheckDocumentID(tt.id)
		switch {
		case tt.wantErr == "" && err != nil:
			t.Errorf("CheckDocumentID(%q) = %v, want nil", tt.id, err)
		case tt.wantErr != "" && (err == nil || !strings.Contains(err.Error(), tt.wantErr)):
			t.Errorf("CheckDocumentID(%q) = %v, want an error containing %q", tt.id, err, tt.wantErr)
		case err != nil:
			var ce *Error
			if !errors.As(err, &ce) || ce.Exit != ExitUsage {
				t.Errorf("CheckDocumentID(%q) = %#v, want a usage error", tt.id, err)
			}
		}
	}
}

func TestNextVersionID(t *testing.T) {
	tests := []struct{ id, want string }{
		{"3", "3-v2"},
		{"3-v2", "3-v3"},
		{"3-v9", "3-v10"},
		{"report-vx", "report-vx-v2"},
		{strings.Repeat("a", 80), strings.Repeat("a", 77) + "-v2"},
	}
	for _, tt := range tests {
		got := NextVersionID(tt.id)
		if got != tt.want {
			t.Errorf("NextVersionID(%q) = %q, want %q", tt.id, got, tt.want)
		}
		if err := CheckDocumentID(got); err != nil {
			t.Errorf("NextVersionID(%q) = %q, not a valid id: %v", tt.id, got, err)
		}
	}
}
