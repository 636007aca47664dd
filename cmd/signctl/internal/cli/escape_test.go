package cli

import (
	"bytes"
	"encoding/json"
	"io"
	"strings"
	"testing"

	"github.com/spf13/cobra"
)

// hostile is a decline reason that would retitle and clear a terminal,
// ring its bell and reverse the text after it.
const hostile = "\x1b]0;pwned\x07\x1b[2J\u202eevil"

// rawControl reports a byte or character that must never reach a terminal.
func rawControl(s string) bool {
	return strings.ContainsAny(s, "\x1b\x07\r\u202e\u2066\u200b") || strings.Contains(s, "\x85")
}

func TestEscapeText(t *testing.T) {
	tests := []struct{ in, want string }{
		{"plain text, é, 日本, 🙂\n", "plain text, é, 日本, 🙂\n"},
		{hostile + "\n", `\u001b]0;pwned\u0007\u001b[2J\u202eevil` + "\n"},
		{"tab\there\r", `tab\u0009here\u000d`},
		{"bad \xff byte", `bad \xff byte`},
		{"isolate \u2066x\u2069 zero\u200bwidth \U000e0001", `isolate \u2066x\u2069 zero\u200bwidth \udb40\udc01`},
		{"C1 \u0085 DEL \x7f", `C1 \u0085 DEL \u007f`},
	}
	for _, tt := range tests {
		var b bytes.Buffer
		e := newEscaper(&b)
		e.Write([]byte(tt.in))
		e.flush()
		if b.String() != tt.want {
			t.Errorf("escaped %q = %q, want %q", tt.in, b.String(), tt.want)
		}
	}
	if got, want := Escape("a\nb\tc"), `a\u000ab\u0009c`; got != want {
		t.Errorf("Escape = %q, want %q", got, want)
	}
}

// TestEscaperKeepsRunesSplitAcrossWrites: a character whose bytes come in
// two writes is written whole, not escaped as two bad bytes.
func TestEscaperKeepsRunesSplitAcrossWrites(t *testing.T) {
	var b bytes.Buffer
	e := newEscaper(&b)
	s := []byte("né\u202e")
	for i := range s {
		e.Write(s[i : i+1])
	}
	e.flush()
	if got, want := b.String(), `né\u202e`; got != want {
		t.Errorf("got %q, want %q", got, want)
	}
}

// TestExecuteEscapesEverything: text output, --json output and the error
// line of any command are escaped; JSON stays valid and decodes to the
// original text.
func TestExecuteEscapesEverything(t *testing.T) {
	var asJSON bool
	cmd := &cobra.Command{Use: "show", RunE: func(cmd *cobra.Command, _ []string) error {
		if err := Output(cmd, asJSON, map[string]string{"reason": hostile}, func(w io.Writer) {
			WriteTable(w, [][]string{{"REASON"}, {hostile + "\nforged line"}})
		}); err != nil {
			return err
		}
		return &Error{Code: "Declined", Exit: ExitRunFailed, Msg: "declined: " + hostile}
	}}
	cmd.Flags().BoolVar(&asJSON, "json", false, "")
	for _, args := range [][]string{{"show"}, {"show", "--json"}} {
		asJSON = false
		stdout, stderr, code := run(NewRoot(cmd), args...)
		if code != ExitRunFailed {
			t.Errorf("%v: exit %d", args, code)
		}
		if rawControl(stdout) || rawControl(stderr) {
			t.Errorf("%v: raw control characters reach the terminal:\nstdout %q\nstderr %q", args, stdout, stderr)
		}
		if want := `declined: \u001b]0;pwned\u0007\u001b[2J\u202eevil`; !strings.Contains(stderr, want) {
			t.Errorf("%v: stderr %q lacks %q", args, stderr, want)
		}
		if len(args) == 1 && !strings.Contains(stdout, `\u000aforged line`) {
			t.Errorf("a newline in a cell starts a new line:\n%s", stdout)
		}
		if len(args) == 2 {
			dec := json.NewDecoder(strings.NewReader(stdout))
			var v struct{ Reason string }
			if err := dec.Decode(&v); err != nil || v.Reason != hostile {
				t.Errorf("--json: %v, reason %q; want valid JSON holding the reason as sent\n%s", err, v.Reason, stdout)
			}
		}
	}
}

func TestWriteControlPassesOwnSequences(t *testing.T) {
	var b bytes.Buffer
	e := newEscaper(&b)
	WriteControl(e, "\x1b[3A\x1b[J")
	e.Write([]byte("\x1b[2J"))
	if got, want := b.String(), "\x1b[3A\x1b[J"+`\u001b[2J`; got != want {
		t.Errorf("got %q, want %q", got, want)
	}
}
