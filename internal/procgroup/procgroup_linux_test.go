package procgroup_test

import (
	"bufio"
	"errors"
	"fmt"
	"os"
	"os/exec"
	"runtime"
	"strconv"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/hitl-go/docsign/internal/procgroup"
	"github.com/hitl-go/docsign/internal/proctest"
)

const helperEnv = "PROCGROUP_TEST_PARENT"

// The main thread is never ended (a goroutine locked to it that returns
// wedges it instead); kept for the main goroutine, it runs no test, so a
// test's locked goroutine that returns really ends its thread.
func init() { runtime.LockOSThread() }

// startSleep starts `sleep 60` with procgroup.Start, killed when the test ends.
func startSleep(t *testing.T) *exec.Cmd {
	t.Helper()
	cmd := exec.Command("sleep", "60")
	if err := procgroup.Start(cmd); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() {
		procgroup.Kill(cmd)
		cmd.Wait()
	})
	return cmd
}

func TestStartMakesAGroup(t *testing.T) {
	cmd := startSleep(t)
	pgid, err := syscall.Getpgid(cmd.Process.Pid)
	if err != nil || pgid != cmd.Process.Pid {
		t.Errorf("Getpgid(%d) = %d, %v; want its own group %d", cmd.Process.Pid, pgid, err, cmd.Process.Pid)
	}
	if a := cmd.SysProcAttr; a == nil || !a.Setpgid || a.Pdeathsig != syscall.SIGKILL {
		t.Errorf("SysProcAttr = %+v, want Setpgid and Pdeathsig SIGKILL", a)
	}
}

// The parent-death signal fires when the thread that started the child
// exits; a goroutine locked to its thread that returns ends that thread.
func TestChildOutlivesTheStartingThread(t *testing.T) {
	started := make(chan *exec.Cmd, 1)
	go func() {
		runtime.LockOSThread() // never unlocked: the thread exits with this goroutine
		cmd := exec.Command("sleep", "60")
		if err := procgroup.Start(cmd); err != nil {
			t.Error(err)
			cmd = nil
		}
		started <- cmd
	}()
	cmd := <-started
	if cmd == nil {
		return
	}
	t.Cleanup(func() {
		procgroup.Kill(cmd)
		cmd.Wait()
	})
	time.Sleep(300 * time.Millisecond) // the starting goroutine's thread has exited by now
	if !proctest.Alive(cmd.Process.Pid) {
		t.Errorf("child %d died when the goroutine that started it returned", cmd.Process.Pid)
	}
}

func TestSignalsReachTheGroup(t *testing.T) {
	tests := []struct {
		name   string
		signal func(*exec.Cmd) error
		want   syscall.Signal
	}{
		{"Kill", procgroup.Kill, syscall.SIGKILL},
		{"Terminate", procgroup.Terminate, syscall.SIGTERM},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			// The shell waits for a grandchild in the same group.
			cmd := exec.Command("sh", "-c", "sleep 60 & echo $!; wait")
			stdout, err := cmd.StdoutPipe()
			if err != nil {
				t.Fatal(err)
			}
			if err := procgroup.Start(cmd); err != nil {
				t.Fatal(err)
			}
			line, _ := bufio.NewReader(stdout).ReadString('\n')
			grandchild, err := strconv.Atoi(strings.TrimSpace(line))
			if err != nil {
				procgroup.Kill(cmd)
				cmd.Wait()
				t.Fatalf("shell said %q", line)
			}
			if err := tt.signal(cmd); err != nil {
				t.Errorf("%s: %v", tt.name, err)
			}
			cmd.Wait()
			ws, _ := cmd.ProcessState.Sys().(syscall.WaitStatus)
			if got := ws.Signal(); !ws.Signaled() || got != tt.want {
				t.Errorf("shell ended with %v, want signal %v", cmd.ProcessState, tt.want)
			}
			waitGone(t, grandchild)
		})
	}
}

func TestSignalBeforeStart(t *testing.T) {
	for name, signal := range map[string]func(*exec.Cmd) error{"Kill": procgroup.Kill, "Terminate": procgroup.Terminate} {
		if got := signal(exec.Command("true")); !errors.Is(got, procgroup.ErrNotStarted) {
			t.Errorf("%s before Start = %v, want ErrNotStarted", name, got)
		}
	}
}

// TestHelperParent is not a test: run by TestChildDiesWithParent, it starts
// a child, prints its pid and waits to be killed.
func TestHelperParent(t *testing.T) {
	if os.Getenv(helperEnv) == "" {
		t.Skip("helper process only")
	}
	cmd := exec.Command("sleep", "60")
	if err := procgroup.Start(cmd); err != nil {
		fmt.Println("error:", err)
		os.Exit(1)
	}
	fmt.Println(cmd.Process.Pid)
	select {}
}

func TestChildDiesWithParent(t *testing.T) {
	parent := exec.Command(os.Args[0], "-test.run=^TestHelperParent$")
	parent.Env = append(os.Environ(), helperEnv+"=1")
	stdout, err := parent.StdoutPipe()
	if err != nil {
		t.Fatal(err)
	}
	if err := parent.Start(); err != nil {
		t.Fatal(err)
	}
	line, _ := bufio.NewReader(stdout).ReadString('\n')
	pid, err := strconv.Atoi(strings.TrimSpace(line))
	if err != nil {
		parent.Process.Kill()
		parent.Wait()
		t.Fatalf("helper said %q", line)
	}
	if !proctest.Alive(pid) {
		t.Fatalf("child %d not running while its parent lives", pid)
	}
	parent.Process.Kill() // SIGKILL: the parent runs no clean-up
	parent.Wait()
	waitGone(t, pid)
}

// waitGone waits up to 5 s for pid to end, killing it if it does not.
func waitGone(t *testing.T, pid int) {
	t.Helper()
	proctest.WaitGone(t, pid, func() { syscall.Kill(pid, syscall.SIGKILL) })
}
