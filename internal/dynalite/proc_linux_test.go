package dynalite_test

import (
	"bufio"
	"fmt"
	"os"
	"os/exec"
	"strconv"
	"strings"
	"syscall"
	"testing"

	"github.com/hitl-go/docsign/internal/dynalite"
	"github.com/hitl-go/docsign/internal/proctest"
)

const helperEnv = "DYNALITE_TEST_PARENT"

// TestHelperParent is not a test: run as a child of TestChildDiesWithParent,
// it starts dynalite, prints its pid and waits to be killed.
func TestHelperParent(t *testing.T) {
	if os.Getenv(helperEnv) == "" {
		t.Skip("helper process only")
	}
	s, err := dynalite.Start(t.Context(), dynalite.Options{})
	if err != nil {
		fmt.Println("error:", err)
		os.Exit(1)
	}
	fmt.Println(s.Pid())
	select {}
}

func TestChildDiesWithParent(t *testing.T) {
	if testing.Short() {
		t.Skip("starts a helper process")
	}
	parent := exec.Command(os.Args[0], "-test.run=^TestHelperParent$")
	parent.Env = append(os.Environ(), helperEnv+"=1")
	stdout, err := parent.StdoutPipe()
	if err != nil {
		t.Fatal(err)
	}
	if err := parent.Start(); err != nil {
		t.Fatal(err)
	}
	line, err := bufio.NewReader(stdout).ReadString('\n')
	if err != nil {
		parent.Process.Kill()
		t.Fatalf("read helper output: %v", err)
	}
	pid, err := strconv.Atoi(strings.TrimSpace(line))
	if err != nil {
		parent.Process.Kill()
		t.Fatalf("helper said %q", line)
	}
	if !proctest.Alive(pid) {
		t.Fatalf("dynalite %d not running while its parent lives", pid)
	}
	parent.Process.Kill() // SIGKILL: no chance to run Stop
	parent.Wait()
	proctest.WaitGone(t, pid, func() { syscall.Kill(-pid, syscall.SIGKILL) })
}
