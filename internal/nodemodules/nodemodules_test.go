package nodemodules

import (
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

func TestFind(t *testing.T) {
	root := t.TempDir()
	modules := filepath.Join(root, "node_modules")
	file := filepath.Join(modules, "pkg", "cli.js")
	if err := os.MkdirAll(filepath.Dir(file), 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(file, nil, 0o644); err != nil {
		t.Fatal(err)
	}
	nested := filepath.Join(root, "a", "b")
	if err := os.MkdirAll(nested, 0o755); err != nil {
		t.Fatal(err)
	}
	empty := t.TempDir()

	tests := []struct {
		name     string
		wd, dir  string
		env      string
		file     string
		want     string
		wantMiss bool
	}{
		{name: "explicit dir", wd: empty, dir: modules, file: "pkg/cli.js", want: file},
		{name: "env var", wd: empty, env: modules, file: "pkg/cli.js", want: file},
		{name: "walk up from a subdirectory", wd: nested, file: "pkg/cli.js", want: file},
		{name: "explicit dir wins over env", wd: empty, dir: modules, env: empty, file: "pkg/cli.js", want: file},
		{name: "missing file in explicit dir", wd: empty, dir: modules, file: "other/x.js", wantMiss: true},
		{name: "missing everywhere", wd: empty, file: "pkg/cli.js", wantMiss: true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Chdir(tt.wd)
			t.Setenv(Env, tt.env)
			got, err := Find(tt.dir, tt.file)
			if tt.wantMiss {
				var missing *MissingError
				if !errors.As(err, &missing) || !strings.Contains(err.Error(), "npm ci") {
					t.Fatalf("Find = %q, %v; want *MissingError naming npm ci", got, err)
				}
				return
			}
			if err != nil || got != tt.want {
				t.Fatalf("Find = %q, %v; want %q", got, err, tt.want)
			}
		})
	}
}
