package stack

import (
	"bytes"
	"context"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"sync"
	"testing"
	"time"
)

// synthTimeout is the global timeout the test app is synthesized with:
// short, so the timeout paths run in seconds, yet long enough for the AWS
// CLI (a second or more per call on a loaded machine) to sign before it.
const synthTimeout = 15 * time.Second

// fixture is the app synthesized once for the package's tests.
var fixture struct {
	once   sync.Once
	tmp    string // removed by TestMain
	root   string // the repository root
	cdkOut string
	err    error
}

func TestMain(m *testing.M) {
	code := m.Run()
	closeShared()
	if fixture.tmp != "" {
		os.RemoveAll(fixture.tmp)
	}
	os.Exit(code)
}

// synthesized returns the repository root and the test app's cloud
// assembly, synthesizing it on first use with `cdk synth -c timeout=<synthTimeout>`.
// Without node or the CDK CLI it skips, except in CI (CI set) where it fails.
func synthesized(t testing.TB) (root, cdkOut string) {
	t.Helper()
	if testing.Short() {
		t.Skip("synthesizes the CDK app and runs the local stack; not in -short mode")
	}
	fixture.once.Do(func() { fixture.err = synth() })
	if fixture.err != nil {
		needTool(t, fixture.err)
	}
	return fixture.root, fixture.cdkOut
}

// toolMissingError means a tool the end-to-end tests need is absent.
type toolMissingError struct{ msg string }

func (e *toolMissingError) Error() string { return e.msg }

// needTool fails the test on err, or skips it when err is a missing tool
// outside CI.
func needTool(t testing.TB, err error) {
	t.Helper()
	if _, missing := err.(*toolMissingError); missing && os.Getenv("CI") == "" {
		t.Skip(err)
	}
	t.Fatal(err)
}

func synth() error {
	root, err := moduleRoot(".")
	if err != nil {
		return err
	}
	fixture.root = root
	if _, err := os.Stat(filepath.Join(root, "node_modules", "aws-cdk")); err != nil {
		return &toolMissingError{"the CDK CLI is not installed (node_modules/aws-cdk): run `npm ci`"}
	}
	if _, err := exec.LookPath("npx"); err != nil {
		return &toolMissingError{"npx (Node.js) is not on PATH"}
	}
	if fixture.tmp, err = os.MkdirTemp("", "stack-test-"); err != nil {
		return err
	}
	fixture.cdkOut = filepath.Join(fixture.tmp, "cdk.out")
	return synthApp(root, fixture.cdkOut, synthTimeout)
}

// lockedBuffer collects output written from several goroutines.
type lockedBuffer struct {
	mu  sync.Mutex
	buf bytes.Buffer
}

func (b *lockedBuffer) Write(p []byte) (int, error) {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.buf.Write(p)
}

func (b *lockedBuffer) String() string {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.buf.String()
}

var signctl struct {
	once sync.Once
	path string
	err  error
}

// signctlBinary builds cmd/signctl once for the tests that run it as a
// child process.
func signctlBinary(t *testing.T) string {
	t.Helper()
	root, _ := synthesized(t)
	signctl.once.Do(func() {
		signctl.path = filepath.Join(fixture.tmp, "signctl")
		cmd := exec.Command("go", "build", "-o", signctl.path, "./cmd/signctl")
		cmd.Dir = root
		if out, err := cmd.CombinedOutput(); err != nil {
			signctl.err = fmt.Errorf("build signctl: %v\n%s", err, out)
		}
	})
	if signctl.err != nil {
		t.Fatal(signctl.err)
	}
	return signctl.path
}

// synthApp synthesizes the app into out with the given run timeout.
func synthApp(root, out string, timeout time.Duration) error {
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Minute)
	defer cancel()
	cmd := exec.CommandContext(ctx, "npx", "--no-install", "cdk", "synth", "-q", "-c", "timeout="+timeout.String(), "-o", out)
	cmd.Dir = root
	cmd.Env = append(os.Environ(), "JSII_SILENCE_WARNING_DEPRECATED_NODE_VERSION=1")
	var log bytes.Buffer
	cmd.Stdout, cmd.Stderr = &log, &log
	start := time.Now()
	if err := cmd.Run(); err != nil {
		return fmt.Errorf("cdk synth -c timeout=%s: %v\n%s", timeout, err, log.String())
	}
	fmt.Fprintf(os.Stderr, "stack tests: synthesized the app with timeout %s in %s\n", timeout, time.Since(start).Round(time.Millisecond))
	return nil
}
