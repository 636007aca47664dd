package stacktest

import (
	"fmt"
	"os/exec"
	"path/filepath"
	"regexp"
	"syscall"
	"testing"
	"time"

	"github.com/hitl-go/docsign/internal/logtest"
)

// readyLine is the line `signctl local` prints once everything is ready.
var readyLine = regexp.MustCompile(`ready: export AWS_ENDPOINT_URL=(\S+)`)

// Signctl is a `signctl local` child process of a test.
type Signctl struct {
	Cmd      *exec.Cmd
	Out      *logtest.Buffer // its stdout and stderr
	Endpoint string
	Env      *Env // its stack as the tests see it; Env.Log is Out
}

// StartSignctl runs `signctl local` on the cloud assembly cdkOut, on a
// free port with its data and outputs file in dir and any further flags,
// and waits until it is ready. It is killed when the test ends (Linux: and
// if the test process dies).
func StartSignctl(t *testing.T, cdkOut, dir string, flags ...string) *Signctl {
	t.Helper()
	root, _ := Synthesized(t)
	outputs := filepath.Join(dir, "outputs.json")
	s := &Signctl{Out: &logtest.Buffer{}}
	s.Cmd = exec.Command(SignctlBinary(t), append([]string{"local", "--cdk-out", cdkOut, "--addr", "127.0.0.1:0",
		"--data-dir", dir, "--outputs-file", outputs}, flags...)...)
	s.Cmd.Dir = root
	s.Cmd.Stdout, s.Cmd.Stderr = s.Out, s.Out
	s.Cmd.SysProcAttr = &syscall.SysProcAttr{Pdeathsig: syscall.SIGKILL} // if this test dies
	if err := s.Cmd.Start(); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() {
		if s.Cmd.ProcessState == nil {
			s.Cmd.Process.Kill()
			s.Cmd.Wait()
		}
	})
	s.Endpoint = waitReady(t, s.Out)
	s.Env = EnvAt(t, s.Endpoint, outputs, s.Out)
	return s
}

// waitReady waits for `signctl local` to print its ready line and returns
// the endpoint.
func waitReady(t *testing.T, out *logtest.Buffer) string {
	t.Helper()
	var endpoint string
	Eventually(t, 2*time.Minute, 50*time.Millisecond, "signctl local to be ready", func() (bool, error) {
		if m := readyLine.FindStringSubmatch(out.String()); m != nil {
			endpoint = m[1]
			return true, nil
		}
		return false, fmt.Errorf("output so far:\n%s", out.String())
	})
	return endpoint
}
