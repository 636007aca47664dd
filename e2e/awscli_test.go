package e2e_test

import (
	"bytes"
	"encoding/json"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/hitl-go/docsign/internal/contract"
	"github.com/hitl-go/docsign/internal/stacktest"
)

// awsCLI runs the real AWS CLI (v1: raw JSON in --payload) against the
// local stack, with dummy credentials and none of the user's configuration.
type awsCLI struct {
	endpoint string
	dir      string // invoke output files
	seq      atomic.Int64
}

func newAWSCLI(t *testing.T, endpoint string) *awsCLI {
	t.Helper()
	if _, err := exec.LookPath("aws"); err != nil {
		stacktest.NeedTool(t, &stacktest.ToolMissingError{Msg: "the AWS CLI (aws) is not on PATH"})
	}
	return &awsCLI{endpoint: endpoint, dir: t.TempDir()}
}

// cliEnv is this process's environment without the user's AWS settings.
func cliEnv() []string {
	var env []string
	for _, kv := range os.Environ() {
		if !strings.HasPrefix(kv, "AWS_") {
			env = append(env, kv)
		}
	}
	return append(env, "AWS_ACCESS_KEY_ID=local", "AWS_SECRET_ACCESS_KEY=local", "AWS_DEFAULT_REGION=us-east-1",
		"AWS_CONFIG_FILE="+os.DevNull, "AWS_SHARED_CREDENTIALS_FILE="+os.DevNull)
}

// run runs `aws args…` and decodes its JSON output into out (if not nil).
func (c *awsCLI) run(t testing.TB, out any, args ...string) {
	t.Helper()
	cmd := exec.Command("aws", append(args, "--endpoint-url", c.endpoint, "--output", "json")...)
	cmd.Env = cliEnv()
	var stdout, stderr bytes.Buffer
	cmd.Stdout, cmd.Stderr = &stdout, &stderr
	if err := cmd.Run(); err != nil {
		t.Fatalf("aws %s: %v\n%s", strings.Join(args, " "), err, stderr.String())
	}
	if out != nil && stdout.Len() > 0 {
		if err := json.Unmarshal(stdout.Bytes(), out); err != nil {
			t.Fatalf("aws %s: output is not JSON: %v\n%s", strings.Join(args, " "), err, stdout.String())
		}
	}
}

// putDocument uploads body as the document id (documents/<id> in the
// stack's bucket) and returns the new version's id.
func (c *awsCLI) putDocument(t testing.TB, e *stacktest.Env, id string, body []byte) string {
	t.Helper()
	file := filepath.Join(c.dir, fmt.Sprintf("document-%d", c.seq.Add(1)))
	if err := os.WriteFile(file, body, 0o644); err != nil {
		t.Fatal(err)
	}
	var out struct{ VersionId string }
	c.run(t, &out, "s3api", "put-object", "--bucket", e.Bucket, "--key", contract.DocumentKey(id), "--body", file)
	if out.VersionId == "" {
		t.Fatalf("put-object %s: no VersionId (is the bucket versioned?)", id)
	}
	return out.VersionId
}

// startExecution uploads stacktest.DocumentBody(id) as the document, starts
// its run, named after it, and returns the run's ARN.
func (c *awsCLI) startExecution(t testing.TB, e *stacktest.Env, id string) string {
	t.Helper()
	c.putDocument(t, e, id, stacktest.DocumentBody(id))
	return c.startOnly(t, e, id)
}

// startOnly starts the document's run without uploading anything.
func (c *awsCLI) startOnly(t testing.TB, e *stacktest.Env, id string) string {
	t.Helper()
	var out struct{ ExecutionArn string }
	c.run(t, &out, "stepfunctions", "start-execution", "--state-machine-arn", e.Machine,
		"--name", id, "--input", stacktest.StartInput(id))
	if out.ExecutionArn == "" {
		t.Fatalf("start-execution %s: no executionArn", id)
	}
	return out.ExecutionArn
}

// execution is what describe-execution shows.
type execution struct {
	Status, Output, Error, Cause string
	StartDate, StopDate          float64 // epoch seconds, as the CLI prints them
}

// waitDone polls describe-execution until the run is no longer RUNNING.
func (c *awsCLI) waitDone(t testing.TB, arn string, timeout time.Duration) execution {
	t.Helper()
	var ex execution
	stacktest.Eventually(t, timeout, 300*time.Millisecond, "execution "+arn+" to end", func() (bool, error) {
		c.run(t, &ex, "stepfunctions", "describe-execution", "--execution-arn", arn)
		return ex.Status != "RUNNING", fmt.Errorf("status %s", ex.Status)
	})
	return ex
}

// historyEvent is one get-execution-history event, kept as JSON.
type historyEvent map[string]any

// history returns the run's events and records the task tokens they hold.
func (c *awsCLI) history(t testing.TB, e *stacktest.Env, arn string) []historyEvent {
	t.Helper()
	var out struct{ Events []historyEvent }
	c.run(t, &out, "stepfunctions", "get-execution-history", "--execution-arn", arn)
	for _, ev := range out.Events {
		if d, ok := ev["taskScheduledEventDetails"].(map[string]any); ok {
			collectTokens(&e.Tokens, d["parameters"])
		}
	}
	return out.Events
}

// collectTokens records every "taskToken" member in v, a JSON value or a
// string holding one.
func collectTokens(set *stacktest.TokenSet, v any) {
	switch v := v.(type) {
	case string:
		var inner any
		if json.Unmarshal([]byte(v), &inner) == nil {
			collectTokens(set, inner)
		}
	case map[string]any:
		for k, e := range v {
			if tok, ok := e.(string); ok && k == "taskToken" {
				set.Add(tok)
				continue
			}
			collectTokens(set, e)
		}
	case []any:
		for _, e := range v {
			collectTokens(set, e)
		}
	}
}

// item returns the document's signature request for Bob as attribute →
// value, or nil if there is none; it records the task token.
func (c *awsCLI) item(t testing.TB, e *stacktest.Env, id string) map[string]string {
	t.Helper()
	key := fmt.Sprintf(`{"documentId":{"S":%q},"signer":{"S":"Bob"}}`, id)
	var out struct {
		Item map[string]map[string]any
	}
	c.run(t, &out, "dynamodb", "get-item", "--table-name", e.Table, "--key", key, "--consistent-read")
	if out.Item == nil {
		return nil
	}
	flat := map[string]string{}
	for name, v := range out.Item {
		for _, s := range v { // {"S": …} or {"N": …}
			flat[name] = fmt.Sprint(s)
		}
	}
	e.Tokens.Add(flat["taskToken"])
	return flat
}

// waitPending polls get-item until Bob's request for the document exists.
func (c *awsCLI) waitPending(t testing.TB, e *stacktest.Env, id string) map[string]string {
	t.Helper()
	var it map[string]string
	stacktest.Eventually(t, 30*time.Second, 200*time.Millisecond, "Bob's request for "+id, func() (bool, error) {
		it = c.item(t, e, id)
		return it != nil, nil
	})
	return it
}

// invocation is what `aws lambda invoke` reports, plus the payload it wrote.
type invocation struct {
	StatusCode    int
	FunctionError string
	Payload       map[string]any
}

// invoke calls the function with payload. The CLI exits 0 even when the
// function fails: FunctionError and the payload's errorType tell.
func (c *awsCLI) invoke(t testing.TB, function, payload string) invocation {
	t.Helper()
	outFile := filepath.Join(c.dir, fmt.Sprintf("out-%d.json", c.seq.Add(1)))
	var inv invocation
	c.run(t, &inv, "lambda", "invoke", "--function-name", function, "--payload", payload, outFile)
	data, err := os.ReadFile(outFile)
	if err != nil {
		t.Fatal(err)
	}
	if err := json.Unmarshal(data, &inv.Payload); err != nil {
		t.Fatalf("invoke %s: payload %s is not a JSON object: %v", function, data, err)
	}
	return inv
}

// wantFunctionError checks that the invocation failed with errorType.
func wantFunctionError(t testing.TB, inv invocation, errorType string) {
	t.Helper()
	if inv.StatusCode != 200 || inv.FunctionError != "Unhandled" || inv.Payload["errorType"] != errorType {
		t.Errorf("invocation = status %d, FunctionError %q, payload %v; want 200, Unhandled, errorType %s",
			inv.StatusCode, inv.FunctionError, inv.Payload, errorType)
	}
}

// wantResult checks that the invocation succeeded with the given status.
func wantResult(t testing.TB, inv invocation, id, status string) {
	t.Helper()
	want := map[string]any{"documentId": id, "signer": "Bob", "status": status}
	if inv.FunctionError != "" || fmt.Sprint(inv.Payload) != fmt.Sprint(want) {
		t.Errorf("invocation = FunctionError %q, payload %v; want %v", inv.FunctionError, inv.Payload, want)
	}
}
