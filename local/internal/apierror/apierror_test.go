package apierror

import (
	"strings"
	"testing"
)

func TestClip(t *testing.T) {
	long := strings.Repeat("é", MaxShown+1)
	tests := []struct{ in, want string }{
		{"short", "short"},
		{strings.Repeat("a", MaxShown), strings.Repeat("a", MaxShown)},
		{long, strings.Repeat("é", MaxShown) + "..."}, // characters, never half of one
	}
	for _, tt := range tests {
		if got := Clip(tt.in); got != tt.want {
			t.Errorf("Clip(%d bytes) = %d bytes, want %d", len(tt.in), len(got), len(tt.want))
		}
	}
	if got := (&Error{Code: "C", Message: "m"}).HTTPStatus(); got != 400 {
		t.Errorf("HTTPStatus of an Error without status = %d, want 400", got)
	}
}
