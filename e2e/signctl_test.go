package e2e_test

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/hitl-go/docsign/internal/stacktest"
)

// signctl's exit codes (cmd/signctl/internal/cli/errors.go).
const (
	signctlExitError     = 1
	signctlExitUsage     = 2
	signctlExitNotFound  = 3
	signctlExitCompleted = 4
	signctlExitExpired   = 5
	signctlExitRunFailed = 7
	signctlExitInvalid   = 8
)

// signctlE2E is the shared local stack driven through the signctl binary,
// as an operator runs it (with --endpoint and --outputs-file).
type signctlE2E struct {
	env              *stacktest.Env
	bin, root        string
	cdkOut           string
	outputsFile, dir string

	mu         sync.Mutex
	transcript bytes.Buffer      // everything signctl printed
	tokens     map[string]string // document id → Bob's task token, to look for in the transcript
	files      map[string]string // document id → the file uploaded for it
}

func newSignctlE2E(t *testing.T) *signctlE2E {
	t.Helper()
	env := stacktest.Shared(t)
	root, cdkOut := stacktest.Synthesized(t)
	return &signctlE2E{env: env, bin: stacktest.SignctlBinary(t), root: root, cdkOut: cdkOut,
		outputsFile: env.Stack.OutputsFile(), dir: t.TempDir(), tokens: map[string]string{}, files: map[string]string{}}
}

// signctlRun is one signctl run.
type signctlRun struct {
	args           []string
	stdout, stderr string
	code           int
}

func (r signctlRun) String() string {
	return fmt.Sprintf("signctl %s → exit %d\nstdout: %s\nstderr: %s", strings.Join(r.args, " "), r.code, r.stdout, r.stderr)
}

// signctl runs the binary against the local stack; graph reads the cloud
// assembly only.
func (e *signctlE2E) signctl(t *testing.T, args ...string) signctlRun {
	t.Helper()
	full := append([]string{}, args...)
	for _, f := range [][2]string{{"--endpoint", e.env.Endpoint}, {"--outputs-file", e.outputsFile}} {
		if args[0] != "graph" && !slices.Contains(args, f[0]) {
			full = append(full, f[0], f[1])
		}
	}
	ctx, cancel := context.WithTimeout(context.Background(), 2*time.Minute)
	defer cancel()
	cmd := exec.CommandContext(ctx, e.bin, full...)
	cmd.Dir = e.root
	var out, errOut bytes.Buffer
	cmd.Stdout, cmd.Stderr = &out, &errOut
	err := cmd.Run()
	code := 0
	var exit *exec.ExitError
	if errors.As(err, &exit) {
		code = exit.ExitCode()
	} else if err != nil {
		t.Fatalf("signctl %s: %v", strings.Join(args, " "), err)
	}
	e.mu.Lock()
	fmt.Fprintf(&e.transcript, "%s\n%s", out.String(), errOut.String())
	e.mu.Unlock()
	return signctlRun{args: args, stdout: out.String(), stderr: errOut.String(), code: code}
}

// signctlWant checks a run's exit code and that stdout and stderr contain the given parts.
func signctlWant(t *testing.T, r signctlRun, code int, stdout, stderr string) {
	t.Helper()
	if r.code != code || !strings.Contains(r.stdout, stdout) || !strings.Contains(r.stderr, stderr) {
		t.Errorf("want exit %d, stdout containing %q, stderr containing %q; got %s", code, stdout, stderr, r)
	}
}

// signctlStatus is the part of `status --json` the tests read.
type signctlStatus struct {
	Status  string `json:"status"`
	Signers []struct {
		Signer, Mode, Status, Reason string
		CompletedAt                  string `json:"completedAt"`
	} `json:"signers"`
	Pending []string        `json:"pending"`
	Output  json.RawMessage `json:"output"`
}

func (e *signctlE2E) status(t *testing.T, id string) signctlStatus {
	t.Helper()
	r := e.signctl(t, "status", id, "--json")
	var st signctlStatus
	if err := json.Unmarshal([]byte(r.stdout), &st); r.code != 0 || err != nil {
		t.Fatalf("status --json: %v\n%s", err, r)
	}
	return st
}

// signerStatuses is "Alice=SIGNED Bob=PENDING".
func (st signctlStatus) signerStatuses() string {
	var parts []string
	for _, s := range st.Signers {
		parts = append(parts, s.Signer+"="+s.Status)
	}
	return strings.Join(parts, " ")
}

// writeDocument writes a file for document id and returns its path.
func (e *signctlE2E) writeDocument(t *testing.T, id string) string {
	t.Helper()
	path := filepath.Join(e.dir, id+".txt")
	if err := os.WriteFile(path, []byte("Contract "+id+": Alice sells Bob one bicycle for 120 EUR.\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	e.mu.Lock()
	e.files[id] = path
	e.mu.Unlock()
	return path
}

// file is the file uploaded for document id.
func (e *signctlE2E) file(id string) string {
	e.mu.Lock()
	defer e.mu.Unlock()
	return e.files[id]
}

// startWaiting uploads and starts a fresh document (`signctl start
// --file`) and waits until Bob's request waits.
func (e *signctlE2E) startWaiting(t *testing.T, what string) string {
	t.Helper()
	id := stacktest.NewDocumentID(what)
	r := e.signctl(t, "start", id, "--file", e.writeDocument(t, id))
	signctlWant(t, r, 0, "Started signing document "+id, "")
	signctlWant(t, r, 0, "Uploaded s3://", "")
	deadline := time.Now().Add(30 * time.Second)
	for {
		st := e.status(t, id)
		if st.signerStatuses() == "Alice=SIGNED Bob=PENDING" {
			e.recordToken(t, id)
			return id
		}
		if time.Now().After(deadline) {
			t.Fatalf("document %s: signers %s, want Alice=SIGNED Bob=PENDING", id, st.signerStatuses())
		}
		time.Sleep(100 * time.Millisecond)
	}
}

// recordToken reads Bob's waiting request's task token from the table.
func (e *signctlE2E) recordToken(t *testing.T, id string) {
	t.Helper()
	it, err := e.env.RequestItem(context.Background(), id)
	if err != nil {
		t.Fatal(err)
	}
	if it["taskToken"] == "" {
		t.Fatalf("document %s: Bob's waiting request has no task token", id)
	}
	e.mu.Lock()
	e.tokens[id] = it["taskToken"]
	e.mu.Unlock()
}

// signctlVerify is the part of `verify --json` the tests read.
type signctlVerify struct {
	DocumentID string `json:"documentId"`
	Document   *struct {
		Bucket, Key, VersionID, SHA256 string
	} `json:"document"`
	Valid      bool `json:"valid"`
	Signatures []struct {
		Signer, Problem, Detail string
		Valid                   bool
		Statement               *struct{ Signer, AuthenticatedBy string }
	} `json:"signatures"`
	File *struct {
		Path, SHA256 string
		Matches      bool
	} `json:"file"`
}

func (e *signctlE2E) verify(t *testing.T, code int, args ...string) signctlVerify {
	t.Helper()
	r := e.signctl(t, append([]string{"verify"}, append(args, "--json")...)...)
	var v signctlVerify
	if err := json.Unmarshal([]byte(r.stdout), &v); err != nil || r.code != code {
		t.Fatalf("want exit %d and a report; %v\n%s", code, err, r)
	}
	return v
}

// problems is "Alice=document altered Bob=" for a report.
func (v signctlVerify) problems() string {
	var parts []string
	for _, s := range v.Signatures {
		parts = append(parts, s.Signer+"="+s.Problem)
	}
	return strings.Join(parts, " ")
}
