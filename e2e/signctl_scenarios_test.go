package e2e_test

import (
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/rand"
	"crypto/sha256"
	"crypto/x509"
	"encoding/hex"
	"encoding/json"
	"encoding/pem"
	"maps"
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"strings"
	"testing"

	"github.com/hitl-go/docsign/internal/stacktest"
)

// TestSignctlEndToEnd drives every signctl command, and its errors, as a
// binary against the synthesized app on the local stack; then checks that
// no output held a task token.
func TestSignctlEndToEnd(t *testing.T) {
	e := newSignctlE2E(t)
	t.Run("scenarios", func(t *testing.T) {
		for _, sc := range []struct {
			name string
			run  func(*testing.T, *signctlE2E)
		}{
			{"sign", signctlSign},
			{"verify", signctlVerifyScenario},
			{"decline", signctlDecline},
			{"expire", signctlExpire},
			{"not uploaded", signctlNotUploaded},
			{"pending", signctlPending},
			{"errors", signctlErrors},
			{"graph", signctlGraph},
			{"bench", signctlBench},
		} {
			t.Run(sc.name, func(t *testing.T) {
				t.Parallel()
				sc.run(t, e)
			})
		}
	})
	t.Run("no task token in any output", func(t *testing.T) { signctlNoToken(t, e) })
}

func signctlSign(t *testing.T, e *signctlE2E) {
	id := e.startWaiting(t, "sign")
	signctlWant(t, e.signctl(t, "start", id), 0, "Document "+id+" is already being signed", "")
	signctlWant(t, e.signctl(t, "start", id, "--file", e.file(id)), 0, "The file was not uploaded", "")
	signctlWant(t, e.signctl(t, "status", id), 0, "Still to sign: Bob.", "")
	signctlWant(t, e.signctl(t, "sign", id, "--signer", "Bob"), 0, "Bob signed document "+id+" (status SIGNED).", "")

	r := e.signctl(t, "watch", id, "--json")
	var res struct {
		Status string
		States []struct{ Name, Status string }
	}
	if err := json.Unmarshal([]byte(r.stdout), &res); err != nil || r.code != 0 || res.Status != "SUCCEEDED" {
		t.Fatalf("watch --json: %v\n%s", err, r)
	}
	for _, s := range res.States {
		if s.Status != "SUCCEEDED" {
			t.Errorf("watch: state %s is %s, want SUCCEEDED", s.Name, s.Status)
		}
	}
	if len(res.States) != 4 {
		t.Errorf("watch: %d states %v, want 4 (the pin, the Parallel and one task per signer)", len(res.States), res.States)
	}
	st := e.status(t, id)
	if st.Status != "SUCCEEDED" || st.signerStatuses() != "Alice=SIGNED Bob=SIGNED" || len(st.Pending) != 0 {
		t.Errorf("status after signing = %+v", st)
	}
	var out struct{ Signatures []struct{ Signer string } }
	if json.Unmarshal(st.Output, &out) != nil || len(out.Signatures) != 2 {
		t.Errorf("status output = %s, want two signatures", st.Output)
	}
	signctlWant(t, e.signctl(t, "watch", id), 0, "Document "+id+": SUCCEEDED after", "")
	signctlWant(t, e.signctl(t, "start", id), signctlExitCompleted, "", "was already signed (run SUCCEEDED at ")
	signctlWant(t, e.signctl(t, "sign", id), signctlExitCompleted, "", "the signature request was already completed (SignatureAlreadyCompleted")
	signctlWant(t, e.signctl(t, "decline", id, "--reason", "too late"), signctlExitCompleted, "", "SignatureAlreadyCompleted")
}

// signctlVerifyScenario signs a document, then verifies it: with KMS, with
// its file, with a changed file, and offline with the exported key.
func signctlVerifyScenario(t *testing.T, e *signctlE2E) {
	id := e.startWaiting(t, "verify")
	signctlWant(t, e.signctl(t, "sign", id), 0, "Bob signed document "+id, "")
	signctlWant(t, e.signctl(t, "watch", id), 0, "SUCCEEDED", "")
	file := e.file(id)
	data, err := os.ReadFile(file)
	if err != nil {
		t.Fatal(err)
	}
	sum := sha256.Sum256(data)
	pinned := hex.EncodeToString(sum[:])

	v := e.verify(t, 0, id)
	if !v.Valid || v.Document == nil || v.Document.SHA256 != pinned || v.Document.Key != "documents/"+id || v.problems() != "Alice= Bob=" {
		t.Errorf("verify = %+v, want valid, both signers, pinned sha256 %s", v, pinned)
	}
	for _, s := range v.Signatures {
		if !s.Valid || s.Statement == nil || s.Statement.Signer != s.Signer {
			t.Errorf("signature %+v, want valid with its statement", s)
		}
	}
	signctlWant(t, e.signctl(t, "verify", id, "--file", file), 0, "— the pinned document", "")

	changed := filepath.Join(filepath.Dir(file), id+"-changed.txt")
	if err := os.WriteFile(changed, []byte(strings.Replace(string(data), "120 EUR", "12 EUR", 1)), 0o644); err != nil {
		t.Fatal(err)
	}
	v = e.verify(t, signctlExitInvalid, id, "--file", changed)
	if v.Valid || v.File == nil || v.File.Matches || v.problems() != "Alice=document altered Bob=document altered" {
		t.Errorf("verify a changed file = %+v, want invalid, every signer document altered", v)
	}
	signctlWant(t, e.signctl(t, "verify", id, "--file", changed), signctlExitInvalid, "NOT the pinned document",
		"does not verify: Alice: document altered; Bob: document altered")

	pemFile := filepath.Join(filepath.Dir(file), id+"-key.pem")
	signctlWant(t, e.signctl(t, "verify", id, "--export-public-key", pemFile), 0, "Valid: 2 signature(s) verify", "")
	if v := e.verify(t, 0, id, "--public-key", pemFile); !v.Valid {
		t.Errorf("verify offline with the exported key = %+v, want valid", v)
	}
	signctlWant(t, e.signctl(t, "verify", id, "--public-key", pemFile), 0, "(public key from "+pemFile+")", "")
	// Another key's public half: every signature fails.
	k, _ := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	der, _ := x509.MarshalPKIXPublicKey(&k.PublicKey)
	otherPEM := filepath.Join(filepath.Dir(file), id+"-other.pem")
	if err := os.WriteFile(otherPEM, pem.EncodeToMemory(&pem.Block{Type: "PUBLIC KEY", Bytes: der}), 0o644); err != nil {
		t.Fatal(err)
	}
	if v := e.verify(t, signctlExitInvalid, id, "--public-key", otherPEM); v.problems() != "Alice=bad signature Bob=bad signature" {
		t.Errorf("verify with another key = %s, want bad signatures", v.problems())
	}
}

func signctlDecline(t *testing.T, e *signctlE2E) {
	id := e.startWaiting(t, "decline")
	signctlWant(t, e.signctl(t, "decline", id, "--reason", "wrong amount on page 2", "--json"), 0, `"status": "DECLINED"`, "")
	signctlWant(t, e.signctl(t, "watch", id), signctlExitRunFailed,
		"Collect signatures / Wait for Bob to sign: FAILED", "its run ended FAILED (declined, reason: wrong amount on page 2)")
	st := e.status(t, id)
	if st.Status != "FAILED" || st.signerStatuses() != "Alice=SIGNED Bob=DECLINED" || st.Signers[1].Reason != "wrong amount on page 2" {
		t.Errorf("status after declining = %+v", st)
	}
	signctlWant(t, e.signctl(t, "status", id), 0, "Declined (reason: wrong amount on page 2).", "")
	signctlWant(t, e.signctl(t, "start", id), signctlExitCompleted, "", "was declined at ")
	signctlWant(t, e.signctl(t, "start", id, "--json"), signctlExitCompleted, `"code": "AlreadyCompleted"`, "e.g. `signctl start "+id+"-v2`")
	// Alice's signature holds; Bob's is missing.
	if v := e.verify(t, signctlExitInvalid, id); v.problems() != "Alice= Bob=missing signer" {
		t.Errorf("verify a declined document = %s, want Bob a missing signer", v.problems())
	}
}

func signctlExpire(t *testing.T, e *signctlE2E) {
	id := e.startWaiting(t, "timeout")
	// Followed to the end as plain lines: the run times out by itself.
	signctlWant(t, e.signctl(t, "watch", id, "--interval", "200ms"), signctlExitRunFailed,
		"Collect signatures / Wait for Bob to sign: TIMED_OUT", "its run ended TIMED_OUT (it timed out before every signer signed)")
	signctlWant(t, e.signctl(t, "sign", id), signctlExitExpired, "", "the signature request expired: its run no longer waits for it (SignatureRequestExpired")
	st := e.status(t, id)
	if st.Status != "TIMED_OUT" || st.signerStatuses() != "Alice=SIGNED Bob=EXPIRED" {
		t.Errorf("status after the timeout = %+v", st)
	}
	signctlWant(t, e.signctl(t, "start", id), signctlExitCompleted, "", "expired at ")
}

// signctlNotUploaded starts a document nobody uploaded: the run fails
// DocumentNotFound, as `signctl start --help` says.
func signctlNotUploaded(t *testing.T, e *signctlE2E) {
	id := stacktest.NewDocumentID("not-uploaded")
	signctlWant(t, e.signctl(t, "start", id), 0, "Started signing document "+id, "")
	signctlWant(t, e.signctl(t, "watch", id), signctlExitRunFailed, "", "DocumentNotFound")
}

func signctlPending(t *testing.T, e *signctlE2E) {
	id := e.startWaiting(t, "pending")
	r := e.signctl(t, "pending", "--json")
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
	if r := e.signctl(t, "pending"); r.code != 0 || !regexp.MustCompile(regexp.QuoteMeta(id)+` +Bob `).MatchString(r.stdout) {
		t.Errorf("pending: want exit 0 and a row %s … Bob; got %s", id, r)
	}
	signctlWant(t, e.signctl(t, "sign", id), 0, "Bob signed document "+id, "")
	if r := e.signctl(t, "pending"); strings.Contains(r.stdout, id) {
		t.Errorf("pending still lists %s after it was signed:\n%s", id, r)
	}
}

func signctlErrors(t *testing.T, e *signctlE2E) {
	unknown := stacktest.NewDocumentID("never-started")
	for _, c := range []struct {
		args           []string
		code           int
		stdout, stderr string
	}{
		{[]string{"sign", unknown}, signctlExitNotFound, "", "there is no signature request for this document and signer (SignatureRequestNotFound"},
		{[]string{"status", unknown}, signctlExitNotFound, "", "document " + unknown + " has no run: start it with `signctl start " + unknown + "`"},
		{[]string{"watch", unknown, "--json"}, signctlExitNotFound, `"code": "NotFound"`, "has no run"},
		{[]string{"verify", unknown}, signctlExitNotFound, "", "document " + unknown + " has no run and no signatures"},
		{[]string{"sign", unknown, "--signer", "Alice"}, signctlExitUsage, "", `the request was refused as invalid (InvalidInput: invalid input: signer "Alice" is not a callback signer`},
		{[]string{"start", "no/slashes"}, signctlExitUsage, "", "contains '/'"},
		{[]string{"start", unknown, "--file", filepath.Join(e.dir, "nope.pdf")}, signctlExitUsage, "", "--file " + filepath.Join(e.dir, "nope.pdf") + ": no such file"},
		{[]string{"start", unknown, "--file", e.dir}, signctlExitUsage, "", "is a directory, not a document"},
		{[]string{"decline", unknown}, signctlExitUsage, "", "decline needs a reason"},
		{[]string{"status", unknown, "--outputs-file", "/nonexistent/outputs.json"}, signctlExitError, "", "outputs file /nonexistent/outputs.json does not exist"},
	} {
		signctlWant(t, e.signctl(t, c.args...), c.code, c.stdout, c.stderr)
	}
	// The refused starts changed nothing.
	signctlWant(t, e.signctl(t, "status", unknown), signctlExitNotFound, "", "has no run")
	// Nothing listens on port 1: the endpoint is unreachable.
	r := e.signctl(t, "status", "x", "--endpoint", "http://127.0.0.1:1")
	signctlWant(t, r, signctlExitError, "", "Cannot reach the endpoint: is `signctl local` running")
}

func signctlGraph(t *testing.T, e *signctlE2E) {
	r := e.signctl(t, "graph", "--cdk-out", e.cdkOut)
	for _, part := range []string{"flowchart TD", "Pin the document", `["Collect signatures (Parallel)"]`, "Sign as Alice<br/>lambda:invoke",
		"Wait for Bob to sign<br/>lambda:invoke.waitForTaskToken"} {
		signctlWant(t, r, 0, part, "")
	}
}

func signctlBench(t *testing.T, e *signctlE2E) {
	r := e.signctl(t, "bench", "--documents", "5", "--concurrency", "2", "--json")
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
	signctlWant(t, e.signctl(t, "bench", "--documents", "5", "--outputs-file", "/nonexistent/outputs.json"), signctlExitError, "",
		"outputs file /nonexistent/outputs.json does not exist")
}

// signctlNoToken looks for every task token the runs used (read from the
// table while Bob's requests waited) in everything signctl printed.
func signctlNoToken(t *testing.T, e *signctlE2E) {
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
