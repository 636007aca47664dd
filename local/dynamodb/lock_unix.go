//go:build unix

package dynamodb

import (
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"syscall"
)

// clearStaleLock inspects LevelDB's LOCK file in dir. LevelDB holds an fcntl
// lock on it while open; the kernel drops that lock when the process dies,
// but the file stays. If a live process holds the lock, the directory is in
// use (*LockedError). Otherwise, if our pid file says the last run never
// stopped dynalite, its LOCK and pid file are removed and cleared is true.
func clearStaleLock(dir string) (cleared bool, err error) {
	pid, err := lockHolder(dir)
	if err != nil {
		return false, err
	}
	if pid != 0 {
		return false, &LockedError{Dir: dir, PID: pid}
	}
	pidPath := filepath.Join(dir, pidFile)
	if _, err := os.Stat(pidPath); errors.Is(err, fs.ErrNotExist) {
		return false, nil // the last run stopped cleanly
	}
	for _, name := range []string{"LOCK", pidFile} {
		if err := os.Remove(filepath.Join(dir, name)); err != nil && !errors.Is(err, fs.ErrNotExist) {
			return false, fmt.Errorf("clear stale DynamoDB lock: %w", err)
		}
	}
	return true, nil
}

// lockHolder returns the pid of the process holding dir/LOCK, or 0 if none
// does (or there is no LOCK file).
func lockHolder(dir string) (int, error) {
	f, err := os.OpenFile(filepath.Join(dir, "LOCK"), os.O_RDWR, 0)
	if errors.Is(err, fs.ErrNotExist) {
		return 0, nil
	}
	if err != nil {
		return 0, fmt.Errorf("check DynamoDB lock: %w", err)
	}
	// Closing f would drop any lock this process held on the file; it holds
	// none (LevelDB runs in the dynalite child).
	defer f.Close()
	lk := syscall.Flock_t{Type: syscall.F_WRLCK, Whence: io.SeekStart}
	if err := syscall.FcntlFlock(f.Fd(), syscall.F_GETLK, &lk); err != nil {
		return 0, fmt.Errorf("check DynamoDB lock: %w", err)
	}
	if lk.Type == syscall.F_UNLCK {
		return 0, nil
	}
	return int(lk.Pid), nil
}
