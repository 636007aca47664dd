package contract

import (
	"fmt"
	"strings"
	"unicode"
)

// MaxDocumentIDLength is the longest document id; the run is named after it.
const MaxDocumentIDLength = 80

// DocumentIDError reports a document id that breaks the rule: 1–80
// characters of [A-Za-z0-9_-] (names Step Functions and CloudWatch accept).
type DocumentIDError struct {
	Length int  // in bytes
	Bad    rune // the first character outside the rule; 0 when the length is wrong
}

func (e *DocumentIDError) Error() string {
	if e.Length == 0 {
		return "documentId is required"
	}
	msg := fmt.Sprintf("documentId must be 1-%d characters of A-Z a-z 0-9 _ - (got %d characters", MaxDocumentIDLength, e.Length)
	if e.Bad != 0 {
		msg += fmt.Sprintf(", including %q", e.Bad)
	}
	return msg + ")"
}

// CheckDocumentID returns a *DocumentIDError unless id is 1–80 characters of
// [A-Za-z0-9_-].
func CheckDocumentID(id string) error {
	if id == "" || len(id) > MaxDocumentIDLength {
		return &DocumentIDError{Length: len(id)}
	}
	for _, r := range id {
		if !(r >= 'a' && r <= 'z' || r >= 'A' && r <= 'Z' || r >= '0' && r <= '9' || r == '-' || r == '_') {
			return &DocumentIDError{Length: len(id), Bad: r}
		}
	}
	return nil
}

// MaxSignerLength bounds a signer's name in an event.
const MaxSignerLength = 80

// CheckSigner reports whether name is a usable signer name: 1–80 bytes,
// no control, format or invalid characters.
func CheckSigner(name string) error {
	if name == "" {
		return fmt.Errorf("signer is required")
	}
	if len(name) > MaxSignerLength {
		return fmt.Errorf("signer is longer than %d bytes", MaxSignerLength)
	}
	if hasUnprintable(name) {
		return fmt.Errorf("signer contains a control or invalid character (Unicode Cc or Cf, or bad UTF-8)")
	}
	return nil
}

// hasUnprintable reports whether s holds a control (Cc) or format (Cf)
// character or invalid UTF-8: what could rewrite a terminal or hide text.
func hasUnprintable(s string) bool {
	for _, r := range s {
		if unicode.Is(unicode.Cc, r) || unicode.Is(unicode.Cf, r) || r == unicode.ReplacementChar {
			return true
		}
	}
	return false
}

// maxARNLength bounds an execution ARN, as the Step Functions API does.
const maxARNLength = 2048

// CheckExecutionARN reports whether arn looks like an execution's ARN.
func CheckExecutionARN(arn string) error {
	if len(arn) < len("arn:") || arn[:len("arn:")] != "arn:" || len(arn) > maxARNLength || hasUnprintable(arn) {
		return fmt.Errorf("executionArn must be an ARN")
	}
	return nil
}

// ExecutionName is the name of the run executionARN names (its last
// element): the document's id.
func ExecutionName(executionARN string) string {
	return executionARN[strings.LastIndex(executionARN, ":")+1:]
}

// ParseCallbackSigners reads EnvCallbackSigners' value: names separated by
// commas, in order, each one a CheckSigner accepts.
func ParseCallbackSigners(value string) ([]string, error) {
	var names []string
	for _, name := range strings.Split(value, ",") {
		if name = strings.TrimSpace(name); name == "" {
			continue
		}
		if err := CheckSigner(name); err != nil {
			return nil, fmt.Errorf("%s: %w", EnvCallbackSigners, err)
		}
		names = append(names, name)
	}
	return names, nil
}
