// Package stacktest runs the app on the local stack for tests: it
// synthesizes the CDK app once per test binary, starts stacks of it (one
// shared, or one per test), builds SDK clients for a stack's endpoint,
// reads its outputs and waits for runs and signature requests.
//
// A test binary that uses it calls Main from its TestMain, which removes
// what the package made once the tests have run.
package stacktest

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/hitl-go/docsign/internal/dynalite"
)

// SynthTimeout is the global timeout the shared app is synthesized with:
// short, so the timeout paths run in seconds, yet long enough for the AWS
// CLI (a second or more per call on a loaded machine) to sign before it.
const SynthTimeout = 15 * time.Second

// fixture is the app synthesized once for the test binary.
var fixture struct {
	once   sync.Once
	tmp    string // removed by Main
	root   string // the repository root
	cdkOut string
	err    error
}

// Main runs the tests, then stops the shared stack and removes the
// synthesized app. Call it from TestMain.
func Main(m *testing.M) {
	code := m.Run()
	closeShared()
	if fixture.tmp != "" {
		os.RemoveAll(fixture.tmp)
	}
	os.Exit(code)
}

// Synthesized returns the repository root and the app's cloud assembly,
// synthesized on first use with `cdk synth -c timeout=<SynthTimeout>`.
// Without node or the CDK CLI it skips, except in CI (CI set) where it fails.
func Synthesized(t testing.TB) (root, cdkOut string) {
	t.Helper()
	if testing.Short() {
		t.Skip("synthesizes the CDK app and runs the local stack; not in -short mode")
	}
	fixture.once.Do(func() { fixture.err = synth() })
	if fixture.err != nil {
		NeedTool(t, fixture.err)
	}
	return fixture.root, fixture.cdkOut
}

func synth() error {
	root, err := moduleRoot()
	if err != nil {
		return err
	}
	fixture.root = root
	if _, err := os.Stat(filepath.Join(root, "node_modules", "aws-cdk")); err != nil {
		return &ToolMissingError{Msg: "the CDK CLI is not installed (node_modules/aws-cdk): run `npm ci`"}
	}
	if _, err := exec.LookPath("npx"); err != nil {
		return &ToolMissingError{Msg: "npx (Node.js) is not on PATH"}
	}
	if fixture.tmp, err = os.MkdirTemp("", "stacktest-"); err != nil {
		return err
	}
	fixture.cdkOut = filepath.Join(fixture.tmp, "cdk.out")
	return Synth(root, fixture.cdkOut, SynthTimeout)
}

// moduleRoot is the directory of the module's go.mod.
func moduleRoot() (string, error) {
	out, err := exec.Command("go", "env", "GOMOD").Output()
	gomod := strings.TrimSpace(string(out))
	if err != nil || gomod == "" || gomod == os.DevNull {
		return "", fmt.Errorf("find the module root (go env GOMOD = %q): %v", gomod, err)
	}
	return filepath.Dir(gomod), nil
}

// Synth synthesizes the app at root into out with the given run timeout.
func Synth(root, out string, timeout time.Duration) error {
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
	fmt.Fprintf(os.Stderr, "stacktest: synthesized the app with timeout %s in %s\n", timeout, time.Since(start).Round(time.Millisecond))
	return nil
}

// ToolMissingError means a tool the tests need is absent.
type ToolMissingError struct{ Msg string }

func (e *ToolMissingError) Error() string { return e.Msg }

// NeedTool fails the test on err, or skips it when err is a
// *ToolMissingError outside CI.
func NeedTool(t testing.TB, err error) {
	t.Helper()
	var missing *ToolMissingError
	if errors.As(err, &missing) && os.Getenv("CI") == "" {
		t.Skip(err)
	}
	t.Fatal(err)
}

// NeedDynalite skips outside CI when dynalite is not installed.
func NeedDynalite(t testing.TB) {
	t.Helper()
	if testing.Short() {
		t.Skip("starts dynalite; not in -short mode")
	}
	srv, err := dynalite.Start(context.Background(), dynalite.Options{})
	if err != nil {
		NeedTool(t, &ToolMissingError{Msg: err.Error()})
	}
	srv.Stop()
}

var signctl struct {
	once sync.Once
	path string
	err  error
}

// SignctlBinary builds cmd/signctl once for the tests that run it as a
// child process.
func SignctlBinary(t testing.TB) string {
	t.Helper()
	root, _ := Synthesized(t)
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
