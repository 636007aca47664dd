package cli

import (
	"bytes"
	"context"
	"io"
	"strings"
	"testing"

	"github.com/spf13/cobra"
)

func run(root *cobra.Command, args ...string) (stdout, stderr string, code int) {
	var out, errOut bytes.Buffer
	code = Execute(context.Background(), root, args, &out, &errOut)
	return out.String(), errOut.String(), code
}

// TestCommandErrors: a command's *Error chooses its exit code and message;
// any other error exits 1 with the error.
func TestCommandErrors(t *testing.T) {
	ran := false
	root := NewRoot(
		&cobra.Command{Use: "extra", GroupID: GroupLocal, RunE: func(*cobra.Command, []string) error {
			ran = true
			return &Error{Code: "Custom", Exit: 42, Msg: "custom failure"}
		}},
		&cobra.Command{Use: "plain", RunE: func(*cobra.Command, []string) error { return io.ErrUnexpectedEOF }},
	)
	_, stderr, code := run(root, "extra")
	if !ran || code != 42 || stderr != "signctl: custom failure\n" {
		t.Errorf("extra: ran=%v code=%d stderr=%q; want its own exit code and message", ran, code, stderr)
	}
	_, stderr, code = run(root, "plain")
	if code != ExitError || !strings.Contains(stderr, "unexpected EOF") {
		t.Errorf("plain: code=%d stderr=%q; want exit 1 with the error", code, stderr)
	}
}
