package guard

import (
	"reflect"
	"strings"
	"testing"
)

func TestDecode(t *testing.T) {
	tests := []struct {
		name    string
		in      any
		want    Metadata
		wantErr string
	}{
		{name: "absent", in: nil, want: Metadata{}},
		{name: "as jsii returns it", in: map[string]any{
			"SuppressedRules":    []any{"a"},
			"SuppressionReasons": map[string]any{"a": "why"},
		}, want: Metadata{SuppressedRules: []string{"a"}, SuppressionReasons: map[string]string{"a": "why"}}},
		{name: "Guard's own form, without reasons", in: map[string]any{"SuppressedRules": []any{"a"}},
			want: Metadata{SuppressedRules: []string{"a"}}},
		{name: "not a list", in: map[string]any{"SuppressedRules": "a"}, wantErr: "Metadata guard"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := decode(tt.in)
			if tt.wantErr != "" {
				if err == nil || !strings.Contains(err.Error(), tt.wantErr) {
					t.Fatalf("got error %v, want one containing %q", err, tt.wantErr)
				}
				return
			}
			if err != nil || !reflect.DeepEqual(got, tt.want) {
				t.Errorf("got %+v (%v), want %+v", got, err, tt.want)
			}
		})
	}
}

func TestWith(t *testing.T) {
	first := Metadata{SuppressedRules: []string{"a"}, SuppressionReasons: map[string]string{"a": "why a"}}
	tests := []struct {
		name         string
		md           Metadata
		rule, reason string
		want         map[string]any
		wantErr      bool
	}{
		{name: "first", rule: "a", reason: "why a", want: map[string]any{
			"SuppressedRules": []any{"a"}, "SuppressionReasons": map[string]any{"a": "why a"}}},
		{name: "second rule keeps the first", md: first, rule: "b", reason: "why b", want: map[string]any{
			"SuppressedRules":    []any{"a", "b"},
			"SuppressionReasons": map[string]any{"a": "why a", "b": "why b"}}},
		{name: "same rule again replaces its reason", md: first, rule: "a", reason: "why a, better", want: map[string]any{
			"SuppressedRules": []any{"a"}, "SuppressionReasons": map[string]any{"a": "why a, better"}}},
		{name: "no reason", rule: "a", wantErr: true},
		{name: "no rule", reason: "why", wantErr: true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := tt.md.with(tt.rule, tt.reason)
			if (err != nil) != tt.wantErr {
				t.Fatalf("got error %v, want error %v", err, tt.wantErr)
			}
			if err == nil && !reflect.DeepEqual(got.value(), tt.want) {
				t.Errorf("got %v, want %v", got.value(), tt.want)
			}
		})
	}
	if first.SuppressionReasons["a"] != "why a" || len(first.SuppressedRules) != 1 {
		t.Errorf("with changed its receiver: %+v", first)
	}
}
