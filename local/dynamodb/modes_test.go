//go:build unix

package dynamodb

import (
	"io/fs"
	"os"
	"path/filepath"
	"testing"
)

// TestDataIsPrivate: the data directory, everything LevelDB writes in it,
// and dynalite's socket directory are the owner's only (0700 and 0600).
func TestDataIsPrivate(t *testing.T) {
	dir := filepath.Join(t.TempDir(), "dynamodb")
	s := start(t, Options{Dir: dir})
	if _, err := s.CreateTables(testContext(t), templateTables(t)); err != nil {
		t.Fatal(err)
	}
	put(t, s.Client(), tokens(t, templateTables(t)).Name, "doc-1")
	checkPrivate(t, dir)
	checkPrivate(t, filepath.Dir(s.Socket()))
}

// checkPrivate fails for anything under root that group or others may use.
func checkPrivate(t *testing.T, root string) {
	t.Helper()
	n := 0
	err := filepath.WalkDir(root, func(path string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		info, err := os.Lstat(path)
		if err != nil {
			return err
		}
		n++
		want := fs.FileMode(0o600)
		if d.IsDir() {
			want = 0o700
		}
		if got := info.Mode().Perm(); got&0o077 != 0 || (d.IsDir() && got != want) {
			t.Errorf("%s has mode %v, want %v", path, got, want)
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	if n < 2 {
		t.Errorf("found %d entries under %s, want the data", n, root)
	}
}
