package signingworkflow

import (
	"fmt"
	"net/mail"
	"regexp"
	"strings"
	"time"

	"github.com/hitl-go/docsign/internal/contract"
)

// Mode says how a signer signs.
type Mode string

// Signer modes.
const (
	// Auto: the sign-document Lambda signs at once.
	Auto Mode = "auto"
	// Callback: the run waits for the complete-signature Lambda to be invoked.
	Callback Mode = "callback"
)

// Signer is one branch of the workflow.
type Signer struct {
	Name string `json:"name"`
	Mode Mode   `json:"mode"`
	// Email, for a callback signer, is where its signing links are mailed.
	Email string `json:"email,omitempty"`
}

// DefaultSigners is the workflow's signers when none are configured.
func DefaultSigners() []Signer {
	return []Signer{{Name: "Alice", Mode: Auto}, {Name: contract.DefaultSigner, Mode: Callback}}
}

// Limits on the workflow's configuration.
const (
	// MaxSignerName keeps state names within Step Functions' 80 characters.
	MaxSignerName = 50
	// MaxTimeout is the longest a Standard workflow may run.
	MaxTimeout = 365 * 24 * time.Hour
)

var signerName = regexp.MustCompile(`^[A-Za-z0-9_-]+$`)

// InvalidPropError reports a workflow property the workflow cannot be built from.
type InvalidPropError struct {
	Prop   string // e.g. "signers[1].name"
	Reason string
}

func (e *InvalidPropError) Error() string { return e.Prop + ": " + e.Reason }

// ValidateSigners checks there is at least one signer and that names are
// unique, 1–MaxSignerName characters of [A-Za-z0-9_-], with a known mode.
func ValidateSigners(signers []Signer) error {
	if len(signers) == 0 {
		return &InvalidPropError{Prop: "signers", Reason: "at least one signer is required"}
	}
	seen := make(map[string]bool, len(signers))
	for i, s := range signers {
		prop := fmt.Sprintf("signers[%d]", i)
		switch {
		case s.Name == "":
			return &InvalidPropError{Prop: prop + ".name", Reason: "is empty"}
		case len(s.Name) > MaxSignerName || !signerName.MatchString(s.Name):
			return &InvalidPropError{Prop: prop + ".name", Reason: fmt.Sprintf(
				"%q must be 1-%d characters of A-Z, a-z, 0-9, _ and -", s.Name, MaxSignerName)}
		case seen[s.Name]:
			return &InvalidPropError{Prop: prop + ".name", Reason: fmt.Sprintf("%q is not unique", s.Name)}
		case s.Mode != Auto && s.Mode != Callback:
			return &InvalidPropError{Prop: prop + ".mode", Reason: fmt.Sprintf(
				"%q for signer %q must be %q or %q", s.Mode, s.Name, Auto, Callback)}
		case s.Email != "" && s.Mode != Callback:
			return &InvalidPropError{Prop: prop + ".email", Reason: fmt.Sprintf(
				"signer %q signs at once (mode %q): only callback signers are mailed links", s.Name, s.Mode)}
		}
		if err := checkEmail(s.Email); err != nil {
			return &InvalidPropError{Prop: prop + ".email", Reason: fmt.Sprintf("for signer %q: %v", s.Name, err)}
		}
		seen[s.Name] = true
	}
	return nil
}

// MaxEmailLength is the longest address SMTP carries (RFC 5321's path limit).
const MaxEmailLength = 254

// checkEmail accepts "" or one bare address (local@domain, no display name,
// no comment), which is what an SNS email subscription's endpoint takes.
func checkEmail(email string) error {
	if email == "" {
		return nil
	}
	if len(email) > MaxEmailLength {
		return fmt.Errorf("is longer than %d characters", MaxEmailLength)
	}
	addr, err := mail.ParseAddress(email)
	if err != nil || addr.Name != "" || addr.Address != email || !strings.Contains(email[strings.LastIndex(email, "@")+1:], ".") {
		return fmt.Errorf("%q is not an email address such as bob@example.com", email)
	}
	return nil
}

// ValidateTimeout checks the workflow timeout is whole seconds between 1s and MaxTimeout.
func ValidateTimeout(d time.Duration) error {
	switch {
	case d < time.Second:
		return &InvalidPropError{Prop: "timeout", Reason: fmt.Sprintf("%s is shorter than 1s", d)}
	case d%time.Second != 0:
		return &InvalidPropError{Prop: "timeout", Reason: fmt.Sprintf("%s is not a whole number of seconds", d)}
	case d > MaxTimeout:
		return &InvalidPropError{Prop: "timeout", Reason: fmt.Sprintf(
			"%s is longer than a Standard workflow may run (%s)", d, MaxTimeout)}
	}
	return nil
}

// CallbackNames returns the callback signers' names, comma-separated, in
// order: the CALLBACK_SIGNERS value complete-signature expects.
func CallbackNames(signers []Signer) string {
	var names []string
	for _, s := range signers {
		if s.Mode == Callback {
			names = append(names, s.Name)
		}
	}
	return strings.Join(names, ",")
}
