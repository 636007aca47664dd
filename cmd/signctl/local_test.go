package main

import (
	"bytes"
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// TestLocalCommandsReportBadSetup checks that `signctl local` and `signctl
// demo` exit with one line naming the fix when the setup is wrong. (The
// end-to-end tests of both commands are in local/stack.)
func TestLocalCommandsReportBadSetup(t *testing.T) {
	missing := filepath.Join(t.TempDir(), "cdk.out")
	empty := t.TempDir() // a cloud assembly without stacks
	if err := os.WriteFile(filepath.Join(empty, "manifest.json"), []byte(`{"version":"54.0.0","artifacts":{}}`), 0o644); err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		name       string
		args       []string
		wantCode   int
		wantStderr string
	}{
		{"local without a cloud assembly", []string{"local", "--cdk-out", missing},
			exitError, "signctl: no cloud assembly at " + missing + ": run `make synth`\n"},
		{"demo without a cloud assembly", []string{"demo", "--cdk-out", missing, "--data-dir", t.TempDir()},
			exitError, "signctl: no cloud assembly at " + missing + ": run `make synth`\n"},
		{"local on a public address", []string{"local", "--cdk-out", empty, "--addr", "0.0.0.0:4566"},
			exitError, `signctl: address "0.0.0.0:4566" is not a loopback address (the local stack has no authentication): use 127.0.0.1, e.g. --addr 127.0.0.1:4566` + "\n"},
		{"local with an argument", []string{"local", "extra"},
			exitUsage, "signctl: unknown command \"extra\" for \"signctl local\"\n"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var stdout, stderr bytes.Buffer
			code := execute(context.Background(), newRootCmd(), tt.args, &stdout, &stderr)
			if code != tt.wantCode || stderr.String() != tt.wantStderr {
				t.Errorf("exit %d, stderr %q; want exit %d, stderr %q", code, stderr.String(), tt.wantCode, tt.wantStderr)
			}
			if tt.args[0] == "demo" && !strings.Contains(stdout.String(), "starting the local stack") {
				t.Errorf("demo stdout = %q, want it to say it starts the stack", stdout.String())
			}
		})
	}
}
