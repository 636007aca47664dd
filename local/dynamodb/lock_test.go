//go:build unix

package dynamodb

import (
	"errors"
	"os"
	"path/filepath"
	"syscall"
	"testing"
)

func TestStaleLockFromAKilledRunIsCleared(t *testing.T) {
	dir := filepath.Join(t.TempDir(), "dynamodb")
	tables := templateTables(t)
	first := start(t, Options{Dir: dir})
	if _, err := first.CreateTables(testContext(t), tables); err != nil {
		t.Fatal(err)
	}
	put(t, first.Client(), tokens(t, tables).Name, "survives")

	pid, err := lockHolder(dir)
	if err != nil || pid != first.server.Pid() {
		t.Fatalf("lockHolder = %d, %v; want dynalite's pid %d", pid, err, first.server.Pid())
	}
	// Simulate a run killed before it could stop dynalite: LOCK and the pid file stay.
	if err := syscall.Kill(pid, syscall.SIGKILL); err != nil {
		t.Fatal(err)
	}
	<-first.server.Done()
	for _, name := range []string{"LOCK", pidFile} {
		if _, err := os.Stat(filepath.Join(dir, name)); err != nil {
			t.Fatalf("after the kill: %v", err)
		}
	}
	if pid, err := lockHolder(dir); err != nil || pid != 0 {
		t.Fatalf("lockHolder after the kill = %d, %v; want 0", pid, err)
	}

	second := start(t, Options{Dir: dir})
	if !second.StaleLockCleared() {
		t.Error("StaleLockCleared = false after a killed run, want true")
	}
	if !has(t, second.Client(), tokens(t, tables).Name, "survives") {
		t.Error("item written before the kill is gone")
	}
	if err := second.Stop(); err != nil {
		t.Fatal(err)
	}
	if _, err := os.Stat(filepath.Join(dir, pidFile)); !errors.Is(err, os.ErrNotExist) {
		t.Errorf("pid file after a clean stop: %v, want it removed", err)
	}
}

func TestDirInUseIsRefused(t *testing.T) {
	dir := filepath.Join(t.TempDir(), "dynamodb")
	first := start(t, Options{Dir: dir})
	second, err := Start(testContext(t), Options{Dir: dir})
	if err == nil {
		second.Stop()
		t.Fatal("second Start on the same directory succeeded, want *LockedError")
	}
	var locked *LockedError
	if !errors.As(err, &locked) || locked.PID != first.server.Pid() || locked.Dir != dir {
		t.Fatalf("error = %v, want *LockedError{Dir: %s, PID: %d}", err, dir, first.server.Pid())
	}
	// The refused start must not have disturbed the running one.
	if _, err := first.CreateTables(testContext(t), templateTables(t)); err != nil {
		t.Errorf("first service after the refused start: %v", err)
	}
}
