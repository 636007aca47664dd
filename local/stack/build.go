package stack

import (
	"bytes"
	"context"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"runtime"
	"strings"

	"golang.org/x/sync/errgroup"

	"github.com/hitl-go/docsign/internal/contract"
	"github.com/hitl-go/docsign/internal/procgroup"
	"github.com/hitl-go/docsign/local/cloudformation"
)

// moduleRoot returns the nearest directory at or above one of dirs that
// holds a go.mod: function packages in Metadata are relative to it.
func moduleRoot(dirs ...string) (string, error) {
	for _, start := range dirs {
		abs, err := filepath.Abs(start)
		if err != nil {
			continue
		}
		for d := abs; ; d = filepath.Dir(d) {
			if _, err := os.Stat(filepath.Join(d, "go.mod")); err == nil {
				return d, nil
			}
			if filepath.Dir(d) == d {
				break
			}
		}
	}
	return "", &SetupError{Problem: "no go.mod above " + strings.Join(dirs, " or "),
		Fix: "run from the repository (the functions' Go packages are built from it)"}
}

// buildFunctions builds every function's Go package for this machine, in
// parallel, and returns each binary's path by function name.
func buildFunctions(ctx context.Context, root, binDir string, fns []cloudformation.Function) (map[string]string, error) {
	paths := make([]string, len(fns))
	g, ctx := errgroup.WithContext(ctx)
	g.SetLimit(max(1, runtime.NumCPU()))
	for i, fn := range fns {
		g.Go(func() error {
			if fn.GoPackage == "" {
				return &SetupError{Problem: "function " + fn.Name + " (" + fn.LogicalID + ") has no " +
					contract.MetadataGoPackage + " Metadata",
					Fix: "give the function resource its Go package in Metadata (constructs/gofunction adds it) and run `make synth`"}
			}
			exe := filepath.Join(binDir, fn.Name, "bootstrap")
			if err := goBuild(ctx, root, fn.GoPackage, exe); err != nil {
				err.Function = fn.Name
				return err
			}
			paths[i] = exe
			return nil
		})
	}
	if err := g.Wait(); err != nil {
		return nil, err
	}
	out := make(map[string]string, len(fns))
	for i, fn := range fns {
		out[fn.Name] = paths[i]
	}
	return out, nil
}

// goBuild compiles pkg (relative to root) for the host, as the Lambda custom
// runtime wants it (no RPC mode), into exe. It writes a temporary file and
// renames it, so a running instance or a concurrent start never sees half a
// binary.
func goBuild(ctx context.Context, root, pkg, exe string) *BuildError {
	if !strings.HasPrefix(pkg, "./") {
		return &BuildError{Package: pkg, Err: fmt.Errorf("want a module-relative package such as ./lambdas/signdocument")}
	}
	if err := os.MkdirAll(filepath.Dir(exe), 0o700); err != nil {
		return &BuildError{Package: pkg, Err: err}
	}
	tmp := exe + ".tmp" + fmt.Sprint(os.Getpid())
	defer os.Remove(tmp) // a no-op once renamed
	cmd := exec.CommandContext(ctx, "go", "build", "-tags", "lambda.norpc", "-o", tmp, pkg)
	cmd.Dir = root
	cmd.Env = append(os.Environ(), "GOOS="+runtime.GOOS, "GOARCH="+runtime.GOARCH, "CGO_ENABLED=0")
	var out bytes.Buffer
	cmd.Stdout, cmd.Stderr = &out, &out
	// A cancelled build ends with the compilers it started, and the build
	// dies with us (see package procgroup).
	cmd.Cancel = func() error { return procgroup.Kill(cmd) }
	err := procgroup.Start(cmd)
	if err == nil {
		err = cmd.Wait()
	}
	if err != nil {
		return &BuildError{Package: pkg, Output: strings.TrimSpace(out.String()), Err: err}
	}
	if err := os.Chmod(tmp, 0o700); err != nil { // go build makes it 0755
		return &BuildError{Package: pkg, Err: err}
	}
	if err := os.Rename(tmp, exe); err != nil {
		return &BuildError{Package: pkg, Err: err}
	}
	return nil
}
