package cloudformation

import (
	"strings"
	"testing"
)

func TestGeneratedName(t *testing.T) {
	suffix := "ABCDEFGHIJKL"
	tests := []struct {
		name  string
		parts []string
		max   int
		want  string
	}{
		{"fits", []string{"Stack", "Fn"}, 64, "Stack-Fn-" + suffix},
		{"long logical ID takes the stack's unused share", []string{"S", strings.Repeat("L", 60)}, 64, "S-" + strings.Repeat("L", 49) + "-" + suffix},
		{"long stack name takes the ID's unused share", []string{strings.Repeat("S", 60), "Id"}, 64, strings.Repeat("S", 48) + "-Id-" + suffix},
		{"both long are halved", []string{strings.Repeat("S", 40), strings.Repeat("L", 40)}, 64, strings.Repeat("S", 25) + "-" + strings.Repeat("L", 25) + "-" + suffix},
		{"one part", []string{strings.Repeat("M", 100)}, 80, strings.Repeat("M", 67) + "-" + suffix},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := generatedName(tt.parts, suffix, tt.max)
			if got != tt.want {
				t.Errorf("generatedName = %q, want %q", got, tt.want)
			}
			if len(got) > tt.max {
				t.Errorf("len %d > max %d", len(got), tt.max)
			}
		})
	}
}
