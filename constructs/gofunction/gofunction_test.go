package gofunction

import (
	"maps"
	"testing"
)

// TestEnvironment: every function gets GOMAXPROCS=1 beside its own
// variables, unless its props set GOMAXPROCS themselves.
func TestEnvironment(t *testing.T) {
	tests := []struct {
		name string
		in   map[string]string
		want map[string]string
	}{
		{"none", nil, map[string]string{"GOMAXPROCS": "1"}},
		{"the function's own", map[string]string{"TABLE_NAME": "t"}, map[string]string{"TABLE_NAME": "t", "GOMAXPROCS": "1"}},
		{"props override", map[string]string{"GOMAXPROCS": "2", "A": "b"}, map[string]string{"GOMAXPROCS": "2", "A": "b"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := map[string]string{}
			for k, v := range *environment(tt.in) {
				got[k] = *v
			}
			if !maps.Equal(got, tt.want) {
				t.Errorf("environment(%v) = %v, want %v", tt.in, got, tt.want)
			}
		})
	}
}
