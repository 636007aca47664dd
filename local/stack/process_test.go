//go:build linux

package stack

import (
	"bytes"
	"context"
	"encoding/json"
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

// TestSignctlLocalLeavesNoProcessBehind (Linux: it reads /proc) runs
// `signctl local` as a child, makes it start dynalite and function
// processes, stops it — politely or with SIGKILL — and checks that none of
// its children outlives it. After SIGKILL it starts again on the same data:
// the stale DynamoDB lock is cleared and the data kept.
func TestSignctlLocalLeavesNoProcessBehind(t *testing.T) {
	t.Parallel()
	synthesized(t)
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
			local := startSignctlLocal(t, dir)
			id := runOneDocument(t, local.endpoint, dir)
			children := childProcesses(local.cmd.Process.Pid)
			wantChildren(t, children, "dynalite", "bootstrap")
			if err := local.cmd.Process.Signal(tt.signal); err != nil {
				t.Fatal(err)
			}
			err := local.cmd.Wait()
			if code := local.cmd.ProcessState.ExitCode(); code != tt.wantExit {
				t.Errorf("signctl local after %s: exit code %d (%v), want %d\n%s", tt.signal, code, err, tt.wantExit, local.out.String())
			}
			eventually(t, 10*time.Second, 100*time.Millisecond, "children to end", func() (bool, error) {
				for _, p := range children {
					if p.alive() {
						return false, fmt.Errorf("process %d (%s) still runs", p.pid, p.cmdline)
					}
				}
				return true, nil
			})
			if tt.signal == syscall.SIGKILL {
				again := startSignctlLocal(t, dir)
				if !strings.Contains(again.out.String(), "cleared the DynamoDB lock") {
					t.Errorf("restart after SIGKILL did not report the stale lock:\n%s", again.out.String())
				}
				ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
				defer cancel()
				if err := waitForRequest(ctx, clientsFor(t, again.endpoint, dir), id); err != nil {
					t.Errorf("after the restart, the data is gone: %v", err)
				}
			}
		})
	}
}

// signctlLocal is a `signctl local` child process.
type signctlLocal struct {
	cmd      *exec.Cmd
	out      *lockedBuffer
	endpoint string
}

// startSignctlLocal runs `signctl local` on a free port with its data in
// dir and waits until it is ready; the test's end kills it.
func startSignctlLocal(t *testing.T, dir string) *signctlLocal {
	t.Helper()
	_, cdkOut := synthesized(t)
	l := &signctlLocal{out: &lockedBuffer{}}
	l.cmd = exec.Command(signctlBinary(t), "local", "--cdk-out", cdkOut, "--addr", "127.0.0.1:0",
		"--data-dir", dir, "--outputs-file", filepath.Join(dir, "outputs.json"))
	l.cmd.Stdout, l.cmd.Stderr = l.out, l.out
	l.cmd.SysProcAttr = &syscall.SysProcAttr{Pdeathsig: syscall.SIGKILL} // if this test dies
	if err := l.cmd.Start(); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() {
		l.cmd.Process.Kill()
		l.cmd.Wait()
	})
	l.endpoint = waitReady(t, l.out)
	return l
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

// clientsFor returns SDK clients for the stack at endpoint, whose outputs
// file is in dir.
func clientsFor(t *testing.T, endpoint, dir string) *env {
	t.Helper()
	data, err := os.ReadFile(filepath.Join(dir, "outputs.json"))
	if err != nil {
		t.Fatalf("outputs file after ready: %v", err)
	}
	var outputs map[string]map[string]string
	if err := json.Unmarshal(data, &outputs); err != nil {
		t.Fatal(err)
	}
	cfg := sdkConfig(endpoint)
	return &env{machine: outputs[appStack]["StateMachineArn"], table: outputs[appStack]["TableName"],
		sfn: sfn.NewFromConfig(cfg), db: dynamodb.NewFromConfig(cfg)}
}

// runOneDocument starts a document on the stack at endpoint and waits for
// Bob's request, so that function processes run; it returns the document id.
func runOneDocument(t *testing.T, endpoint, dir string) string {
	t.Helper()
	e := clientsFor(t, endpoint, dir)
	id := newDocumentID("process")
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	if _, err := e.sfn.StartExecution(ctx, &sfn.StartExecutionInput{StateMachineArn: aws.String(e.machine),
		Name: aws.String(id), Input: aws.String(startInput(id))}); err != nil {
		t.Fatal(err)
	}
	if err := waitForRequest(ctx, e, id); err != nil {
		t.Fatal(err)
	}
	return id
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
