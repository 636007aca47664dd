package cli

import (
	"fmt"
	"io"
	"os"
	"strings"
	"unicode"
	"unicode/utf16"
	"unicode/utf8"
)

// Text signctl prints comes from anyone: a decline's reason, a Lambda's
// error message, a state's name. A reason holding "\x1b]0;…\x07" or
// "\x1b[2J" would retitle or clear the operator's terminal, and U+202E
// would reverse what follows. So everything signctl writes to stdout and
// stderr goes through one escaper (Execute puts it around both): every
// non-printable character — control (Cc) but the newline, format (Cf),
// line or paragraph separator, private-use, unassigned, and invalid UTF-8 —
// is written escaped instead: \u001b, \u202e, \ud83e\udd16 (UTF-16, so a
// JSON string stays valid and decodes to the same text), \xff for a byte
// that is not UTF-8 (never in JSON output: encoding/json writes U+FFFD).
// Only WriteControl writes terminal control sequences, and only signctl's own.

// escaper escapes what it writes to w. It holds back an incomplete UTF-8
// sequence at the end of a write until the next one (or flush).
type escaper struct {
	w       io.Writer
	pending []byte
}

func newEscaper(w io.Writer) *escaper { return &escaper{w: w} }

func (e *escaper) Write(p []byte) (int, error) {
	b := append(e.pending, p...)
	e.pending = nil
	if cut := incompleteTail(b); cut < len(b) {
		e.pending = append([]byte(nil), b[cut:]...)
		b = b[:cut]
	}
	if _, err := io.WriteString(e.w, escapeText(string(b), "\n")); err != nil {
		return 0, err
	}
	return len(p), nil
}

// flush writes a held-back incomplete sequence, escaped.
func (e *escaper) flush() {
	if len(e.pending) > 0 {
		io.WriteString(e.w, escapeText(string(e.pending), ""))
		e.pending = nil
	}
}

// incompleteTail is where a UTF-8 sequence cut short by the end of b starts,
// or len(b).
func incompleteTail(b []byte) int {
	for i := len(b) - 1; i >= 0 && i >= len(b)-utf8.UTFMax+1; i-- {
		if utf8.RuneStart(b[i]) {
			if !utf8.FullRune(b[i:]) {
				return i
			}
			break
		}
	}
	return len(b)
}

// Escape returns s with every non-printable character escaped, newlines
// and tabs too: for a value that must stay on its line (a table cell).
func Escape(s string) string { return escapeText(s, "") }

// escapeText escapes every non-printable character of s except those in keep.
func escapeText(s, keep string) string {
	if printable(s, keep) {
		return s
	}
	var b strings.Builder
	for i := 0; i < len(s); {
		r, size := utf8.DecodeRuneInString(s[i:])
		switch {
		case r == utf8.RuneError && size == 1:
			fmt.Fprintf(&b, `\x%02x`, s[i])
		case strings.ContainsRune(keep, r) || unicode.IsGraphic(r):
			b.WriteString(s[i : i+size])
		case r > 0xffff:
			hi, lo := utf16.EncodeRune(r)
			fmt.Fprintf(&b, `\u%04x\u%04x`, hi, lo)
		default:
			fmt.Fprintf(&b, `\u%04x`, r)
		}
		i += size
	}
	return b.String()
}

func printable(s, keep string) bool {
	for i, r := range s {
		if r >= ' ' && r < 0x7f {
			continue
		}
		if _, size := utf8.DecodeRuneInString(s[i:]); r == utf8.RuneError && size == 1 {
			return false
		}
		if !unicode.IsGraphic(r) && !strings.ContainsRune(keep, r) {
			return false
		}
	}
	return true
}

// WriteControl writes signctl's own terminal control sequence (e.g. watch's
// "cursor up, clear below") to w as is, past the escaper.
func WriteControl(w io.Writer, seq string) {
	if e, ok := w.(*escaper); ok {
		e.flush()
		w = e.w
	}
	io.WriteString(w, seq)
}

// IsTerminal reports whether w is a character device (a terminal).
func IsTerminal(w io.Writer) bool {
	if e, ok := w.(*escaper); ok {
		w = e.w
	}
	f, ok := w.(*os.File)
	if !ok {
		return false
	}
	info, err := f.Stat()
	return err == nil && info.Mode()&os.ModeCharDevice != 0 && !strings.EqualFold(os.Getenv("TERM"), "dumb")
}
