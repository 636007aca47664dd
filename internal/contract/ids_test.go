package contract_test

import (
	"strings"
	"testing"

	"github.com/hitl-go/docsign/internal/contract"
)

func TestCheckDocumentID(t *testing.T) {
	tests := []struct {
		id string
		ok bool
	}{
		{"3", true}, {"invoice_2026-11", true}, {strings.Repeat("a", 80), true},
		{"", false}, {strings.Repeat("a", 81), false}, {"a b", false}, {"a/b", false}, {"é", false}, {"a.b", false}, {"3\n", false},
	}
	for _, tt := range tests {
		if err := contract.CheckDocumentID(tt.id); (err == nil) != tt.ok {
			t.Errorf("CheckDocumentID(%q) = %v, want ok %t", tt.id, err, tt.ok)
		}
	}
}

func TestCheckSigner(t *testing.T) {
	tests := []struct {
		name string
		ok   bool
	}{
		{"Bob", true}, {"Dr. Ada Lovelace", true}, {"Zoë", true}, {strings.Repeat("s", 80), true},
		{"", false}, {strings.Repeat("s", 81), false}, {"Bob\n", false}, {"Bob\x00", false}, {"Bob\xff", false},
	}
	for _, tt := range tests {
		if err := contract.CheckSigner(tt.name); (err == nil) != tt.ok {
			t.Errorf("CheckSigner(%q) = %v, want ok %t", tt.name, err, tt.ok)
		}
	}
}
