package localcmd

import (
	"bytes"
	"cmp"
	"context"
	"os"
	"os/exec"
	"path/filepath"
	"reflect"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/hitl-go/docsign/cmd/signctl/internal/cli"
	"github.com/hitl-go/docsign/internal/nodemodules"
)

// TestLocalCommandsReportBadSetup checks that `signctl local` exits with one
// line naming the fix when the setup is wrong (demo_test.go checks `signctl
// demo`; the end-to-end tests of both commands are in local/stack).
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
			cli.ExitError, "signctl: no cloud assembly at " + missing + ": run `make synth`\n"},
		{"local on a public address", []string{"local", "--cdk-out", empty, "--addr", "0.0.0.0:4566"},
			cli.ExitError, `signctl: address "0.0.0.0:4566" is not a loopback address (the local stack has no authentication): use 127.0.0.1, e.g. --addr 127.0.0.1:4566` + "\n"},
		{"local with an argument", []string{"local", "extra"},
			cli.ExitUsage, "signctl: unknown command \"extra\" for \"signctl local\"\n"},
		{"local in a region that is no region", []string{"local", "--cdk-out", empty, "--region", "Mars"},
			cli.ExitUsage, "signctl: --region \"Mars\" is not an AWS region name such as us-east-1\n"},
		{"local with a short account ID", []string{"local", "--cdk-out", empty, "--account-id", "12345"},
			cli.ExitUsage, "signctl: --account-id \"12345\" is not a 12-digit AWS account ID such as 000000000000\n"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var stdout, stderr bytes.Buffer
			code := cli.Execute(context.Background(), cli.NewRoot(NewCmd()), tt.args, &stdout, &stderr)
			if code != tt.wantCode || stderr.String() != tt.wantStderr {
				t.Errorf("exit %d, stderr %q; want exit %d, stderr %q", code, stderr.String(), tt.wantCode, tt.wantStderr)
			}
		})
	}
}

// TestLocalStandsInForRegionAndAccount runs `signctl local` on a cloud
// assembly without stacks (dynalite and the endpoint only) until it is
// ready, and checks the region and account it stands in for.
func TestLocalStandsInForRegionAndAccount(t *testing.T) {
	if testing.Short() {
		t.Skip("runs the local stack; not in -short mode")
	}
	_, nodeErr := exec.LookPath("node")
	_, dynaliteErr := nodemodules.Find("", "dynalite/cli.js")
	if err := cmp.Or(nodeErr, dynaliteErr); err != nil {
		if os.Getenv("CI") == "" {
			t.Skip(err)
		}
		t.Fatal(err)
	}
	empty := t.TempDir()
	if err := os.WriteFile(filepath.Join(empty, "manifest.json"), []byte(`{"version":"54.0.0","artifacts":{}}`), 0o644); err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		name       string
		flags      []string
		wantPlace  string // as the summary says it
		wantRegion string // in the ready line's environment
	}{
		{"defaults", nil, "(region us-east-1, account 000000000000)", "AWS_DEFAULT_REGION=us-east-1"},
		{"flags", []string{"--region", "eu-west-1", "--account-id", "123456789012"},
			"(region eu-west-1, account 123456789012)", "AWS_DEFAULT_REGION=eu-west-1"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			dir := t.TempDir()
			args := append([]string{"local", "--cdk-out", empty, "--addr", "127.0.0.1:0", "--in-memory",
				"--data-dir", dir, "--outputs-file", filepath.Join(dir, "outputs.json")}, tt.flags...)
			ctx, cancel := context.WithTimeout(t.Context(), 2*time.Minute)
			defer cancel()
			stdout := &readyWriter{ready: cancel} // stop once ready
			var stderr bytes.Buffer
			code := cli.Execute(ctx, cli.NewRoot(NewCmd()), args, stdout, &stderr)
			got := stdout.String()
			if code != cli.ExitOK || !strings.Contains(got, tt.wantPlace) || !strings.Contains(got, tt.wantRegion) {
				t.Errorf("signctl %s: exit %d, stdout:\n%s\nstderr: %s\nwant exit 0 and %q, %q",
					strings.Join(args, " "), code, got, stderr.String(), tt.wantPlace, tt.wantRegion)
			}
		})
	}
}

// readyWriter collects what the local stack prints from its goroutines and
// calls ready once it says it is ready.
type readyWriter struct {
	mu    sync.Mutex
	buf   bytes.Buffer
	ready func()
}

func (w *readyWriter) Write(p []byte) (int, error) {
	w.mu.Lock()
	defer w.mu.Unlock()
	n, err := w.buf.Write(p)
	if strings.Contains(w.buf.String(), "\nready: ") {
		w.ready()
	}
	return n, err
}

func (w *readyWriter) String() string {
	w.mu.Lock()
	defer w.mu.Unlock()
	return w.buf.String()
}

func TestParseIAMKeys(t *testing.T) {
	tests := []struct {
		in      []string
		want    map[string]string
		wantErr string
	}{
		{in: nil, want: nil},
		{in: []string{"AKIDEXAMPLE=wJalrXUtnFEMI"}, want: map[string]string{"AKIDEXAMPLE": "wJalrXUtnFEMI"}},
		{in: []string{"a=1", "b=x=y"}, want: map[string]string{"a": "1", "b": "x=y"}},
		{in: []string{"only-a-secret"}, wantErr: "want ACCESS_KEY_ID=SECRET"},
		{in: []string{"=secret"}, wantErr: "want ACCESS_KEY_ID=SECRET"},
		{in: []string{"id="}, wantErr: "want ACCESS_KEY_ID=SECRET"},
		{in: []string{"bad id=secret"}, wantErr: "want ACCESS_KEY_ID=SECRET"},
		{in: []string{"a=1", "a=2"}, wantErr: `access key id "a" given twice`},
	}
	for _, tt := range tests {
		got, err := parseIAMKeys(tt.in)
		if tt.wantErr != "" {
			if err == nil || !strings.Contains(err.Error(), tt.wantErr) {
				t.Errorf("parseIAMKeys(%q) = %v, want an error with %q", tt.in, err, tt.wantErr)
			}
			for _, v := range tt.in {
				if _, secret, ok := strings.Cut(v, "="); err != nil && ok && secret != "" && strings.Contains(err.Error(), secret) {
					t.Errorf("parseIAMKeys(%q): the error repeats a secret: %v", tt.in, err)
				}
			}
			continue
		}
		if err != nil || !reflect.DeepEqual(got, tt.want) {
			t.Errorf("parseIAMKeys(%q) = %v, %v; want %v", tt.in, got, err, tt.want)
		}
	}
}

func TestReadKeysFile(t *testing.T) {
	path := filepath.Join(t.TempDir(), "keys")
	if err := os.WriteFile(path, []byte("# local keys\nAKIDEXAMPLE=wJalr\n\n  other=x=y  \n"), 0o600); err != nil {
		t.Fatal(err)
	}
	got, err := readKeysFile(path)
	if want := []string{"AKIDEXAMPLE=wJalr", "other=x=y"}; err != nil || !reflect.DeepEqual(got, want) {
		t.Errorf("readKeysFile = %q, %v; want %q", got, err, want)
	}
	if _, err := readKeysFile(filepath.Join(t.TempDir(), "missing")); err == nil || !strings.Contains(err.Error(), "--iam-keys-file") {
		t.Errorf("readKeysFile(missing) = %v, want an error naming the flag", err)
	}
}
