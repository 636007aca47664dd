package main

import (
	"encoding/json"
	"maps"
	"regexp"
	"slices"
	"strings"
	"testing"

	sfntypes "github.com/aws/aws-sdk-go-v2/service/sfn/types"

	"github.com/hitl-go/docsign/cmd/signctl/internal/cli"
)

// TestEndToEnd drives every signctl command, and its errors, against the
// synthesized app on the local stack; then checks that no output held a
// task token.
func TestEndToEnd(t *testing.T) {
	e := startE2E(t)
	t.Run("scenarios", func(t *testing.T) {
		for _, sc := range []struct {
			name string
			run  func(*testing.T, *e2e)
		}{
			{"sign", e2eSign},
			{"decline", e2eDecline},
			{"expire", e2eExpire},
			{"pending", e2ePending},
			{"errors", e2eErrors},
			{"graph", e2eGraph},
			{"bench", e2eBench},
		} {
			t.Run(sc.name, func(t *testing.T) {
				t.Parallel()
				sc.run(t, e)
			})
		}
	})
	t.Run("no task token in any output", func(t *testing.T) { e2eNoToken(t, e) })
}

func e2eSign(t *testing.T, e *e2e) {
	id := e.startWaiting(t, "sign")
	want(t, e.signctl("start", id), 0, "Document "+id+" is already being signed", "")
	want(t, e.signctl("status", id), 0, "Still to sign: Bob.", "")
	want(t, e.signctl("sign", id, "--signer", "Bob"), 0, "Bob signed document "+id+" (status SIGNED).", "")

	r := e.signctl("watch", id, "--json")
	var res struct {
		Status string
		States []struct{ Name, Status string }
	}
	if err := json.Unmarshal([]byte(r.stdout), &res); err != nil || r.code != 0 || res.Status != "SUCCEEDED" {
		t.Fatalf("watch --json: %v\n%s", err, r)
	}
	for _, s := range res.States {
		if s.Status != string(sfntypes.ExecutionStatusSucceeded) {
			t.Errorf("watch: state %s is %s, want SUCCEEDED", s.Name, s.Status)
		}
	}
	if len(res.States) != 3 {
		t.Errorf("watch: %d states, want 3 (the Parallel and one task per signer)", len(res.States))
	}
	st := e.status(t, id)
	if st.Status != "SUCCEEDED" || st.signerStatuses() != "Alice=SIGNED Bob=SIGNED" || len(st.Pending) != 0 {
		t.Errorf("status after signing = %+v", st)
	}
	var out struct{ Signatures []struct{ Signer string } }
	if json.Unmarshal(st.Output, &out) != nil || len(out.Signatures) != 2 {
		t.Errorf("status output = %s, want two signatures", st.Output)
	}
	want(t, e.signctl("watch", id), 0, "Document "+id+": SUCCEEDED after", "")
	want(t, e.signctl("start", id), cli.ExitCompleted, "", "was already signed (run SUCCEEDED at ")
	want(t, e.signctl("sign", id), cli.ExitCompleted, "", "the signature request was already completed (SignatureAlreadyCompleted")
	want(t, e.signctl("decline", id, "--reason", "too late"), cli.ExitCompleted, "", "SignatureAlreadyCompleted")
}

func e2eDecline(t *testing.T, e *e2e) {
	id := e.startWaiting(t, "decline")
	want(t, e.signctl("decline", id, "--reason", "wrong amount on page 2", "--json"), 0, `"status": "DECLINED"`, "")
	want(t, e.signctl("watch", id), cli.ExitRunFailed,
		"Collect signatures / Wait for Bob to sign: FAILED", "its run ended FAILED (declined, reason: wrong amount on page 2)")
	st := e.status(t, id)
	if st.Status != "FAILED" || st.signerStatuses() != "Alice=SIGNED Bob=DECLINED" || st.Signers[1].Reason != "wrong amount on page 2" {
		t.Errorf("status after declining = %+v", st)
	}
	want(t, e.signctl("status", id), 0, "Declined (reason: wrong amount on page 2).", "")
	want(t, e.signctl("start", id), cli.ExitCompleted, "", "was declined at ")
	want(t, e.signctl("start", id, "--json"), cli.ExitCompleted, `"code": "AlreadyCompleted"`, "e.g. `signctl start "+id+"-v2`")
}

func e2eExpire(t *testing.T, e *e2e) {
	id := e.startWaiting(t, "timeout")
	// Followed to the end as plain lines: the run times out by itself.
	want(t, e.signctl("watch", id, "--interval", "200ms"), cli.ExitRunFailed,
		"Collect signatures / Wait for Bob to sign: TIMED_OUT", "its run ended TIMED_OUT (it timed out before every signer signed)")
	want(t, e.signctl("sign", id), cli.ExitExpired, "", "the signature request expired: its run no longer waits for it (SignatureRequestExpired")
	st := e.status(t, id)
	if st.Status != "TIMED_OUT" || st.signerStatuses() != "Alice=SIGNED Bob=EXPIRED" {
		t.Errorf("status after the timeout = %+v", st)
	}
	want(t, e.signctl("start", id), cli.ExitCompleted, "", "expired at ")
}

func e2ePending(t *testing.T, e *e2e) {
	id := e.startWaiting(t, "pending")
	r := e.signctl("pending", "--json")
	var list struct {
		Pending []struct{ DocumentID, Signer, RequestedAt string }
	}
	if err := json.Unmarshal([]byte(r.stdout), &list); err != nil || r.code != 0 {
		t.Fatalf("pending --json: %v\n%s", err, r)
	}
	found := false
	for i, p := range list.Pending {
		found = found || (p.DocumentID == id && p.Signer == "Bob")
		if i > 0 && p.RequestedAt < list.Pending[i-1].RequestedAt {
			t.Errorf("pending is not oldest first: %v before %v", list.Pending[i-1], p)
		}
	}
	if !found {
		t.Errorf("pending lacks %s/Bob: %s", id, r.stdout)
	}
	// The table's columns are as wide as the longest id, which runs of other
	// scenarios (bench's) may set.
	if r := e.signctl("pending"); r.code != 0 || !regexp.MustCompile(regexp.QuoteMeta(id)+` +Bob `).MatchString(r.stdout) {
		t.Errorf("pending: want exit 0 and a row %s … Bob; got %s", id, r)
	}
	want(t, e.signctl("sign", id), 0, "Bob signed document "+id, "")
	if r := e.signctl("pending"); strings.Contains(r.stdout, id) {
		t.Errorf("pending still lists %s after it was signed:\n%s", id, r)
	}
}

func e2eErrors(t *testing.T, e *e2e) {
	unknown := newE2EID("never-started")
	for _, c := range []struct {
		args           []string
		code           int
		stdout, stderr string
	}{
		{[]string{"sign", unknown}, cli.ExitNotFound, "", "there is no signature request for this document and signer (SignatureRequestNotFound"},
		{[]string{"status", unknown}, cli.ExitNotFound, "", "document " + unknown + " has no run: start it with `signctl start " + unknown + "`"},
		{[]string{"watch", unknown, "--json"}, cli.ExitNotFound, `"code": "NotFound"`, "has no run"},
		{[]string{"sign", unknown, "--signer", "Alice"}, cli.ExitUsage, "", `the request was refused as invalid (InvalidInput: invalid input: signer "Alice" is not a callback signer`},
		{[]string{"start", "no/slashes"}, cli.ExitUsage, "", "contains '/'"},
		{[]string{"decline", unknown}, cli.ExitUsage, "", "decline needs a reason"},
		{[]string{"status", unknown, "--outputs-file", "/nonexistent/outputs.json"}, cli.ExitError, "", "outputs file /nonexistent/outputs.json does not exist"},
	} {
		want(t, e.signctl(c.args...), c.code, c.stdout, c.stderr)
	}
	// Nothing listens on port 1: the endpoint is unreachable.
	r := e.signctl("status", "x", "--endpoint", "http://127.0.0.1:1")
	want(t, r, cli.ExitError, "", "Cannot reach the endpoint: is `signctl local` running")
}

func e2eGraph(t *testing.T, e *e2e) {
	r := e.signctl("graph", "--cdk-out", e.cdkOut)
	for _, part := range []string{"flowchart TD", `subgraph n1["Collect signatures (Parallel)"]`, "Sign as Alice<br/>lambda:invoke",
		"Wait for Bob to sign<br/>lambda:invoke.waitForTaskToken"} {
		want(t, r, 0, part, "")
	}
}

func e2eBench(t *testing.T, e *e2e) {
	r := e.signctl("bench", "--documents", "5", "--concurrency", "2", "--json")
	if r.code != 0 {
		t.Fatalf("bench: %s", r)
	}
	var got map[string]any
	if err := json.Unmarshal([]byte(r.stdout), &got); err != nil {
		t.Fatalf("bench --json: %v\n%s", err, r)
	}
	keys := slices.Sorted(maps.Keys(got))
	if want := []string{"docs_per_sec", "documents", "failed", "p50_ms", "p99_ms", "seconds"}; !slices.Equal(keys, want) {
		t.Errorf("bench --json keys = %q, want %q (contract.BenchResult)", keys, want)
	}
	if got["documents"] != 5.0 || got["failed"] != 0.0 {
		t.Errorf("bench: documents=%v failed=%v, want 5 and 0\n%s", got["documents"], got["failed"], r)
	}
	for _, k := range []string{"seconds", "docs_per_sec", "p50_ms", "p99_ms"} {
		if v, _ := got[k].(float64); v <= 0 {
			t.Errorf("bench: %s = %v, want > 0", k, got[k])
		}
	}
	if p50, p99 := got["p50_ms"].(float64), got["p99_ms"].(float64); p50 > p99 {
		t.Errorf("bench: p50 %v ms > p99 %v ms", p50, p99)
	}
	want(t, e.signctl("bench", "--documents", "5", "--outputs-file", "/nonexistent/outputs.json"), cli.ExitError, "",
		"outputs file /nonexistent/outputs.json does not exist")
}

// e2eNoToken looks for every task token the runs used (read from the table
// while Bob's requests waited) in everything signctl printed.
func e2eNoToken(t *testing.T, e *e2e) {
	e.mu.Lock()
	defer e.mu.Unlock()
	if len(e.tokens) == 0 {
		t.Fatal("no task token was recorded")
	}
	for id, tok := range e.tokens {
		if strings.Contains(e.transcript.String(), tok) {
			t.Errorf("signctl printed the task token of document %s", id)
		}
	}
	t.Logf("looked for %d task tokens in %d bytes of signctl output", len(e.tokens), e.transcript.Len())
}
