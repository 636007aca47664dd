package stack

import (
	"os"
	"path/filepath"
	"testing"
)

// TestPrivateDir: the data directory is created 0700, and one an earlier
// run left open to others is closed.
func TestPrivateDir(t *testing.T) {
	tmp := t.TempDir()
	existing := filepath.Join(tmp, "existing")
	if err := os.Mkdir(existing, 0o755); err != nil {
		t.Fatal(err)
	}
	for _, dir := range []string{filepath.Join(tmp, "new", ".local"), existing} {
		if err := privateDir(dir); err != nil {
			t.Fatal(err)
		}
		info, err := os.Stat(dir)
		if err != nil {
			t.Fatal(err)
		}
		if got := info.Mode().Perm(); got != 0o700 {
			t.Errorf("%s: mode %v, want 0700", dir, got)
		}
	}
}
