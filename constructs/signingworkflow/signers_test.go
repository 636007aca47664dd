package signingworkflow

import (
	"errors"
	"strings"
	"testing"
	"time"

	"github.com/hitl-go/docsign/internal/contract"
)

func TestValidateSigners(t *testing.T) {
	long := strings.Repeat("x", MaxSignerName)
	tests := []struct {
		name    string
		signers []Signer
		wantErr string // "" = valid
	}{
		{name: "default", signers: DefaultSigners()},
		{name: "longest name", signers: []Signer{{Name: long, Mode: Callback}}},
		{name: "none", wantErr: "signers: at least one signer is required"},
		{name: "empty name", signers: []Signer{{Mode: Auto}}, wantErr: "signers[0].name: is empty"},
		{name: "too long", signers: []Signer{{Name: long + "x", Mode: Auto}}, wantErr: "must be 1-50 characters"},
		{name: "comma", signers: []Signer{{Name: "A,B", Mode: Auto}}, wantErr: `"A,B" must be`},
		{name: "unicode", signers: []Signer{{Name: "Zoë", Mode: Auto}}, wantErr: `"Zoë" must be`},
		{name: "duplicate", signers: []Signer{{Name: "A", Mode: Auto}, {Name: "B", Mode: Auto}, {Name: "A", Mode: Callback}},
			wantErr: `signers[2].name: "A" is not unique`},
		{name: "mode", signers: []Signer{{Name: "A", Mode: "Auto"}}, wantErr: `signers[0].mode: "Auto" for signer "A"`},
		{name: "email", signers: []Signer{{Name: "Alice", Mode: Auto}, {Name: "Bob", Mode: Callback, Email: "bob@example.com"}}},
		{name: "email of an auto signer", signers: []Signer{{Name: "Alice", Mode: Auto, Email: "alice@example.com"}},
			wantErr: `signers[0].email: signer "Alice" signs at once`},
		{name: "email with a name", signers: []Signer{{Name: "B", Mode: Callback, Email: "Bob <bob@example.com>"}},
			wantErr: `signers[0].email: for signer "B": "Bob <bob@example.com>" is not an email address`},
		{name: "email without @", signers: []Signer{{Name: "B", Mode: Callback, Email: "bob.example.com"}},
			wantErr: `signers[0].email: for signer "B": "bob.example.com" is not an email address`},
		{name: "email without a domain dot", signers: []Signer{{Name: "B", Mode: Callback, Email: "bob@localhost"}},
			wantErr: `signers[0].email`},
		{name: "email with spaces", signers: []Signer{{Name: "B", Mode: Callback, Email: " bob@example.com"}},
			wantErr: `signers[0].email`},
		{name: "two addresses", signers: []Signer{{Name: "B", Mode: Callback, Email: "bob@example.com, eve@example.com"}},
			wantErr: `signers[0].email`},
		{name: "email with a newline", signers: []Signer{{Name: "B", Mode: Callback, Email: "bob@example.com\nBcc: eve@example.com"}},
			wantErr: `signers[0].email`},
		{name: "email too long", signers: []Signer{{Name: "B", Mode: Callback, Email: strings.Repeat("b", 250) + "@x.io"}},
			wantErr: `signers[0].email: for signer "B": is longer than 254`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			err := ValidateSigners(tt.signers)
			checkErr(t, err, tt.wantErr)
		})
	}
}

func TestValidateTimeout(t *testing.T) {
	tests := []struct {
		in      time.Duration
		wantErr string
	}{
		{in: time.Second},
		{in: 168 * time.Hour},
		{in: MaxTimeout},
		{in: 0, wantErr: "timeout: 0s is shorter than 1s"},
		{in: 999 * time.Millisecond, wantErr: "shorter than 1s"},
		{in: 1500 * time.Millisecond, wantErr: "timeout: 1.5s is not a whole number of seconds"},
		{in: MaxTimeout + time.Second, wantErr: "longer than a Standard workflow may run"},
	}
	for _, tt := range tests {
		t.Run(tt.in.String(), func(t *testing.T) {
			checkErr(t, ValidateTimeout(tt.in), tt.wantErr)
		})
	}
}

func checkErr(t *testing.T, err error, want string) {
	t.Helper()
	var prop *InvalidPropError
	switch {
	case want == "" && err != nil:
		t.Errorf("unexpected error %v", err)
	case want != "" && (err == nil || !strings.Contains(err.Error(), want)):
		t.Errorf("got error %v, want one containing %q", err, want)
	case want != "" && !errors.As(err, &prop):
		t.Errorf("got %T, want *InvalidPropError", err)
	}
}

func TestCallbackNames(t *testing.T) {
	tests := []struct {
		signers []Signer
		want    string
	}{
		{signers: DefaultSigners(), want: "Bob"},
		{signers: []Signer{{Name: "A", Mode: Callback}, {Name: "B", Mode: Auto}, {Name: "C", Mode: Callback}}, want: "A,C"},
		{signers: []Signer{{Name: "A", Mode: Auto}}, want: ""},
	}
	for _, tt := range tests {
		if got := CallbackNames(tt.signers); got != tt.want {
			t.Errorf("CallbackNames(%v) = %q, want %q", tt.signers, got, tt.want)
		}
	}
}

// Step Functions limits state names to 80 characters.
func TestStateNamesFit(t *testing.T) {
	long := strings.Repeat("x", MaxSignerName)
	for _, name := range []string{contract.AutoStateName(long), contract.CallbackStateName(long), contract.ParallelStateName} {
		if len(name) > 80 {
			t.Errorf("state name %q has %d characters, want at most 80", name, len(name))
		}
	}
	if contract.AutoStateName("A") == contract.CallbackStateName("A") {
		t.Error("auto and callback state names collide")
	}
}
