package e2e_test

import (
	"context"
	"os/exec"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/hitl-go/docsign/internal/stacktest"
)

// TestSignctlDemo plays `signctl demo` on the test app (timeout stacktest.SynthTimeout) and
// checks that the mission ran: signed, declined, timed out, and that Bob's
// task token is only ever shown cut short.
func TestSignctlDemo(t *testing.T) {
	t.Parallel()
	bin := stacktest.SignctlBinary(t)
	root, cdkOut := stacktest.Synthesized(t)
	ctx, cancel := context.WithTimeout(context.Background(), 2*time.Minute)
	defer cancel()
	cmd := exec.CommandContext(ctx, bin, "demo", "--cdk-out", cdkOut, "--addr", "127.0.0.1:0", "--data-dir", t.TempDir())
	cmd.Dir = root
	start := time.Now()
	outBytes, err := cmd.CombinedOutput()
	out := string(outBytes)
	if err != nil {
		t.Fatalf("signctl demo: %v\n%s", err, out)
	}
	t.Logf("signctl demo took %s", time.Since(start).Round(time.Millisecond))
	for _, want := range []string{
		"SUCCEEDED", `"signer": "Alice"`, `"signer": "Bob"`, `"authenticatedBy": "link"`,
		"Sign document demo-", "presses Sign", `"status":"SIGNED"`,
		"FAILED", "SignatureDeclined",
		"TIMED_OUT", "SignatureRequestExpired",
		"stopped",
	} {
		if !strings.Contains(out, want) {
			t.Errorf("demo output lacks %q:\n%s", want, out)
		}
	}
	// The demo's stack stops with it: its last words point at `make local`,
	// not at a console that is gone.
	if ending := out[strings.LastIndex(out, "The mission played"):]; strings.Contains(ending, "Console: http") ||
		!strings.Contains(ending, "The console is served by `make local` (or `signctl local`) at http://127.0.0.1:4566/") {
		t.Errorf("demo ending = %q, want it to send the reader to `make local` for the console", ending)
	}
	tokens := regexp.MustCompile(`taskToken=(\S*)`).FindAllStringSubmatch(out, -1)
	if len(tokens) != 3 {
		t.Errorf("demo showed %d task tokens, want one per document (3):\n%s", len(tokens), out)
	}
	for _, tok := range tokens {
		if !regexp.MustCompile(`^[^…]{8}…$`).MatchString(tok[1]) {
			t.Errorf("demo showed task token %q, want its first 8 characters and …", tok[1])
		}
	}
}
