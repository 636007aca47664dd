//go:build linux

package stack

import (
	"bytes"
	"context"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/dynamodb"
	"github.com/aws/aws-sdk-go-v2/service/sfn"
)

// readyLine is the line `signctl local` prints once everything is ready.
var readyLine = regexp.MustCompile(`ready: export AWS_ENDPOINT_URL=(\S+)`)

// TestSignctlLocalLeavesNoProcessBehind (Linux: it reads /proc) runs `signctl local` as a child,
// makes it start dynalite and function processes, stops it — politely or
// with SIGKILL — and checks that none of its children outlives it.
func TestSignctlLocalLeavesNoProcessBehind(t *testing.T) {
	t.Parallel()
	bin := signctlBinary(t)
	_, cdkOut := synthesized(t)
	tests := []struct {
		signal   syscall.Signal
		wantExit int // -1: killed
	}{
		{syscall.SIGINT, 0},
		{syscall.SIGTERM, 0},
		{syscall.SIGKILL, -1},
	}
	for _, tt := range tests {
		t.Run(tt.signal.String(), func(t *testing.T) {
			t.Parallel()
			dir := t.TempDir()
			var out lockedBuffer
			cmd := exec.Command(bin, "local", "--cdk-out", cdkOut, "--addr", "127.0.0.1:0", "--in-memory",
				"--data-dir", dir, "--outputs-file", filepath.Join(dir, "outputs.json"))
			cmd.Stdout, cmd.Stderr = &out, &out
			cmd.SysProcAttr = &syscall.SysProcAttr{Pdeathsig: syscall.SIGKILL} // if this test dies
			if err := cmd.Start(); err != nil {
				t.Fatal(err)
			}
			defer cmd.Process.Kill()
			endpoint := waitReady(t, &out)
			runOneDocument(t, endpoint, filepath.Join(dir, "outputs.json"))
			children := childProcesses(cmd.Process.Pid)
			wantChildren(t, children, "dynalite", "bootstrap")
			if err := cmd.Process.Signal(tt.signal); err != nil {
				t.Fatal(err)
			}
			err := cmd.Wait()
			if code := cmd.ProcessState.ExitCode(); code != tt.wantExit {
				t.Errorf("signctl local after %s: exit code %d (%v), want %d\n%s", tt.signal, code, err, tt.wantExit, out.String())
			}
			eventually(t, 10*time.Second, 100*time.Millisecond, "children to end", func() (bool, error) {
				for _, p := range children {
					if p.alive() {
						return false, fmt.Errorf("process %d (%s) still runs", p.pid, p.cmdline)
					}
				}
				return true, nil
			})
		})
	}
}

// waitReady waits for `signctl local` to print its ready line and returns
// the endpoint.
func waitReady(t *testing.T, out *lockedBuffer) string {
	t.Helper()
	var endpoint string
	eventually(t, 2*time.Minute, 50*time.Millisecond, "signctl local to be ready", func() (bool, error) {
		if m := readyLine.FindStringSubmatch(out.String()); m != nil {
			endpoint = m[1]
			return true, nil
		}
		return false, fmt.Errorf("output so far:\n%s", out.String())
	})
	return endpoint
}

// runOneDocument starts a document on the stack at endpoint and waits for
// Bob's request, so that function processes run.
func runOneDocument(t *testing.T, endpoint, outputsFile string) {
	t.Helper()
	st, err := os.ReadFile(outputsFile)
	if err != nil {
		t.Fatalf("outputs file after ready: %v", err)
	}
	machine := regexp.MustCompile(`"StateMachineArn": "([^"]+)"`).FindSubmatch(st)
	table := regexp.MustCompile(`"TableName": "([^"]+)"`).FindSubmatch(st)
	if machine == nil || table == nil {
		t.Fatalf("outputs file lacks StateMachineArn or TableName:\n%s", st)
	}
	e := &env{table: string(table[1])}
	cfg := sdkConfig(endpoint)
	e.sfn, e.db = sfn.NewFromConfig(cfg), dynamodb.NewFromConfig(cfg)
	id := newDocumentID("process")
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	if _, err := e.sfn.StartExecution(ctx, &sfn.StartExecutionInput{StateMachineArn: aws.String(string(machine[1])),
		Name: aws.String(id), Input: aws.String(startInput(id))}); err != nil {
		t.Fatal(err)
	}
	if err := waitForRequest(ctx, e, id); err != nil {
		t.Fatal(err)
	}
}

// proc is a process, identified by pid and start time (pids are reused).
type proc struct {
	pid          int
	start        string // in clock ticks after boot
	cmdline      string
	parent, stat string
}

// readProc reads /proc/<pid>; ok is false when it does not exist.
func readProc(pid int) (p proc, ok bool) {
	stat, err := os.ReadFile(fmt.Sprintf("/proc/%d/stat", pid))
	if err != nil {
		return p, false
	}
	// pid (comm) state ppid … starttime (field 22); comm may hold spaces.
	fields := strings.Fields(string(stat[bytes.LastIndexByte(stat, ')')+1:]))
	if len(fields) < 20 {
		return p, false
	}
	cmdline, _ := os.ReadFile(fmt.Sprintf("/proc/%d/cmdline", pid))
	return proc{pid: pid, stat: fields[0], parent: fields[1], start: fields[19],
		cmdline: strings.TrimSpace(strings.ReplaceAll(string(cmdline), "\x00", " "))}, true
}

// alive reports whether the process still runs: it exists with the same
// start time and is not a zombie waiting to be reaped.
func (p proc) alive() bool {
	now, ok := readProc(p.pid)
	return ok && now.start == p.start && now.stat != "Z" && now.stat != "X"
}

// childProcesses returns the direct children of pid.
func childProcesses(pid int) []proc {
	var out []proc
	entries, _ := os.ReadDir("/proc")
	for _, e := range entries {
		n, err := strconv.Atoi(e.Name())
		if err != nil {
			continue
		}
		if p, ok := readProc(n); ok && p.parent == strconv.Itoa(pid) {
			out = append(out, p)
		}
	}
	return out
}

// wantChildren checks that some child's command line holds each of names.
func wantChildren(t *testing.T, children []proc, names ...string) {
	t.Helper()
	for _, name := range names {
		found := false
		for _, p := range children {
			found = found || strings.Contains(p.cmdline, name)
		}
		if !found {
			t.Fatalf("no child process of signctl local runs %s; children: %+v", name, children)
		}
	}
}
