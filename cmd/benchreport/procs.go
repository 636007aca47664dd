package main

import (
	"bufio"
	"bytes"
	"fmt"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"time"
)

// clockTick is the unit of CPU times in /proc (USER_HZ, 100 on Linux).
const clockTick = 10 * time.Millisecond

// proc is one process as /proc shows it.
type proc struct {
	PID   int
	Comm  string
	Exe   string        // the executable's path ("" if unreadable)
	CPU   time.Duration // user + system
	RSS   int64         // bytes now (VmRSS)
	HWM   int64         // bytes, the process's own peak (VmHWM)
	Child []int
}

// readProc reads pid's stat, status and children.
func readProc(pid int) (proc, error) {
	dir := filepath.Join("/proc", strconv.Itoa(pid))
	stat, err := os.ReadFile(filepath.Join(dir, "stat"))
	if err != nil {
		return proc{}, err
	}
	// comm is in parentheses and may hold spaces: fields follow the last ')'.
	open, end := bytes.IndexByte(stat, '('), bytes.LastIndexByte(stat, ')')
	if open < 0 || end < open {
		return proc{}, fmt.Errorf("/proc/%d/stat: unexpected format", pid)
	}
	fields := strings.Fields(string(stat[end+1:]))
	if len(fields) < 13 {
		return proc{}, fmt.Errorf("/proc/%d/stat: %d fields", pid, len(fields))
	}
	utime, _ := strconv.ParseInt(fields[11], 10, 64)
	stime, _ := strconv.ParseInt(fields[12], 10, 64)
	p := proc{PID: pid, Comm: string(stat[open+1 : end]), CPU: time.Duration(utime+stime) * clockTick}
	p.Exe, _ = os.Readlink(filepath.Join(dir, "exe"))
	p.RSS, p.HWM = statusBytes(filepath.Join(dir, "status"))
	p.Child = children(dir)
	return p, nil
}

// statusBytes reads VmRSS and VmHWM from a /proc status file.
func statusBytes(path string) (rss, hwm int64) {
	f, err := os.Open(path)
	if err != nil {
		return 0, 0
	}
	defer f.Close()
	sc := bufio.NewScanner(f)
	for sc.Scan() {
		name, value, ok := strings.Cut(sc.Text(), ":")
		if !ok || (name != "VmRSS" && name != "VmHWM") {
			continue
		}
		kb, _ := strconv.ParseInt(strings.TrimSuffix(strings.TrimSpace(value), " kB"), 10, 64)
		if name == "VmRSS" {
			rss = kb << 10
		} else {
			hwm = kb << 10
		}
	}
	return rss, hwm
}

// children lists the child processes of every thread of a process.
func children(dir string) []int {
	files, _ := filepath.Glob(filepath.Join(dir, "task", "*", "children"))
	var out []int
	for _, f := range files {
		data, _ := os.ReadFile(f)
		for _, s := range strings.Fields(string(data)) {
			if pid, err := strconv.Atoi(s); err == nil {
				out = append(out, pid)
			}
		}
	}
	return out
}

// tree returns root and its descendants, leaving out the subtree of skip
// (e.g. the bench client, which is not part of the stack).
func tree(root, skip int) []proc {
	var out []proc
	queue := []int{root}
	for len(queue) > 0 {
		pid := queue[0]
		queue = queue[1:]
		if pid == skip {
			continue
		}
		p, err := readProc(pid)
		if err != nil {
			continue // ended meanwhile
		}
		out = append(out, p)
		queue = append(queue, p.Child...)
	}
	return out
}

// residentBytes reads a process's resident memory from /proc/<pid>/statm:
// one short read, cheap enough to repeat every sample.
func residentBytes(pid int) (int64, bool) {
	data, err := os.ReadFile(filepath.Join("/proc", strconv.Itoa(pid), "statm"))
	if err != nil {
		return 0, false
	}
	f := strings.Fields(string(data))
	if len(f) < 2 {
		return 0, false
	}
	pages, err := strconv.ParseInt(f[1], 10, 64)
	return pages * int64(os.Getpagesize()), err == nil
}

// machineBusy returns the CPU time all processors have spent not idle,
// from /proc/stat.
func machineBusy() time.Duration {
	data, err := os.ReadFile("/proc/stat")
	if err != nil {
		return 0
	}
	line, _, _ := strings.Cut(string(data), "\n")
	fields := strings.Fields(line) // cpu user nice system idle iowait irq softirq steal …
	var busy int64
	for i, f := range fields[1:] {
		n, _ := strconv.ParseInt(f, 10, 64)
		if i != 3 && i != 4 && i < 8 { // not idle, not iowait; guest time is inside user
			busy += n
		}
	}
	return time.Duration(busy) * clockTick
}
