package proctest

import (
	"bytes"
	"fmt"
	"os"
	"strconv"
	"strings"
	"testing"
	"time"
)

// Proc is a process, identified by pid and start time (pids are reused).
type Proc struct {
	PID     int
	Start   string // in clock ticks after boot
	Cmdline string
	Parent  string // the parent's pid
	State   string // R, S, Z, …
}

// Read reads /proc/<pid>; ok is false when it does not exist.
func Read(pid int) (p Proc, ok bool) {
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
	return Proc{PID: pid, State: fields[0], Parent: fields[1], Start: fields[19],
		Cmdline: strings.TrimSpace(strings.ReplaceAll(string(cmdline), "\x00", " "))}, true
}

// Alive reports whether the process still runs: it exists with the same
// start time and is not a zombie waiting to be reaped.
func (p Proc) Alive() bool {
	now, ok := Read(p.PID)
	return ok && now.Start == p.Start && now.State != "Z" && now.State != "X"
}

// Children returns the direct children of pid.
func Children(pid int) []Proc {
	var out []Proc
	entries, _ := os.ReadDir("/proc")
	for _, e := range entries {
		n, err := strconv.Atoi(e.Name())
		if err != nil {
			continue
		}
		if p, ok := Read(n); ok && p.Parent == strconv.Itoa(pid) {
			out = append(out, p)
		}
	}
	return out
}

// ChildrenRunning returns the children of pid whose command line holds s.
func ChildrenRunning(pid int, s string) []Proc {
	var out []Proc
	for _, p := range Children(pid) {
		if strings.Contains(p.Cmdline, s) && p.Alive() {
			out = append(out, p)
		}
	}
	return out
}

// WantChildren fails the test unless some child's command line holds each
// of names.
func WantChildren(t testing.TB, children []Proc, names ...string) {
	t.Helper()
	for _, name := range names {
		found := false
		for _, p := range children {
			found = found || strings.Contains(p.Cmdline, name)
		}
		if !found {
			t.Fatalf("no child process runs %s; children: %+v", name, children)
		}
	}
}

// WaitEnded waits until none of procs runs any more, failing the test
// after within.
func WaitEnded(t testing.TB, within time.Duration, procs ...Proc) {
	t.Helper()
	deadline := time.Now().Add(within)
	for {
		var running []string
		for _, p := range procs {
			if p.Alive() {
				running = append(running, fmt.Sprintf("process %d (%s)", p.PID, p.Cmdline))
			}
		}
		if len(running) == 0 {
			return
		}
		if time.Now().After(deadline) {
			t.Fatalf("still running %s later: %s", within, strings.Join(running, ", "))
		}
		time.Sleep(10 * time.Millisecond)
	}
}
