//go:build unix

package dynamodb

import (
	"net/http/httptest"
	"path/filepath"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"
)

// TestDynaliteKilledIsRestarted kills dynalite (SIGKILL) under a Service
// with its data on disk: until it is back, every request answers 503
// ServiceUnavailable (never a 500 that looks like a server that is up), the
// log says what happened, and the restarted dynalite has the data.
func TestDynaliteKilledIsRestarted(t *testing.T) {
	log := &lockedLog{}
	s := start(t, Options{Dir: filepath.Join(t.TempDir(), "dynamodb"), Stderr: log, RestartDelay: time.Hour})
	table := tokens(t, templateTables(t))
	if _, err := s.CreateTables(testContext(t), templateTables(t)); err != nil {
		t.Fatal(err)
	}
	put(t, s.Client(), table.Name, "kept")
	front := httptest.NewServer(s.Handler())
	defer front.Close()

	killDynalite(t, s)
	for range 20 { // right after the kill, and once the Service noticed
		if status, typ := listTables(t, front.URL); status != 503 || typ != "com.amazonaws.dynamodb.v20120810#ServiceUnavailable" {
			t.Fatalf("with dynalite killed: %d %s, want 503 ServiceUnavailable", status, typ)
		}
		time.Sleep(50 * time.Millisecond)
	}
	waitForLog(t, log, "dynalite exited unexpectedly")
	if err := s.Restart(testContext(t)); err != nil {
		t.Fatalf("Restart: %v", err)
	}
	waitForLog(t, log, "dynalite restarted")
	if status, typ := listTables(t, front.URL); status != 200 {
		t.Errorf("after the restart: %d %s, want 200", status, typ)
	}
	if !has(t, s.Client(), table.Name, "kept") {
		t.Error("the item put before the kill is gone after the restart")
	}
	if !s.StaleLockCleared() {
		t.Error("the restart found no lock of the killed dynalite to clear")
	}

}

// TestDynaliteKilledIsRestartedOnItsOwn: without Restart, dynalite is back
// after RestartDelay.
func TestDynaliteKilledIsRestartedOnItsOwn(t *testing.T) {
	s := start(t, Options{Dir: filepath.Join(t.TempDir(), "dynamodb")})
	front := httptest.NewServer(s.Handler())
	defer front.Close()
	killDynalite(t, s)
	deadline := time.Now().Add(30 * time.Second)
	for status, _ := listTables(t, front.URL); status != 200; status, _ = listTables(t, front.URL) {
		if time.Now().After(deadline) {
			t.Fatal("dynalite not restarted 30 s after the kill")
		}
		time.Sleep(100 * time.Millisecond)
	}
	if err := s.Err(); err != nil {
		t.Errorf("Err() = %v after a restart, want nil", err)
	}
}

// TestDynaliteKilledInMemoryFails: with the data in memory a restart would
// serve empty tables as if nothing happened, so the Service fails instead.
func TestDynaliteKilledInMemoryFails(t *testing.T) {
	log := &lockedLog{}
	s := start(t, Options{Stderr: log})
	front := httptest.NewServer(s.Handler())
	defer front.Close()
	killDynalite(t, s)
	select {
	case <-s.Failed():
	case <-time.After(10 * time.Second):
		t.Fatalf("the Service has not failed 10 s after dynalite was killed; log:\n%s", log)
	}
	if err := s.Err(); err == nil || !strings.Contains(err.Error(), "in memory") {
		t.Errorf("Err() = %v, want it to say the in-memory data is lost", err)
	}
	if status, typ := listTables(t, front.URL); status != 503 || typ != "com.amazonaws.dynamodb.v20120810#ServiceUnavailable" {
		t.Errorf("after the failure: %d %s, want 503 ServiceUnavailable", status, typ)
	}
	waitForLog(t, log, "in memory and is lost")
}

// TestDynaliteDyingOverAndOverFails: a dynalite that exits restartLimit
// times within restartWindow is not restarted again.
func TestDynaliteDyingOverAndOverFails(t *testing.T) {
	s := start(t, Options{Dir: filepath.Join(t.TempDir(), "dynamodb"), RestartDelay: time.Hour})
	for i := range restartLimit {
		killDynalite(t, s)
		if i < restartLimit-1 {
			if err := s.Restart(testContext(t)); err != nil {
				t.Fatalf("Restart %d: %v", i+1, err)
			}
		}
	}
	select {
	case <-s.Failed():
	case <-time.After(10 * time.Second):
		t.Fatal("the Service has not failed after dynalite exited 3 times")
	}
	if err := s.Err(); err == nil || !strings.Contains(err.Error(), "not restarting") {
		t.Errorf("Err() = %v, want it to say dynalite is not restarted", err)
	}
}

func killDynalite(t *testing.T, s *Service) {
	t.Helper()
	server := s.current()
	if err := syscall.Kill(server.Pid(), syscall.SIGKILL); err != nil {
		t.Fatal(err)
	}
	<-server.Done()
}

func waitForLog(t *testing.T, log *lockedLog, want string) {
	t.Helper()
	for deadline := time.Now().Add(10 * time.Second); !strings.Contains(log.String(), want); time.Sleep(20 * time.Millisecond) {
		if time.Now().After(deadline) {
			t.Fatalf("the log never said %q; log:\n%s", want, log)
		}
	}
}

// lockedLog is a Stderr the test reads while the Service writes it.
type lockedLog struct {
	mu sync.Mutex
	b  strings.Builder
}

func (l *lockedLog) Write(p []byte) (int, error) {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.b.Write(p)
}

func (l *lockedLog) String() string {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.b.String()
}
