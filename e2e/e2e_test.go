package e2e_test

import (
	"encoding/json"
	"fmt"
	"reflect"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/hitl-go/docsign/internal/contract"
	"github.com/hitl-go/docsign/internal/signature"
	"github.com/hitl-go/docsign/internal/stacktest"
)

// TestEndToEnd drives the synthesized app on the local stack through the
// real AWS CLI and the AWS SDK, every path of the mission, then checks that
// the stack's own log holds none of the task tokens those runs used.
func TestEndToEnd(t *testing.T) {
	e := stacktest.Shared(t)
	t.Run("aws cli", func(t *testing.T) {
		cli := newAWSCLI(t, e.Endpoint)
		for _, sc := range cliScenarios {
			t.Run(sc.name, func(t *testing.T) {
				t.Parallel()
				sc.run(t, e, cli)
			})
		}
	})
	t.Run("200 documents at once through the SDK", func(t *testing.T) { testManyDocuments(t, e, 200) })
	t.Run("the log holds no task token", func(t *testing.T) { testNoTokenInLog(t, e) })
}

var cliScenarios = []struct {
	name string
	run  func(t *testing.T, e *stacktest.Env, cli *awsCLI)
}{
	{"Bob signs: SUCCEEDED with both signatures", testSigned},
	{"Bob declines: FAILED SignatureDeclined", testDeclined},
	{"nobody completes: TIMED_OUT, then a late completion is SignatureRequestExpired", testTimedOut},
	{"a second completion is SignatureAlreadyCompleted", testDoubleCompletion},
	{"completing an unknown document is SignatureRequestNotFound", testUnknownDocument},
	{"invalid completions are InvalidInput", testInvalidInput},
}

func testSigned(t *testing.T, e *stacktest.Env, cli *awsCLI) {
	id := stacktest.NewDocumentID("signed")
	arn := cli.startExecution(t, e, id)
	it := cli.waitPending(t, e, id)
	// Epoch seconds; requestedAt to the millisecond (internal/tokenstore/request.go).
	requested, _ := strconv.ParseFloat(it["requestedAt"], 64)
	expires, _ := strconv.ParseFloat(it["expiresAt"], 64)
	if it["status"] != "PENDING" || it["executionArn"] != arn || it["taskToken"] == "" ||
		expires <= requested || expires > requested+stacktest.SynthTimeout.Seconds()+1 {
		t.Errorf("Bob's request = %v (token hidden), want PENDING for %s, expiring %s after the start",
			redactItem(it), arn, stacktest.SynthTimeout)
	}
	wantResult(t, cli.invoke(t, e.Complete, fmt.Sprintf(`{"documentId":%q}`, id)), id, "SIGNED")
	ex := cli.waitDone(t, arn, 20*time.Second)
	if ex.Status != "SUCCEEDED" {
		t.Fatalf("status = %s (%s: %s), want SUCCEEDED", ex.Status, ex.Error, ex.Cause)
	}
	checkSignatures(t, id, ex.Output)
	events := cli.history(t, e, arn)
	// Three tasks succeed: pin the document, Alice's and Bob's.
	if got := eventTypes(events); got[len(got)-1] != "ExecutionSucceeded" || count(got, "TaskSucceeded") != 3 {
		t.Errorf("history = %v, want three TaskSucceeded (the pin, Alice, Bob) and ExecutionSucceeded last", got)
	}
	if it := cli.item(t, e, id); it["status"] != "SIGNED" {
		t.Errorf("Bob's request after signing = %v, want status SIGNED", redactItem(it))
	}
}

// runOutput is a SUCCEEDED run's output (constructs/signingworkflow/states.go).
type runOutput struct {
	DocumentID string               `json:"documentId"`
	Document   signature.Document   `json:"document"`
	Signatures []signature.Envelope `json:"signatures"`
}

// checkSignatures checks a successful run's output, decoded strictly: the
// document pinned under documents/<id> with the SHA-256 of
// stacktest.DocumentBody(id), and one envelope per signer, in branch order,
// whose statement signs that pinned version with an RFC 3339 signedAt and
// whose jws is a compact JWS. It returns the output decoded.
func checkSignatures(t *testing.T, id, output string) runOutput {
	t.Helper()
	return checkEnvelopes(t, id, output, stacktest.SHA256(stacktest.DocumentBody(id)))
}

// checkEnvelopes is checkSignatures for a document whose pinned bytes hash
// to sha256.
func checkEnvelopes(t *testing.T, id, output, sha256 string) runOutput {
	t.Helper()
	dec := json.NewDecoder(strings.NewReader(output))
	dec.DisallowUnknownFields()
	var out runOutput
	if err := dec.Decode(&out); err != nil {
		t.Fatalf("output %s: %v", output, err)
	}
	doc := out.Document
	if out.DocumentID != id || doc.Bucket == "" || doc.Key != contract.DocumentKey(id) || doc.VersionID == "" || doc.SHA256 != sha256 {
		t.Errorf("output = %s, want documentId %s and the pinned %s with sha256 %s", output, id, contract.DocumentKey(id), sha256)
	}
	var signers []string
	for _, env := range out.Signatures {
		signers = append(signers, env.Signer)
		st := env.Statement
		_, err := time.Parse(time.RFC3339, st.SignedAt)
		if st.Signer != env.Signer || st.DocumentID != id || st.Document != doc || st.Decision != contract.DecisionSign ||
			st.ExecutionARN == "" || err != nil || strings.Count(env.JWS, ".") != 2 {
			t.Errorf("signature %+v: want %s's statement signing %s as pinned, an RFC 3339 signedAt and a compact JWS", env, env.Signer, id)
		}
	}
	if !reflect.DeepEqual(signers, []string{"Alice", "Bob"}) {
		t.Errorf("output = %s, want signatures of Alice then Bob", output)
	}
	return out
}

func testDeclined(t *testing.T, e *stacktest.Env, cli *awsCLI) {
	id := stacktest.NewDocumentID("declined")
	arn := cli.startExecution(t, e, id)
	cli.waitPending(t, e, id)
	const reason = "the amount on page 2 is wrong"
	payload := fmt.Sprintf(`{"documentId":%q,"signer":"Bob","decision":"decline","reason":%q}`, id, reason)
	wantResult(t, cli.invoke(t, e.Complete, payload), id, "DECLINED")
	ex := cli.waitDone(t, arn, 20*time.Second)
	if ex.Status != "FAILED" || ex.Error != "SignatureDeclined" || ex.Cause != reason {
		t.Errorf("run = %s %s %q, want FAILED SignatureDeclined %q", ex.Status, ex.Error, ex.Cause, reason)
	}
	if got := eventTypes(cli.history(t, e, arn)); got[len(got)-1] != "ExecutionFailed" || count(got, "TaskFailed") != 1 {
		t.Errorf("history = %v, want one TaskFailed and ExecutionFailed last", got)
	}
	if it := cli.item(t, e, id); it["status"] != "DECLINED" {
		t.Errorf("Bob's request after declining = %v, want status DECLINED", redactItem(it))
	}
}

func testTimedOut(t *testing.T, e *stacktest.Env, cli *awsCLI) {
	id := stacktest.NewDocumentID("timed-out")
	arn := cli.startExecution(t, e, id)
	cli.waitPending(t, e, id)
	ex := cli.waitDone(t, arn, stacktest.SynthTimeout+20*time.Second)
	if ex.Status != "TIMED_OUT" {
		t.Fatalf("status = %s (%s), want TIMED_OUT", ex.Status, ex.Error)
	}
	if took := time.Duration((ex.StopDate - ex.StartDate) * float64(time.Second)); took < stacktest.SynthTimeout-50*time.Millisecond {
		t.Errorf("timed out after %s, want the synthesized %s", took, stacktest.SynthTimeout)
	}
	if got := eventTypes(cli.history(t, e, arn)); got[len(got)-1] != "ExecutionTimedOut" {
		t.Errorf("history = %v, want ExecutionTimedOut last", got)
	}
	wantFunctionError(t, cli.invoke(t, e.Complete, fmt.Sprintf(`{"documentId":%q}`, id)), "SignatureRequestExpired")
	if it := cli.item(t, e, id); it["status"] != "EXPIRED" {
		t.Errorf("Bob's request after the late completion = %v, want status EXPIRED", redactItem(it))
	}
}

func testDoubleCompletion(t *testing.T, e *stacktest.Env, cli *awsCLI) {
	id := stacktest.NewDocumentID("twice")
	arn := cli.startExecution(t, e, id)
	cli.waitPending(t, e, id)
	payload := fmt.Sprintf(`{"documentId":%q}`, id)
	wantResult(t, cli.invoke(t, e.Complete, payload), id, "SIGNED")
	wantFunctionError(t, cli.invoke(t, e.Complete, payload), "SignatureAlreadyCompleted")
	if ex := cli.waitDone(t, arn, 20*time.Second); ex.Status != "SUCCEEDED" {
		t.Errorf("status = %s (%s), want SUCCEEDED", ex.Status, ex.Error)
	}
}

func testUnknownDocument(t *testing.T, e *stacktest.Env, cli *awsCLI) {
	id := stacktest.NewDocumentID("never-started")
	wantFunctionError(t, cli.invoke(t, e.Complete, fmt.Sprintf(`{"documentId":%q}`, id)), "SignatureRequestNotFound")
}

func testInvalidInput(t *testing.T, e *stacktest.Env, cli *awsCLI) {
	id := stacktest.NewDocumentID("invalid")
	for _, payload := range []string{
		`{}`,
		`{"documentId":"not a valid id!"}`,
		fmt.Sprintf(`{"documentId":%q,"signer":"Mallory"}`, id),
		fmt.Sprintf(`{"documentId":%q,"decision":"maybe"}`, id),
	} {
		inv := cli.invoke(t, e.Complete, payload)
		if inv.FunctionError != "Unhandled" || inv.Payload["errorType"] != "InvalidInput" {
			t.Errorf("invoke %s = FunctionError %q, payload %v; want errorType InvalidInput", payload, inv.FunctionError, inv.Payload)
		}
	}
}

func testNoTokenInLog(t *testing.T, e *stacktest.Env) {
	log := e.Log.String()
	tokens := e.Tokens.List()
	if len(tokens) == 0 {
		t.Fatal("the runs yielded no task token to look for")
	}
	// The log must hold what every part wrote, or the check proves nothing:
	// both functions that hold tokens, the engine (verbose: every API
	// request, SendTaskSuccess included) and dynalite.
	for _, want := range []string{"[" + e.Complete + "]", "[" + e.Request + "]", "[stepfunctions]", "[dynalite]"} {
		if !strings.Contains(log, want) {
			t.Errorf("the stack's log has no line from %s", want)
		}
	}
	for _, tok := range tokens {
		for line := range strings.Lines(log) {
			if strings.Contains(line, tok) {
				t.Errorf("the stack's log holds a task token: %s", strings.ReplaceAll(line, tok, "<THE TOKEN>"))
			}
		}
	}
	t.Logf("%d task tokens, none in %d bytes of log", len(tokens), len(log))
}

// redactItem hides the task token of an item shown in a failure message.
func redactItem(it map[string]string) map[string]string {
	out := map[string]string{}
	for k, v := range it {
		if k == "taskToken" && len(v) > 8 {
			v = v[:8] + "…"
		}
		out[k] = v
	}
	return out
}

func eventTypes(events []historyEvent) []string {
	out := make([]string, 0, len(events))
	for _, ev := range events {
		out = append(out, fmt.Sprint(ev["type"]))
	}
	if len(out) == 0 {
		out = append(out, "(none)")
	}
	return out
}

func count(list []string, s string) int {
	n := 0
	for _, e := range list {
		if e == s {
			n++
		}
	}
	return n
}
