package e2e_test

import (
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/kms"
	"github.com/aws/aws-sdk-go-v2/service/lambda"
	"github.com/aws/aws-sdk-go-v2/service/sfn"
	"github.com/chromedp/chromedp"

	"github.com/hitl-go/docsign/internal/contract"
	"github.com/hitl-go/docsign/internal/jws"
	"github.com/hitl-go/docsign/internal/logtest"
	"github.com/hitl-go/docsign/internal/signature"
	"github.com/hitl-go/docsign/internal/stacktest"
	"github.com/hitl-go/docsign/local/console/consoletest"
	"github.com/hitl-go/docsign/local/stack"
)

// linkRunTimeout is the run timeout of the app the link tests drive:
// minutes, so that a browser on a busy machine always answers in time.
const linkRunTimeout = 10 * time.Minute

// TestSigningLinks plays Bob's side through the notification's link on the
// real local stack: documents uploaded through the AWS_IAM route with a
// SigV4-signing client, the link read from the outbox, the page opened and
// answered in headless Chromium; then every refusal, the scanner's GET, 50
// concurrent answers and bad input, each compared with the state before.
func TestSigningLinks(t *testing.T) {
	t.Parallel()
	if testing.Short() {
		t.Skip("synthesizes the CDK app, runs the local stack and a browser; not in -short mode")
	}
	b := consoletest.Start(t)
	root, _ := stacktest.Synthesized(t)
	cdkOut := filepath.Join(t.TempDir(), "cdk.out")
	if err := stacktest.Synth(root, cdkOut, linkRunTimeout); err != nil {
		t.Fatal(err)
	}
	log := &logtest.Buffer{}
	st, err := stacktest.Start(t, stack.Options{CDKOut: cdkOut, Stdout: log, Verbose: true})
	if err != nil {
		t.Fatalf("start the local stack: %v\n%s", err, log.String())
	}
	e := stacktest.NewEnv(st.Endpoint(), st.Outputs()[contract.StackName], st, log)
	if !strings.HasPrefix(e.APIURL, e.Endpoint+"/") || !strings.HasSuffix(e.APIURL, "/") {
		t.Fatalf("ApiUrl %q: want a URL on the local endpoint %s, ending with /", e.APIURL, e.Endpoint)
	}
	l := &linkCase{e: e, b: b, artifacts: consoletest.ArtifactsDir(t, "signing-link")}
	t.Run("unsigned IAM requests are forbidden", l.testUnsigned)
	t.Run("sign in the browser", l.testBrowserSigns)
	t.Run("decline in the browser", l.testBrowserDeclines)
	t.Run("refused codes change nothing", l.testRefusedCodes)
	t.Run("50 concurrent answers sign once", l.testConcurrentAnswers)
	t.Run("bad input changes nothing", l.testBadInput)
	t.Run("no code or token in the log", func(t *testing.T) { testNoSecretInLog(t, e) })
	if t.Failed() {
		t.Logf("the stack's output:\n%s", log.String())
	}
}

type linkCase struct {
	e         *stacktest.Env
	b         *consoletest.Browser
	artifacts string
}

func ctx(t *testing.T, d time.Duration) context.Context {
	c, cancel := context.WithTimeout(t.Context(), d)
	t.Cleanup(cancel)
	return c
}

// upload stores and starts a document through the documents API and
// returns its run's ARN and Bob's link, once the run waits for him.
func (l *linkCase) upload(t *testing.T, id string) (arn, link string) {
	t.Helper()
	status, body, err := l.e.IAMRequest(ctx(t, 30*time.Second), http.MethodPost, l.e.APIURL+contract.DocumentsRoutePrefix+id, stacktest.DocumentBody(id))
	var started struct{ DocumentID, ExecutionARN string }
	if err != nil || status != http.StatusAccepted || json.Unmarshal(body, &started) != nil || started.ExecutionARN == "" {
		t.Fatalf("POST documents/%s = %d %s (%v), want 202 with the executionArn", id, status, body, err)
	}
	links, err := l.e.WaitForLinks(ctx(t, 30*time.Second), id, contract.DefaultSigner, 1)
	if err != nil {
		t.Fatal(err)
	}
	if want := l.e.APIURL + contract.SignPath(id, contract.DefaultSigner) + "#"; !strings.HasPrefix(links[0], want) ||
		!contract.CheckCode(stacktest.LinkCode(links[0])) {
		t.Fatalf("the notification's link is not %s<code>", want)
	}
	return started.ExecutionARN, links[0]
}

// snapshot is what a refused answer must leave as it was: Bob's item, the
// run's status and the outbox's size.
func (l *linkCase) snapshot(t *testing.T, id, arn string) string {
	t.Helper()
	c := ctx(t, 10*time.Second)
	item, ex := l.state(t, c, id, arn)
	box, err := l.e.Outbox(c)
	if err != nil {
		t.Fatal(err)
	}
	// Secrets stay out of failure messages: the token and the code's hash
	// are compared, not shown.
	item[contract.AttrTaskToken] = stacktest.SHA256([]byte(item[contract.AttrTaskToken]))[:12]
	item[contract.AttrCodeHash] = stacktest.SHA256([]byte(item[contract.AttrCodeHash]))[:12]
	b, _ := json.Marshal(item)
	return fmt.Sprintf("%s run %s, %d notifications", b, ex.Status, len(box))
}

// state is Bob's item and the run.
func (l *linkCase) state(t *testing.T, c context.Context, id, arn string) (map[string]string, *sfn.DescribeExecutionOutput) {
	t.Helper()
	item, err := l.e.RequestItem(c, id)
	if err != nil {
		t.Fatal(err)
	}
	ex, err := l.e.SFN.DescribeExecution(c, &sfn.DescribeExecutionInput{ExecutionArn: aws.String(arn)})
	if err != nil {
		t.Fatal(err)
	}
	return item, ex
}

// answer posts a decision as the page's script does.
func answer(t *testing.T, link, code, decision, reason string) (int, map[string]string) {
	t.Helper()
	body := map[string]string{"code": code, "decision": decision}
	if reason != "" {
		body["reason"] = reason
	}
	b, _ := json.Marshal(body)
	return postRaw(t, link, "application/json", string(b))
}

func postRaw(t *testing.T, link, contentType, body string) (int, map[string]string) {
	t.Helper()
	url, _, _ := strings.Cut(link, "#")
	status, out, err := stacktest.PlainRequest(ctx(t, 30*time.Second), http.MethodPost, url, contentType, []byte(body))
	if err != nil {
		t.Fatalf("POST %s: %v", url, err)
	}
	var got map[string]string
	json.Unmarshal(out, &got)
	return status, got
}

func (l *linkCase) testUnsigned(t *testing.T) {
	id := stacktest.NewDocumentID("unsigned")
	for _, tt := range []struct{ method, body string }{
		{http.MethodPost, "a document"}, {http.MethodGet, ""},
	} {
		url := l.e.APIURL + contract.DocumentsRoutePrefix + id
		status, body, err := stacktest.PlainRequest(ctx(t, 10*time.Second), tt.method, url, "application/octet-stream", []byte(tt.body))
		if err != nil || status != http.StatusForbidden || strings.TrimSpace(string(body)) != `{"message":"Forbidden"}` {
			t.Errorf("unsigned %s documents/%s = %d %s (%v), want 403 {\"message\":\"Forbidden\"}", tt.method, id, status, body, err)
		}
	}
	if _, err := l.e.SFN.DescribeExecution(ctx(t, 10*time.Second), &sfn.DescribeExecutionInput{
		ExecutionArn: aws.String(strings.Replace(l.e.Machine, ":stateMachine:", ":execution:", 1) + ":" + id)}); err == nil {
		t.Error("an unsigned POST started a run")
	}
}

// testBrowserSigns: a mail scanner's GET changes nothing; the browser
// shows the pinned document's SHA-256, signs, and Bob's envelope says
// "link" and verifies with the key's public half.
func (l *linkCase) testBrowserSigns(t *testing.T) {
	id := stacktest.NewDocumentID("link-sign")
	arn, link := l.upload(t, id)
	before := l.snapshot(t, id, arn)
	url, _, _ := strings.Cut(link, "#")
	for _, scanned := range []string{url, link} { // Go's client drops the fragment, as every HTTP client must
		status, page, err := stacktest.PlainRequest(ctx(t, 10*time.Second), http.MethodGet, scanned, "", nil)
		if err != nil || status != http.StatusOK || !strings.Contains(string(page), stacktest.SHA256(stacktest.DocumentBody(id))) {
			t.Fatalf("scanner GET = %d (%v), want 200 with the document's SHA-256", status, err)
		}
	}
	if after := l.snapshot(t, id, arn); after != before {
		t.Errorf("a GET of the link changed the state:\n%s\n→ %s", before, after)
	}

	var sha string
	l.b.Run(t, "open the link", chromedp.Navigate(link), chromedp.WaitVisible(`#sign-button:not([disabled])`, chromedp.ByQuery),
		chromedp.Text(`#document-sha256`, &sha, chromedp.ByQuery))
	if sha != stacktest.SHA256(stacktest.DocumentBody(id)) {
		t.Errorf("the page shows SHA-256 %q, want the uploaded document's", sha)
	}
	var asker string
	l.b.Run(t, "read who asks", chromedp.Text(`#requested-by`, &asker, chromedp.ByQuery))
	if !strings.HasPrefix(asker, "arn:aws:iam::") || !strings.HasSuffix(asker, ":user/local") {
		t.Errorf("the page says %q asks, want the IAM caller who uploaded the document", asker)
	}
	l.b.Screenshot(t, l.artifacts, "signing-page")
	l.b.Run(t, "sign", chromedp.Click(`#sign-button`, chromedp.ByQuery))
	l.b.WaitJS(t, "signed", `document.getElementById('main').dataset.status === 'SIGNED'`,
		`document.getElementById('result').textContent`, 30*time.Second)
	l.b.Screenshot(t, l.artifacts, "signed")
	var here string
	l.b.Run(t, "read the address", chromedp.Location(&here))
	if strings.Contains(here, stacktest.LinkCode(link)) {
		t.Error("the code stayed in the address bar")
	}
	if p := l.b.Problems(); len(p) > 0 {
		t.Errorf("browser problems: %v", p)
	}

	end, err := l.e.WaitExecution(ctx(t, 30*time.Second), arn)
	if err != nil || end.Status != "SUCCEEDED" {
		t.Fatalf("run = %v (%v), want SUCCEEDED", end, err)
	}
	var out runOutput
	if err := json.Unmarshal([]byte(aws.ToString(end.Output)), &out); err != nil {
		t.Fatal(err)
	}
	l.verifyLinkEnvelope(t, out, arn)
	if status, got := answer(t, link, stacktest.LinkCode(link), contract.DecisionSign, ""); status != http.StatusForbidden ||
		got["errorType"] != contract.ErrorSignatureLinkInvalid {
		t.Errorf("the link used again = %d %v, want 403 %s", status, got, contract.ErrorSignatureLinkInvalid)
	}
}

// verifyLinkEnvelope checks Bob's envelope against the public key KMS
// gives: authenticated by the link, over the pinned document, for the run.
func (l *linkCase) verifyLinkEnvelope(t *testing.T, out runOutput, arn string) {
	t.Helper()
	key, err := l.e.KMS.GetPublicKey(ctx(t, 10*time.Second), &kms.GetPublicKeyInput{KeyId: aws.String(l.e.SigningKey)})
	if err != nil {
		t.Fatal(err)
	}
	pub, err := jws.PublicKeyFromDER(key.PublicKey)
	if err != nil {
		t.Fatal(err)
	}
	want := signature.Expected{KeyARN: l.e.SigningKey, DocumentID: out.DocumentID, Document: out.Document, ExecutionARN: arn}
	var found bool
	for _, env := range out.Signatures {
		if env.Signer != contract.DefaultSigner {
			continue
		}
		found = true
		st, err := signature.Verify(env, pub, want)
		if err != nil || st.AuthenticatedBy != contract.AuthenticatedByLink {
			t.Errorf("Bob's envelope: %v, authenticated by %q; want a valid one by %q", err, st.AuthenticatedBy, contract.AuthenticatedByLink)
		}
		verifyES256(t, env, pub, l.e.SigningKey)
	}
	if !found {
		t.Errorf("no envelope of Bob in %+v", out.Signatures)
	}
}

func (l *linkCase) testBrowserDeclines(t *testing.T) {
	const reason = "Clause 4 names the wrong party."
	id := stacktest.NewDocumentID("link-decline")
	arn, link := l.upload(t, id)
	l.b.Run(t, "open the link", chromedp.Navigate(link), chromedp.WaitVisible(`#decline-button:not([disabled])`, chromedp.ByQuery),
		chromedp.SendKeys(`#reason`, reason, chromedp.ByQuery), chromedp.Click(`#decline-button`, chromedp.ByQuery))
	l.b.WaitJS(t, "declined", `document.getElementById('main').dataset.status === 'DECLINED'`,
		`document.getElementById('result').textContent`, 30*time.Second)
	end, err := l.e.WaitExecution(ctx(t, 30*time.Second), arn)
	if err != nil || end.Status != "FAILED" || aws.ToString(end.Error) != contract.ErrorSignatureDeclined || aws.ToString(end.Cause) != reason {
		t.Errorf("run = %+v (%v), want FAILED %s with the reason as cause", end, err, contract.ErrorSignatureDeclined)
	}
}

// testRefusedCodes: a wrong code, and the code of a request replaced by a
// newer one, are refused and change nothing; the newer link still works.
func (l *linkCase) testRefusedCodes(t *testing.T) {
	id := stacktest.NewDocumentID("link-refused")
	arn, link := l.upload(t, id)
	before := l.snapshot(t, id, arn)
	wrong := strings.Repeat("A", 43)
	for _, tt := range []struct {
		name, code, decision string
	}{
		{"wrong code", wrong, contract.DecisionSign},
		{"wrong code, decline", wrong, contract.DecisionDecline},
		{"the code one character off", stacktest.LinkCode(link)[:42] + "B", contract.DecisionSign},
	} {
		if status, got := answer(t, link, tt.code, tt.decision, ""); status != http.StatusForbidden || got["errorType"] != contract.ErrorSignatureLinkInvalid {
			t.Errorf("%s = %d %v, want 403 %s", tt.name, status, got, contract.ErrorSignatureLinkInvalid)
		}
	}
	if after := l.snapshot(t, id, arn); after != before {
		t.Errorf("refused codes changed the state:\n%s\n→ %s", before, after)
	}

	// The task asks again (as its retry would): a new token, a new code, a
	// new notification; the old link no longer signs.
	l.askAgain(t, id, arn)
	links, err := l.e.WaitForLinks(ctx(t, 30*time.Second), id, contract.DefaultSigner, 2)
	if err != nil {
		t.Fatal(err)
	}
	if links[1] == link {
		t.Fatal("asking again sent the same link")
	}
	if status, got := answer(t, link, stacktest.LinkCode(link), contract.DecisionSign, ""); status != http.StatusForbidden ||
		got["errorType"] != contract.ErrorSignatureLinkInvalid {
		t.Errorf("the replaced request's code = %d %v, want 403 %s", status, got, contract.ErrorSignatureLinkInvalid)
	}
}

// askAgain invokes request-signature as the run's task would, for the same
// run and document, with a new token.
func (l *linkCase) askAgain(t *testing.T, id, arn string) {
	t.Helper()
	c := ctx(t, 30*time.Second)
	item, ex := l.state(t, c, id, arn)
	payload, _ := json.Marshal(map[string]any{
		"taskToken": item[contract.AttrTaskToken] + "-asked-again", "documentId": id, "signer": contract.DefaultSigner,
		"document": l.pinned(t, id), "executionArn": arn, "startedAt": ex.StartDate.UTC().Format(time.RFC3339Nano),
		"timeoutSeconds": int(linkRunTimeout.Seconds()),
	})
	out, err := l.e.Lambda.Invoke(c, &lambda.InvokeInput{FunctionName: aws.String(l.e.Request), Payload: payload})
	if err != nil || out.FunctionError != nil {
		t.Fatalf("request-signature asked again: %v %s", err, out.Payload)
	}
}

// pinned is the document the run pinned, as GET documents/<id> reports it.
func (l *linkCase) pinned(t *testing.T, id string) signature.Document {
	t.Helper()
	status, body, err := l.e.IAMRequest(ctx(t, 10*time.Second), http.MethodGet, l.e.APIURL+contract.DocumentsRoutePrefix+id, nil)
	var got struct{ Document *signature.Document }
	if err != nil || status != http.StatusOK || json.Unmarshal(body, &got) != nil || got.Document == nil {
		t.Fatalf("GET documents/%s = %d %s (%v), want 200 with the pinned document", id, status, body, err)
	}
	return *got.Document
}

// testConcurrentAnswers: the same link answered 50 times at once signs once.
func (l *linkCase) testConcurrentAnswers(t *testing.T) {
	id := stacktest.NewDocumentID("link-race")
	arn, link := l.upload(t, id)
	sendsBefore := strings.Count(l.e.Log.String(), "operation=SendTaskSuccess")
	const n = 50
	statuses := make([]int, n)
	var wg sync.WaitGroup
	for i := range n {
		wg.Go(func() { statuses[i], _ = answer(t, link, stacktest.LinkCode(link), contract.DecisionSign, "") })
	}
	wg.Wait()
	counts := map[int]int{}
	for _, s := range statuses {
		counts[s]++
	}
	if counts[http.StatusOK] != 1 || counts[http.StatusOK]+counts[http.StatusForbidden]+counts[http.StatusServiceUnavailable]+counts[http.StatusConflict] != n {
		t.Errorf("answers by status %v, want exactly one 200 and the others refused (403, 409 or 503)", counts)
	}
	end, err := l.e.WaitExecution(ctx(t, 30*time.Second), arn)
	if err != nil || end.Status != "SUCCEEDED" {
		t.Fatalf("run = %v (%v), want SUCCEEDED", end, err)
	}
	if sends := strings.Count(l.e.Log.String(), "operation=SendTaskSuccess") - sendsBefore; sends != 1 {
		t.Errorf("%d SendTaskSuccess requests reached the engine, want 1", sends)
	}
	item, _ := l.e.RequestItem(ctx(t, 10*time.Second), id)
	if item[contract.AttrStatus] != string(contract.StatusSigned) {
		t.Errorf("Bob's request is %s, want SIGNED", item[contract.AttrStatus])
	}
}

// testBadInput: answers the route refuses, each leaving the request,
// the run and the outbox as they were.
func (l *linkCase) testBadInput(t *testing.T) {
	id := stacktest.NewDocumentID("link-bad")
	arn, link := l.upload(t, id)
	code := stacktest.LinkCode(link)
	before := l.snapshot(t, id, arn)
	js := "application/json"
	tests := []struct {
		name, contentType, body string
		want                    int
	}{
		{"empty body", js, ``, 400},
		{"not JSON", js, `code=` + code, 400},
		{"array", js, `[]`, 400},
		{"null", js, `null`, 400},
		{"string", js, `"` + code + `"`, 400},
		{"no code", js, `{"decision":"sign"}`, 400},
		{"no decision", js, `{"code":"` + code + `"}`, 400},
		{"unknown decision", js, `{"code":"` + code + `","decision":"maybe"}`, 400},
		{"decision in capitals", js, `{"code":"` + code + `","decision":"SIGN"}`, 400},
		{"reason with sign", js, `{"code":"` + code + `","decision":"sign","reason":"why"}`, 400},
		{"unknown key", js, `{"code":"` + code + `","decision":"sign","signer":"Alice"}`, 400},
		{"wrong-case key", js, `{"Code":"` + code + `","decision":"sign"}`, 400},
		{"duplicate code", js, `{"code":"` + code + `","code":"` + code + `","decision":"sign"}`, 400},
		{"duplicate decision", js, `{"code":"` + code + `","decision":"decline","decision":"sign"}`, 400},
		{"code a number", js, `{"code":42,"decision":"sign"}`, 400},
		{"code an object", js, `{"code":{"v":"` + code + `"},"decision":"sign"}`, 400},
		{"trailing data", js, `{"code":"` + code + `","decision":"sign"} {}`, 400},
		{"control character in reason", js, `{"code":"` + code + `","decision":"decline","reason":"a\u001b[2Jb"}`, 400},
		{"bidi override in reason", js, `{"code":"` + code + `","decision":"decline","reason":"a\u202eb"}`, 400},
		{"reason too long", js, `{"code":"` + code + `","decision":"decline","reason":"` + strings.Repeat("x", contract.MaxReasonLength+1) + `"}`, 400},
		{"oversized body", js, `{"code":"` + code + `","decision":"sign","x":"` + strings.Repeat("x", 9000) + `"}`, 413},
		{"form post", "application/x-www-form-urlencoded", `code=` + code + `&decision=sign`, 415},
		{"text/plain (a cross-site simple request)", "text/plain", `{"code":"` + code + `","decision":"sign"}`, 415},
		{"no content type", "", `{"code":"` + code + `","decision":"sign"}`, 415},
		{"code too short", js, `{"code":"` + code[:42] + `","decision":"sign"}`, 403},
		{"code too long", js, `{"code":"` + code + `A","decision":"sign"}`, 403},
		{"code padded", js, `{"code":"` + code + `=","decision":"sign"}`, 403},
		{"code in standard base64", js, `{"code":"` + strings.NewReplacer("-", "+", "_", "/").Replace(code) + `+/","decision":"sign"}`, 403},
		{"empty code", js, `{"code":"","decision":"sign"}`, 403},
		{"code with a newline", js, `{"code":"` + code[:42] + `\n","decision":"sign"}`, 403},
		{"the code's hash instead", js, `{"code":"` + contract.HashCode(code) + `","decision":"sign"}`, 403},
	}
	for _, tt := range tests {
		status, got := postRaw(t, link, tt.contentType, tt.body)
		if status != tt.want {
			t.Errorf("%s: %d %v, want %d", tt.name, status, got, tt.want)
		}
		if strings.Contains(fmt.Sprint(got), code) {
			t.Errorf("%s: the answer holds the code", tt.name)
		}
	}
	// Other documents, signers and routes.
	base, _, _ := strings.Cut(link, "#")
	for _, tt := range []struct {
		name, url string
		want      int
	}{
		{"another document", strings.Replace(base, id, id+"x", 1), 404},
		{"Alice (an auto signer)", strings.TrimSuffix(base, contract.DefaultSigner) + "Alice", 404},
		{"an unknown signer", strings.TrimSuffix(base, contract.DefaultSigner) + "Mallory", 404},
		{"a bad document id", strings.Replace(base, id, "bad%20id", 1), 400},
	} {
		if status, got := answer(t, tt.url, code, contract.DecisionSign, ""); status != tt.want {
			t.Errorf("%s: %d %v, want %d", tt.name, status, got, tt.want)
		}
	}
	if after := l.snapshot(t, id, arn); after != before {
		t.Errorf("bad input changed the state:\n%s\n→ %s", before, after)
	}
	// The request still signs with its code.
	if status, got := answer(t, link, code, contract.DecisionSign, ""); status != http.StatusOK || got["status"] != string(contract.StatusSigned) {
		t.Errorf("after the bad input, the link = %d %v, want 200 SIGNED", status, got)
	}
}

// testNoSecretInLog: no task token and no one-time code in any line the
// stack wrote (functions, engine, DynamoDB, SNS, the HTTP API).
func testNoSecretInLog(t *testing.T, e *stacktest.Env) {
	log := e.Log.String()
	secrets := e.Tokens.List()
	if len(secrets) < 2 {
		t.Fatalf("the runs yielded %d tokens and codes to look for", len(secrets))
	}
	for line := range strings.Lines(log) {
		for _, s := range secrets {
			if strings.Contains(line, s) {
				t.Errorf("the stack's log holds a secret: %s", strings.ReplaceAll(line, s, "<SECRET>"))
			}
		}
	}
	t.Logf("%d tokens and codes, none in %d bytes of log", len(secrets), len(log))
}

// TestSigningLinkAfterTimeout: once the run timed out, the link answers
// SignatureRequestExpired, every time, and its page offers nothing to press.
func TestSigningLinkAfterTimeout(t *testing.T) {
	t.Parallel()
	if testing.Short() {
		t.Skip("runs the local stack; not in -short mode")
	}
	e := stacktest.Shared(t)
	l := &linkCase{e: e}
	id := stacktest.NewDocumentID("link-late")
	arn, link := l.upload(t, id)
	end, err := e.WaitExecution(ctx(t, stacktest.SynthTimeout+30*time.Second), arn)
	if err != nil || end.Status != "TIMED_OUT" {
		t.Fatalf("run = %v (%v), want TIMED_OUT", end, err)
	}
	for range 2 {
		if status, got := answer(t, link, stacktest.LinkCode(link), contract.DecisionSign, ""); status != http.StatusGone ||
			got["errorType"] != contract.ErrorSignatureRequestExpired {
			t.Errorf("the link after the timeout = %d %v, want 410 %s", status, got, contract.ErrorSignatureRequestExpired)
		}
	}
	url, _, _ := strings.Cut(link, "#")
	status, page, err := stacktest.PlainRequest(ctx(t, 10*time.Second), http.MethodGet, url, "", nil)
	if err != nil || status != http.StatusOK || strings.Contains(string(page), `id="sign-button"`) {
		t.Errorf("the page after the timeout = %d (%v), want 200 without a Sign button", status, err)
	}
}
