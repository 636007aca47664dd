//go:build linux

package stack

import (
	"context"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"syscall"
	"testing"
	"time"

	"github.com/hitl-go/docsign/internal/proctest"
)

// fakeGoEnv names the file the fake go command writes "<its pid> <its
// child's pid>" to.
const fakeGoEnv = "STACK_TEST_FAKE_GO_PIDS"

// useFakeGo puts first on PATH a go command that starts a child in its
// process group, writes both pids, and waits: a build that never ends.
func useFakeGo(t *testing.T) (pidFile string) {
	t.Helper()
	dir := t.TempDir()
	script := "#!/bin/sh\nsleep 60 &\necho \"$$ $!\" > \"$" + fakeGoEnv + ".tmp\"\nmv \"$" + fakeGoEnv + ".tmp\" \"$" + fakeGoEnv + "\"\nwait\n"
	if err := os.WriteFile(filepath.Join(dir, "go"), []byte(script), 0o755); err != nil {
		t.Fatal(err)
	}
	t.Setenv("PATH", dir+string(os.PathListSeparator)+os.Getenv("PATH"))
	pidFile = filepath.Join(dir, "pids")
	t.Setenv(fakeGoEnv, pidFile)
	return pidFile
}

// fakeGoProcs waits for the fake go command's pids; it kills their group
// when the test ends.
func fakeGoProcs(t *testing.T, pidFile string) (goCmd, child proctest.Proc) {
	t.Helper()
	deadline := time.Now().Add(10 * time.Second)
	for {
		var pid, childPid int
		b, err := os.ReadFile(pidFile)
		if err == nil {
			_, err = fmt.Sscan(string(b), &pid, &childPid)
		}
		var ok1, ok2 bool
		if err == nil {
			goCmd, ok1 = proctest.Read(pid)
			child, ok2 = proctest.Read(childPid)
		}
		if ok1 && ok2 {
			break
		}
		if time.Now().After(deadline) {
			t.Fatalf("the fake go command did not start within 10 s (pids %d %d; last error: %v)", pid, childPid, err)
		}
		time.Sleep(10 * time.Millisecond)
	}
	t.Cleanup(func() { syscall.Kill(-goCmd.PID, syscall.SIGKILL) })
	return goCmd, child
}

func TestGoBuildCancelledEndsItsProcessGroup(t *testing.T) {
	pidFile := useFakeGo(t)
	ctx, cancel := context.WithCancel(t.Context())
	defer cancel()
	errc := make(chan *BuildError, 1)
	go func() { errc <- goBuild(ctx, t.TempDir(), "./lambdas/fn", filepath.Join(t.TempDir(), "bootstrap")) }()
	goCmd, child := fakeGoProcs(t, pidFile)
	cancel()
	select {
	case err := <-errc:
		if err == nil {
			t.Error("goBuild after cancel = nil, want a BuildError")
		}
	case <-time.After(10 * time.Second):
		t.Fatal("goBuild still waits 10s after its context was cancelled")
	}
	proctest.WaitEnded(t, 5*time.Second, goCmd, child)
}

// buildParentEnv makes TestHelperBuildParent a parent process to kill.
const buildParentEnv = "STACK_TEST_BUILD_PARENT"

// TestHelperBuildParent is not a test: run by TestGoBuildDiesWithItsParent,
// it runs a build that never ends.
func TestHelperBuildParent(t *testing.T) {
	if os.Getenv(buildParentEnv) == "" {
		t.Skip("helper process only")
	}
	goBuild(context.Background(), t.TempDir(), "./lambdas/fn", filepath.Join(t.TempDir(), "bootstrap"))
	os.Exit(1) // the build ended: the parent test sees its go command gone too early
}

func TestGoBuildDiesWithItsParent(t *testing.T) {
	pidFile := useFakeGo(t)
	parent := exec.Command(os.Args[0], "-test.run=^TestHelperBuildParent$")
	parent.Env = append(os.Environ(), buildParentEnv+"=1")
	if err := parent.Start(); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() {
		parent.Process.Kill()
		parent.Wait()
	})
	goCmd, _ := fakeGoProcs(t, pidFile)
	parent.Process.Kill() // SIGKILL: the parent runs no clean-up
	parent.Wait()
	proctest.WaitEnded(t, 5*time.Second, goCmd) // it ends with its parent
}
