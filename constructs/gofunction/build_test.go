package gofunction

import (
	"archive/zip"
	"bytes"
	"crypto/sha256"
	"debug/elf"
	"encoding/hex"
	"errors"
	"io"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

func TestCheckPackage(t *testing.T) {
	tests := []struct {
		pkg    string
		wantOK bool
	}{
		{pkg: "./lambdas/signdocument", wantOK: true},
		{pkg: "./cmd", wantOK: true},
		{pkg: "lambdas/signdocument"},
		{pkg: "./"},
		{pkg: "."},
		{pkg: "./../other"},
		{pkg: "./lambdas/../x"},
		{pkg: "./lambdas/"},
		{pkg: "./lambdas/..."},
		{pkg: "github.com/hitl-go/docsign/lambdas/signdocument"},
	}
	for _, tt := range tests {
		if err := checkPackage(tt.pkg); (err == nil) != tt.wantOK {
			t.Errorf("checkPackage(%q) = %v, want ok=%v", tt.pkg, err, tt.wantOK)
		}
	}
}

// writeModule writes a throwaway module: ./ok builds only with the Lambda
// flags (its guard files break the build without lambda.norpc or with cgo),
// ./broken does not compile.
func writeModule(t *testing.T) string {
	t.Helper()
	dir := t.TempDir()
	files := map[string]string{
		"go.mod":             "module example.com/m\n\ngo 1.26\n",
		"ok/main.go":         "package main\n\nfunc main() {}\n",
		"ok/rpc.go":          "//go:build !lambda.norpc\n\npackage main\n\nvar _ = needsNoRPCTag\n",
		"ok/cgo.go":          "//go:build cgo\n\npackage main\n\nvar _ = needsCGODisabled\n",
		"broken/main.go":     "package main\n\nfunc main() { undefinedThing() }\n",
		"notmain/notmain.go": "package notmain\n",
	}
	for name, text := range files {
		path := filepath.Join(dir, name)
		if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(path, []byte(text), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	return dir
}

func TestBuild(t *testing.T) {
	module := writeModule(t)
	zipPath, hash, err := build(module, "./ok")
	if err != nil {
		t.Fatalf("build ./ok: %v", err)
	}
	if want := filepath.Join(module, ".build", "lambda", "ok.zip"); zipPath != want {
		t.Errorf("zip = %s, want %s", zipPath, want)
	}
	b, err := os.ReadFile(zipPath)
	if err != nil {
		t.Fatal(err)
	}
	if sum := sha256.Sum256(b); hex.EncodeToString(sum[:]) != hash {
		t.Errorf("hash %s is not the SHA-256 of the zip", hash)
	}
	bin := checkPackageZip(t, b)
	exe, err := elf.NewFile(bytes.NewReader(bin))
	if err != nil {
		t.Fatal(err)
	}
	if exe.Machine != elf.EM_AARCH64 {
		t.Errorf("bootstrap machine = %v, want EM_AARCH64", exe.Machine)
	}
	if exe.Section(".symtab") != nil {
		t.Error("bootstrap has a symbol table, want it stripped (-s -w)")
	}

	_, again, err := build(module, "./ok")
	if err != nil || again != hash {
		t.Errorf("rebuild: hash %s (%v), want %s: builds must be reproducible", again, err, hash)
	}
	if tmp, _ := os.ReadDir(filepath.Join(module, buildDir, ".tmp")); len(tmp) != 0 {
		t.Errorf("temporary files left behind: %v", tmp)
	}
}

// checkPackageZip checks b is a Lambda deployment package whose only entry
// is bootstrap, executable (0755) as Lambda runs it, and returns the entry.
func checkPackageZip(t *testing.T, b []byte) []byte {
	t.Helper()
	zr, err := zip.NewReader(bytes.NewReader(b), int64(len(b)))
	if err != nil {
		t.Fatalf("not a zip: %v", err)
	}
	if len(zr.File) != 1 || zr.File[0].Name != "bootstrap" {
		t.Fatalf("zip holds %v, want only bootstrap", zr.File)
	}
	f := zr.File[0]
	if mode := f.Mode(); mode != 0o755 || f.CreatorVersion>>8 != 3 {
		t.Errorf("bootstrap mode %v (creator OS %d), want -rwxr-xr-x from a Unix creator (3)", mode, f.CreatorVersion>>8)
	}
	if !f.Modified.Equal(zipTime) {
		t.Errorf("bootstrap modified %v, want %v: the zip must not depend on the build time", f.Modified, zipTime)
	}
	r, err := f.Open()
	if err != nil {
		t.Fatal(err)
	}
	defer r.Close()
	bin, err := io.ReadAll(r)
	if err != nil {
		t.Fatal(err)
	}
	return bin
}

func TestBuildErrors(t *testing.T) {
	module := writeModule(t)
	tests := []struct {
		pkg  string
		want string // in the error
	}{
		{pkg: "./broken", want: "undefined: undefinedThing"},
		{pkg: "./missing", want: "missing"},
		{pkg: "./notmain", want: "not a main package"},
		{pkg: "../escape", want: "module-relative package path"},
	}
	for _, tt := range tests {
		_, _, err := build(module, tt.pkg)
		var be *BuildError
		if !errors.As(err, &be) || be.Package != tt.pkg {
			t.Errorf("build(%s) = %v, want a *BuildError for it", tt.pkg, err)
			continue
		}
		if msg := err.Error(); !strings.Contains(msg, tt.pkg) || !strings.Contains(msg, tt.want) {
			t.Errorf("build(%s) error %q, want it to name the package and contain %q", tt.pkg, msg, tt.want)
		}
	}
}

func TestModuleRoot(t *testing.T) {
	module := writeModule(t)
	got, err := moduleRoot(filepath.Join(module, "ok"))
	if err != nil || got != module {
		t.Errorf("moduleRoot(ok) = %q, %v, want %q", got, err, module)
	}
	if got, err := moduleRoot(t.TempDir()); err == nil {
		t.Errorf("moduleRoot(no go.mod) = %q, want an error", got)
	}
}

func TestBuildOnce(t *testing.T) {
	module := writeModule(t)
	zipPath, hash, err := buildOnce(module, "./ok")
	if err != nil {
		t.Fatal(err)
	}
	first, err := os.Stat(zipPath)
	if err != nil {
		t.Fatal(err)
	}
	zipPath2, hash2, err := buildOnce(module, "./ok")
	second, _ := os.Stat(zipPath)
	if err != nil || zipPath2 != zipPath || hash2 != hash || !os.SameFile(first, second) {
		t.Errorf("second buildOnce = %s %s %v (same file %v), want the first build reused", zipPath2, hash2, err, os.SameFile(first, second))
	}
	if _, _, err := buildOnce(module, "./broken"); err == nil {
		t.Error("buildOnce(./broken) succeeded")
	}
}
