package main

import (
	"archive/zip"
	"context"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strings"
)

// lambdaBuildFlags are the flags the deployed bootstraps are built with.
var lambdaBuildFlags = []string{"-tags", "lambda.norpc", "-trimpath", "-buildvcs=false", "-ldflags=-s -w"}

// arm64Env builds for Lambda's arm64 (Graviton) functions.
var arm64Env = []string{"GOOS=linux", "GOARCH=arm64", "CGO_ENABLED=0"}

// armBuildCommand is the build command as the report shows it.
func armBuildCommand(pkg string) string {
	return strings.Join(arm64Env, " ") + ` go build -tags lambda.norpc -trimpath -buildvcs=false -ldflags="-s -w" -o bootstrap ` + pkg
}

// build compiles each function twice with the deployed flags: for this
// machine (the cold starts run it) and for linux/arm64 (zipped, as Lambda
// receives it).
func (r *runner) build(ctx context.Context) error {
	r.bins = map[string]string{}
	for _, fn := range r.fns {
		if err := r.buildForHost(ctx, fn.Label, fn.GoPackage); err != nil {
			return err
		}
		arm := filepath.Join(r.cfg.dataDir, "arm64", fn.Label, "bootstrap")
		if err := goBuild(ctx, arm, fn.GoPackage, arm64Env); err != nil {
			return err
		}
		c := coldStart{Function: fn.Label, Package: fn.GoPackage}
		var err error
		if c.BinBytes, c.ZipBytes, err = zipSizes(arm, arm+".zip"); err != nil {
			return err
		}
		r.rep.Cold = append(r.rep.Cold, c)
	}
	if err := r.buildForHost(ctx, floorLabel, floorPackage); err != nil {
		r.note("the floor function was not built: %v", err) // its cold starts only explain the others
	}
	return nil
}

// buildForHost builds pkg with the deployed flags for this machine, where
// the cold starts run it, as r.bins[label].
func (r *runner) buildForHost(ctx context.Context, label, pkg string) error {
	bin, err := filepath.Abs(filepath.Join(r.cfg.dataDir, "cold", label, "bootstrap"))
	if err == nil {
		err = goBuild(ctx, bin, pkg, []string{"CGO_ENABLED=0"})
	}
	if err != nil {
		return err
	}
	r.bins[label] = bin
	return nil
}

// floorPackage is the smallest Go Lambda function, aws-lambda-go with an
// empty handler and no AWS SDK (floorWhat): its cold start is what exec, the
// Go runtime, aws-lambda-go and one Runtime API round trip cost on this
// machine, the part of every function's cold start no code of ours can cut.
const (
	floorPackage = "./internal/event/testdata/floor"
	floorLabel   = "floor"
	floorWhat    = "aws-lambda-go with an empty handler, no AWS SDK"
)

func goBuild(ctx context.Context, out, pkg string, env []string) error {
	if err := os.MkdirAll(filepath.Dir(out), 0o755); err != nil {
		return err
	}
	cmd := command(ctx, "go", append(append([]string{"build"}, lambdaBuildFlags...), "-o", out, pkg)...)
	cmd.Env = append(os.Environ(), env...)
	if b, err := cmd.CombinedOutput(); err != nil {
		return fmt.Errorf("%s %s: %w\n%s", strings.Join(env, " "), cmd, err, b)
	}
	return nil
}

// zipSizes zips the bootstrap as a Lambda deployment package (deflate,
// executable) and returns its size and the zip's.
func zipSizes(bin, zipPath string) (binBytes, zipBytes int64, err error) {
	in, err := os.Open(bin)
	if err != nil {
		return 0, 0, err
	}
	defer in.Close()
	info, err := in.Stat()
	if err != nil {
		return 0, 0, err
	}
	out, err := os.Create(zipPath)
	if err != nil {
		return 0, 0, err
	}
	defer out.Close()
	zw := zip.NewWriter(out)
	hdr := &zip.FileHeader{Name: "bootstrap", Method: zip.Deflate}
	hdr.SetMode(0o755)
	w, err := zw.CreateHeader(hdr)
	if err == nil {
		_, err = io.Copy(w, in)
	}
	if err == nil {
		err = zw.Close()
	}
	if err != nil {
		return 0, 0, err
	}
	zinfo, err := out.Stat()
	if err != nil {
		return 0, 0, err
	}
	return info.Size(), zinfo.Size(), nil
}
