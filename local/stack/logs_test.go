package stack

import (
	"strings"
	"testing"
)

func TestPrefixWriter(t *testing.T) {
	tests := []struct {
		name   string
		writes []string
		want   string
	}{
		{"lines", []string{"a\nb\n"}, "[x] a\n[x] b\n"},
		{"split line", []string{"par", "tial\n"}, "[x] partial\n"},
		{"last line without newline", []string{"a\nb"}, "[x] a\n[x] b\n"},
		{"empty line", []string{"\n"}, "[x] \n"},
		{"nothing", nil, ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var got strings.Builder
			w := newPrefixWriter(&got, "[x] ")
			for _, s := range tt.writes {
				if n, err := w.Write([]byte(s)); n != len(s) || err != nil {
					t.Fatalf("Write(%q) = %d, %v", s, n, err)
				}
			}
			if err := w.Flush(); err != nil {
				t.Fatal(err)
			}
			if got.String() != tt.want {
				t.Errorf("got %q, want %q", got.String(), tt.want)
			}
		})
	}
}

func TestFirstCompilerLine(t *testing.T) {
	tests := []struct{ out, want string }{
		{"# example.com/m/pkg\npkg/main.go:6:2: undefined: x\npkg/main.go:7:2: undefined: y", "pkg/main.go:6:2: undefined: x"},
		{"no required module provides package ./nope", "no required module provides package ./nope"},
		{"", ""},
	}
	for _, tt := range tests {
		if got := firstCompilerLine(tt.out); got != tt.want {
			t.Errorf("firstCompilerLine(%q) = %q, want %q", tt.out, got, tt.want)
		}
	}
}
