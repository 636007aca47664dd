package asl

import (
	"errors"
	"fmt"
	"strconv"
	"strings"
	"unicode/utf16"
)

// toRFC9535 rewrites an ASL path (the "$…" part, context "$" already
// stripped) into RFC 9535 syntax for github.com/theory/jsonpath. AWS evaluates
// paths with Jayway JsonPath, whose dot notation accepts member names RFC 9535
// shorthand does not ("$.my-key", "$.0abc"), and the ASL spec lists backslash
// escapes in dot names ("$.store\.book", "$.\uD800\uDF46"). Every dot-notation
// name therefore becomes a quoted bracket name; bracket segments (indexes,
// slices, unions, filters) pass through unchanged.
func toRFC9535(s string) (string, error) {
	if !strings.HasPrefix(s, "$") {
		return "", errors.New("a path must begin with '$'")
	}
	var b strings.Builder
	b.WriteByte('$')
	for i := 1; i < len(s); {
		switch s[i] {
		case '[':
			end, err := closingBracket(s, i)
			if err != nil {
				return "", err
			}
			b.WriteString(s[i : end+1])
			i = end + 1
		case '.':
			n, err := dotSegment(&b, s[i:])
			if err != nil {
				return "", err
			}
			i += n
		default:
			return "", fmt.Errorf("unexpected character %q at offset %d (expected '.' or '[')", s[i], i)
		}
	}
	return b.String(), nil
}

// dotSegment translates one ".name", ".*", "..name", "..*" or "..[" segment at
// the start of s, writes it to b and returns how many bytes it consumed.
func dotSegment(b *strings.Builder, s string) (int, error) {
	i := 1
	if strings.HasPrefix(s, "..") {
		b.WriteString("..")
		i = 2
		if i < len(s) && s[i] == '[' {
			return i, nil // the bracket is copied by the caller
		}
	}
	if i < len(s) && s[i] == '*' && (i+1 == len(s) || s[i+1] == '.' || s[i+1] == '[') {
		if i == 1 {
			b.WriteByte('.')
		}
		b.WriteByte('*')
		return i + 1, nil
	}
	name, n, err := dotName(s[i:])
	if err != nil {
		return 0, err
	}
	b.WriteString(quoteName(name))
	return i + n, nil
}

// dotName reads a dot-notation member name up to the next unescaped '.' or
// '[' and returns it unescaped with the number of bytes read.
func dotName(s string) (string, int, error) {
	var name strings.Builder
	i := 0
	for i < len(s) && s[i] != '.' && s[i] != '[' {
		if s[i] != '\\' {
			name.WriteByte(s[i])
			i++
			continue
		}
		r, n, err := nameEscape(s[i:])
		if err != nil {
			return "", 0, err
		}
		name.WriteString(r)
		i += n
	}
	switch {
	case name.Len() == 0:
		return "", 0, errors.New("empty member name after '.'")
	case strings.HasSuffix(name.String(), "()"):
		return "", 0, fmt.Errorf("path functions such as %s are not supported", name.String())
	}
	return name.String(), i, nil
}

// nameEscape decodes the backslash escape at the start of s: "\uXXXX"
// (combining a UTF-16 surrogate pair when one follows) or "\c" for any c.
func nameEscape(s string) (string, int, error) {
	if len(s) < 2 {
		return "", 0, errors.New("path ends with an open escape '\\'")
	}
	if s[1] != 'u' {
		return s[1:2], 2, nil
	}
	hi, ok := hex4(s[2:])
	if !ok {
		return "", 0, fmt.Errorf("invalid unicode escape %q", s[:min(len(s), 6)])
	}
	if utf16.IsSurrogate(rune(hi)) && strings.HasPrefix(s[6:], `\u`) {
		if lo, ok := hex4(s[8:]); ok {
			return string(utf16.DecodeRune(rune(hi), rune(lo))), 12, nil
		}
	}
	return string(rune(hi)), 6, nil
}

func hex4(s string) (uint64, bool) {
	if len(s) < 4 {
		return 0, false
	}
	v, err := strconv.ParseUint(s[:4], 16, 32)
	return v, err == nil
}

// quoteName renders name as an RFC 9535 bracketed single-quoted name.
func quoteName(name string) string {
	var b strings.Builder
	b.WriteString("['")
	for _, r := range name {
		switch {
		case r == '\'' || r == '\\':
			b.WriteByte('\\')
			b.WriteRune(r)
		case r < 0x20:
			fmt.Fprintf(&b, `\u%04x`, r)
		default:
			b.WriteRune(r)
		}
	}
	b.WriteString("']")
	return b.String()
}

// closingBracket returns the index of the ']' that closes the '[' at s[open],
// skipping nested brackets and quoted strings.
func closingBracket(s string, open int) (int, error) {
	depth := 0
	for i := open; i < len(s); i++ {
		switch c := s[i]; c {
		case '\'', '"':
			end := closingQuote(s, i)
			if end < 0 {
				return 0, fmt.Errorf("unterminated string starting at offset %d", i)
			}
			i = end
		case '[':
			depth++
		case ']':
			depth--
			if depth == 0 {
				return i, nil
			}
		}
	}
	return 0, fmt.Errorf("unclosed '[' at offset %d", open)
}

// closingQuote returns the index of the quote closing the one at s[open], or -1.
func closingQuote(s string, open int) int {
	for i := open + 1; i < len(s); i++ {
		switch s[i] {
		case '\\':
			i++
		case s[open]:
			return i
		}
	}
	return -1
}
