package main

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
	"sync/atomic"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/credentials"
	"github.com/aws/aws-sdk-go-v2/service/dynamodb"
	ddbtypes "github.com/aws/aws-sdk-go-v2/service/dynamodb/types"

	"github.com/hitl-go/docsign/cmd/signctl/internal/cli"
	"github.com/hitl-go/docsign/internal/contract"
	"github.com/hitl-go/docsign/local/stack"
)

// e2eTimeout is the state machine's global timeout in the end-to-end app:
// short, so the expiry paths run in seconds, long enough for the CLI to
// complete a request under load.
const e2eTimeout = 15 * time.Second

// e2e is the synthesized app running on a local stack, driven through
// signctl's own command line (in process, with --endpoint and --outputs-file).
type e2e struct {
	cdkOut, endpoint, outputsFile string
	db                            *dynamodb.Client
	table                         string

	mu         sync.Mutex
	transcript bytes.Buffer      // everything signctl printed
	tokens     map[string]string // document id → Bob's task token, to look for in the transcript
}

// startE2E synthesizes the app with a short timeout and starts the local
// stack; it skips without node or the CDK CLI, except in CI.
func startE2E(t *testing.T) *e2e {
	t.Helper()
	if testing.Short() {
		t.Skip("synthesizes the CDK app and runs the local stack; not in -short mode")
	}
	root, err := repositoryRoot()
	if err != nil {
		t.Fatal(err)
	}
	_, cdkErr := os.Stat(filepath.Join(root, "node_modules", "aws-cdk"))
	_, npxErr := exec.LookPath("npx")
	if cdkErr != nil || npxErr != nil {
		msg := "the end-to-end tests need Node.js and the CDK CLI (run `npm ci`)"
		if os.Getenv("CI") == "" {
			t.Skip(msg)
		}
		t.Fatal(msg)
	}
	tmp := t.TempDir()
	e := &e2e{cdkOut: filepath.Join(tmp, "cdk.out"), outputsFile: filepath.Join(tmp, "outputs.json"), tokens: map[string]string{}}
	synth(t, root, e.cdkOut)

	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Minute)
	defer cancel()
	var log bytes.Buffer
	st, err := stack.Start(ctx, stack.Options{CDKOut: e.cdkOut, Addr: "127.0.0.1:0", InMemory: true,
		DataDir: filepath.Join(tmp, "data"), OutputsFile: e.outputsFile, Stdout: &lockedWriter{w: &log}})
	if err != nil {
		t.Fatalf("start the local stack: %v\n%s", err, log.String())
	}
	t.Cleanup(func() {
		if err := st.Close(); err != nil {
			t.Errorf("stop the local stack: %v", err)
		}
	})
	e.endpoint = st.Endpoint()
	e.table = st.Outputs()[contract.StackName]["TableName"]
	e.db = dynamodb.NewFromConfig(aws.Config{Region: "us-east-1", BaseEndpoint: aws.String(e.endpoint),
		Credentials: credentials.NewStaticCredentialsProvider("local", "local", "")})
	return e
}

func synth(t *testing.T, root, out string) {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Minute)
	defer cancel()
	cmd := exec.CommandContext(ctx, "npx", "--no-install", "cdk", "synth", "-q", "-c", "timeout="+e2eTimeout.String(), "-o", out)
	cmd.Dir = root
	cmd.Env = append(os.Environ(), "JSII_SILENCE_WARNING_DEPRECATED_NODE_VERSION=1")
	if b, err := cmd.CombinedOutput(); err != nil {
		t.Fatalf("cdk synth: %v\n%s", err, b)
	}
}

func repositoryRoot() (string, error) {
	dir, err := os.Getwd()
	for err == nil {
		if _, serr := os.Stat(filepath.Join(dir, "go.mod")); serr == nil {
			return dir, nil
		}
		parent := filepath.Dir(dir)
		if parent == dir {
			return "", errors.New("no go.mod above the working directory")
		}
		dir = parent
	}
	return "", err
}

// lockedWriter serialises writes from the stack's goroutines.
type lockedWriter struct {
	mu sync.Mutex
	w  *bytes.Buffer
}

func (l *lockedWriter) Write(p []byte) (int, error) {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.w.Write(p)
}

// result is one signctl run.
type result struct {
	args           []string
	stdout, stderr string
	code           int
}

func (r result) String() string {
	return fmt.Sprintf("signctl %s → exit %d\nstdout: %s\nstderr: %s", strings.Join(r.args, " "), r.code, r.stdout, r.stderr)
}

// signctl runs the command line against the local stack.
func (e *e2e) signctl(args ...string) result {
	full := append([]string{}, args...)
	for flag, value := range map[string]string{"--endpoint": e.endpoint, "--outputs-file": e.outputsFile} {
		if args[0] != "graph" && !slices.Contains(args, flag) {
			full = append(full, flag, value)
		}
	}
	var out, errOut bytes.Buffer
	code := cli.Execute(context.Background(), newRootCmd(), full, &out, &errOut)
	e.mu.Lock()
	fmt.Fprintf(&e.transcript, "%s\n%s", out.String(), errOut.String())
	e.mu.Unlock()
	return result{args: args, stdout: out.String(), stderr: errOut.String(), code: code}
}

// want checks a run's exit code and that stdout and stderr contain the given parts.
func want(t *testing.T, r result, code int, stdout, stderr string) {
	t.Helper()
	if r.code != code || !strings.Contains(r.stdout, stdout) || !strings.Contains(r.stderr, stderr) {
		t.Errorf("want exit %d, stdout containing %q, stderr containing %q; got %s", code, stdout, stderr, r)
	}
}

// e2eStatus is the part of `status --json` the tests read.
type e2eStatus struct {
	Status  string `json:"status"`
	Signers []struct {
		Signer, Mode, Status, Reason string
		CompletedAt                  string `json:"completedAt"`
	} `json:"signers"`
	Pending []string        `json:"pending"`
	Output  json.RawMessage `json:"output"`
}

func (e *e2e) status(t *testing.T, id string) e2eStatus {
	t.Helper()
	r := e.signctl("status", id, "--json")
	var st e2eStatus
	if err := json.Unmarshal([]byte(r.stdout), &st); r.code != 0 || err != nil {
		t.Fatalf("status --json: %v\n%s", err, r)
	}
	return st
}

// signerStatuses is "Alice=SIGNED Bob=PENDING".
func (st e2eStatus) signerStatuses() string {
	var parts []string
	for _, s := range st.Signers {
		parts = append(parts, s.Signer+"="+s.Status)
	}
	return strings.Join(parts, " ")
}

// startWaiting starts a fresh document and waits until Bob's request waits.
func (e *e2e) startWaiting(t *testing.T, what string) string {
	t.Helper()
	id := newE2EID(what)
	want(t, e.signctl("start", id), 0, "Started signing document "+id, "")
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
func (e *e2e) recordToken(t *testing.T, id string) {
	t.Helper()
	out, err := e.db.GetItem(context.Background(), &dynamodb.GetItemInput{TableName: aws.String(e.table), Key: map[string]ddbtypes.AttributeValue{
		"documentId": &ddbtypes.AttributeValueMemberS{Value: id}, "signer": &ddbtypes.AttributeValueMemberS{Value: "Bob"}}})
	if err != nil {
		t.Fatal(err)
	}
	tok, ok := out.Item["taskToken"].(*ddbtypes.AttributeValueMemberS)
	if !ok || tok.Value == "" {
		t.Fatalf("document %s: Bob's waiting request has no task token", id)
	}
	e.mu.Lock()
	e.tokens[id] = tok.Value
	e.mu.Unlock()
}

var e2eSeq atomic.Int64

// newE2EID is a document id no earlier run used (a run's name is kept).
func newE2EID(what string) string {
	return fmt.Sprintf("cli-%d-%d-%s", time.Now().Unix(), e2eSeq.Add(1), what)
}
