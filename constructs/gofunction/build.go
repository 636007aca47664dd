package gofunction

import (
	"bytes"
	"crypto/sha256"
	"debug/elf"
	"encoding/hex"
	"errors"
	"fmt"
	"io"
	"os"
	"os/exec"
	"path"
	"path/filepath"
	"strings"
	"sync"
)

// BuildError reports a Go Lambda package that could not be built for the Lambda runtime.
type BuildError struct {
	Package string // the package as given, e.g. "./lambdas/signdocument"
	Output  string // what the go command printed, trimmed
	Err     error
}

func (e *BuildError) Error() string {
	msg := fmt.Sprintf("build Go Lambda package %s for linux/arm64: %v", e.Package, e.Err)
	if e.Output != "" {
		msg += "\n" + e.Output
	}
	return msg
}

func (e *BuildError) Unwrap() error { return e.Err }

// builds remembers this process's successful builds: a synth is a one-shot
// process, and tests that synthesize several apps need each package built once.
var builds struct {
	sync.Mutex
	done map[[2]string][2]string // {moduleDir, pkg} → {zip, hash}
}

// buildOnce is build, once per module directory and package in this process.
func buildOnce(moduleDir, pkg string) (zipPath, hash string, err error) {
	builds.Lock()
	defer builds.Unlock()
	key := [2]string{moduleDir, pkg}
	if r, ok := builds.done[key]; ok {
		return r[0], r[1], nil
	}
	if zipPath, hash, err = build(moduleDir, pkg); err != nil {
		return "", "", err
	}
	if builds.done == nil {
		builds.done = map[[2]string][2]string{}
	}
	builds.done[key] = [2]string{zipPath, hash}
	return zipPath, hash, nil
}

// buildDir is where built packages go, relative to the module root (gitignored).
const buildDir = ".build/lambda"

// build compiles pkg (relative to moduleDir) for provided.al2023 on arm64 and
// zips it as <moduleDir>/.build/lambda/<name>.zip, returning that path and
// the zip's SHA-256. The zip is written to a temporary file first and renamed
// into place, so a concurrent synth never sees half a package.
func build(moduleDir, pkg string) (zipPath, hash string, err error) {
	if err := checkPackage(pkg); err != nil {
		return "", "", &BuildError{Package: pkg, Err: err}
	}
	name := path.Base(pkg)
	tmpDir := filepath.Join(moduleDir, buildDir, ".tmp")
	if err := os.MkdirAll(tmpDir, 0o755); err != nil {
		return "", "", &BuildError{Package: pkg, Err: err}
	}
	bin, err := os.CreateTemp(tmpDir, name+"-*")
	if err != nil {
		return "", "", &BuildError{Package: pkg, Err: err}
	}
	bin.Close()
	defer os.Remove(bin.Name())
	tmpZip := bin.Name() + ".zip"
	defer os.Remove(tmpZip) // a no-op once renamed

	if out, err := goBuild(moduleDir, pkg, bin.Name()); err != nil {
		return "", "", &BuildError{Package: pkg, Output: out, Err: err}
	}
	if err := checkExecutable(bin.Name()); err != nil {
		return "", "", &BuildError{Package: pkg, Err: err}
	}
	if err := writeZip(tmpZip, bin.Name()); err != nil {
		return "", "", &BuildError{Package: pkg, Err: err}
	}
	if hash, err = fileSHA256(tmpZip); err != nil {
		return "", "", &BuildError{Package: pkg, Err: err}
	}
	zipPath = filepath.Join(moduleDir, buildDir, name+".zip")
	if err := os.Rename(tmpZip, zipPath); err != nil {
		return "", "", &BuildError{Package: pkg, Err: err}
	}
	return zipPath, hash, nil
}

// goBuild runs the go command with the flags the Lambda runtime needs:
// a static binary (no cgo), no RPC mode, reproducible (trimpath, no VCS stamp)
// and stripped, so the same source always hashes the same.
func goBuild(moduleDir, pkg, out string) (string, error) {
	cmd := exec.Command("go", "build",
		"-tags", "lambda.norpc", "-trimpath", "-buildvcs=false", "-ldflags=-s -w",
		"-o", out, pkg)
	cmd.Dir = moduleDir
	cmd.Env = append(os.Environ(), "GOOS=linux", "GOARCH=arm64", "CGO_ENABLED=0")
	var output bytes.Buffer
	cmd.Stdout, cmd.Stderr = &output, &output
	err := cmd.Run()
	return strings.TrimSpace(output.String()), err
}

// checkPackage accepts only module-relative package paths such as
// "./lambdas/signdocument": the same string local tooling reads from Metadata.
func checkPackage(pkg string) error {
	if !strings.HasPrefix(pkg, "./") || path.Clean(pkg) != strings.TrimPrefix(pkg, "./") ||
		strings.HasPrefix(path.Clean(pkg), "..") || strings.Contains(pkg, "...") {
		return errors.New(`want a module-relative package path such as "./lambdas/signdocument"`)
	}
	return nil
}

// checkExecutable catches a package that is not a main package: go build
// then succeeds without writing an executable.
func checkExecutable(name string) error {
	f, err := elf.Open(name)
	if err != nil {
		return fmt.Errorf("not a main package? go build wrote no executable: %w", err)
	}
	defer f.Close()
	if f.Type != elf.ET_EXEC || f.Machine != elf.EM_AARCH64 {
		return fmt.Errorf("go build wrote a %v for %v, want a linux/arm64 executable", f.Type, f.Machine)
	}
	return nil
}

func fileSHA256(name string) (string, error) {
	f, err := os.Open(name)
	if err != nil {
		return "", err
	}
	defer f.Close()
	h := sha256.New()
	if _, err := io.Copy(h, f); err != nil {
		return "", err
	}
	return hex.EncodeToString(h.Sum(nil)), nil
}

// moduleRoot returns the nearest directory at or above dir holding a go.mod.
func moduleRoot(dir string) (string, error) {
	dir, err := filepath.Abs(dir)
	if err != nil {
		return "", err
	}
	for d := dir; ; d = filepath.Dir(d) {
		if _, err := os.Stat(filepath.Join(d, "go.mod")); err == nil {
			return d, nil
		}
		if filepath.Dir(d) == d {
			return "", fmt.Errorf("no go.mod at or above %s", dir)
		}
	}
}
