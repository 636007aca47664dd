// Package proctest lets tests check on processes through /proc (Linux;
// elsewhere every process reads as ended).
package proctest

import (
	"os"
	"strconv"
	"strings"
	"testing"
	"time"
)

// Alive reports whether pid runs. A zombie has ended: only its parent's
// wait is missing, and an orphan's reaper may be slow or absent.
func Alive(pid int) bool {
	stat, err := os.ReadFile("/proc/" + strconv.Itoa(pid) + "/stat")
	if err != nil {
		return false
	}
	// The state follows the parenthesised command name, which may hold
	// spaces: "pid (comm) S …".
	fields := strings.Fields(string(stat[strings.LastIndexByte(string(stat), ')')+1:]))
	return len(fields) > 0 && fields[0] != "Z" && fields[0] != "X"
}

// WaitGone waits up to five seconds for pid to end, then fails the test
// after calling onTimeout (which may kill what is left), if not nil.
func WaitGone(t testing.TB, pid int, onTimeout func()) {
	t.Helper()
	deadline := time.Now().Add(5 * time.Second)
	for Alive(pid) {
		if time.Now().After(deadline) {
			if onTimeout != nil {
				onTimeout()
			}
			t.Fatalf("process %d still runs 5 s later", pid)
		}
		time.Sleep(10 * time.Millisecond)
	}
}
