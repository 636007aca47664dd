package console

import (
	"encoding/json"
	"fmt"
	"net/http"
	"net/http/httptest"
	"reflect"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"

	"github.com/hitl-go/docsign/local/console/consoletest"
)

// newPageServer serves the console at "/" beside the fake AWS APIs, routed the
// way the local endpoint routes them.
func newPageServer(t *testing.T, fake *fakeAWS, opts Options) *httptest.Server {
	t.Helper()
	console := Handler(opts)
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.Header.Get("X-Amz-Target") != "" || strings.HasPrefix(r.URL.Path, "/2015-03-31/") {
			fake.ServeHTTP(w, r)
			return
		}
		console.ServeHTTP(w, r)
	}))
	t.Cleanup(srv.Close)
	return srv
}

var fakeOutputs = map[string]map[string]string{"DocumentSigningStack": {
	"StateMachineArn": fakeMachineARN, "CompleteSignatureFunctionName": fakeFunction, "TableName": "DocumentSigningStack-Tokens",
}}

// TestConsoleInBrowser is the page-level test: the real page in Chromium
// against a test double of the AWS APIs (fakeAWS). The same Scenario runs
// against the real local stack in the end-to-end test.
func TestConsoleInBrowser(t *testing.T) {
	b := consoletest.Start(t)
	artifacts := consoletest.ArtifactsDir(t, "console")
	fake := newFakeAWS(t)
	srv := newPageServer(t, fake, Options{Outputs: fakeOutputs})

	consoletest.Scenario{BaseURL: srv.URL, DocumentID: "doc-1", AutoSigner: "Alice", CallbackSigner: "Bob",
		Artifacts: artifacts}.Run(t, b)

	fake.mu.Lock()
	got := fake.invocations
	fake.mu.Unlock()
	want := []map[string]any{{"documentId": "doc-1", "signer": "Bob", "decision": "sign", "reason": ""}}
	if !reflect.DeepEqual(got, want) {
		t.Errorf("complete-signature invocations:\ngot  %v\nwant %v", got, want)
	}
	assertNoToken(t, b, fake)

	t.Run("finished runs are coloured by outcome", func(t *testing.T) {
		open(t, b, srv.URL, "offer-12", "FAILED")
		wantNodes(t, b, map[string]string{"Alice signs": "succeeded", "Wait for Bob": "failed", "Collect signatures": "caught", "Declined": "failed"})
		assertNoToken(t, b, fake)
		b.Screenshot(t, artifacts, "04-declined-run")
		open(t, b, srv.URL, "nda-3", "TIMED_OUT")
		wantNodes(t, b, map[string]string{"Alice signs": "succeeded", "Wait for Bob": "timedout", "Collect signatures": "timedout", "Signed": "notstarted"})
	})
	t.Run("history table lists every event", func(t *testing.T) {
		open(t, b, srv.URL, "contract-7", "SUCCEEDED")
		var rows int
		b.Eval(t, `document.querySelectorAll('#history tbody tr').length`, &rows)
		if want := len(fake.executions["contract-7"].events); rows != want {
			t.Errorf("history rows = %d, want %d (all pages of GetExecutionHistory)", rows, want)
		}
	})
	t.Run("list filters by status and name", func(t *testing.T) {
		b.Run(t, "open the list", chromedp.Navigate(srv.URL+"/#/"), chromedp.WaitVisible(`#executions tbody tr`, chromedp.ByQuery))
		b.Run(t, "filter", chromedp.SetValue(`select[name=status]`, "FAILED", chromedp.ByQuery),
			chromedp.Evaluate(`document.querySelector('select[name=status]').dispatchEvent(new Event('change'))`, nil))
		b.WaitJS(t, "only the failed run", `[...document.querySelectorAll('#executions tbody tr')].map((r) => r.dataset.name).join() === 'offer-12'`,
			`[...document.querySelectorAll('#executions tbody tr')].map((r) => r.dataset.name).join()`, 5*time.Second)
		b.Run(t, "clear status, filter by name", chromedp.SetValue(`select[name=status]`, "", chromedp.ByQuery),
			chromedp.Evaluate(`document.querySelector('select[name=status]').dispatchEvent(new Event('change'))`, nil),
			chromedp.SendKeys(`input[name=q]`, "NDA", chromedp.ByQuery))
		b.WaitJS(t, "only nda-3", `[...document.querySelectorAll('#executions tbody tr')].map((r) => r.dataset.name).join() === 'nda-3'`,
			`[...document.querySelectorAll('#executions tbody tr')].map((r) => r.dataset.name).join()`, 5*time.Second)
	})
	if p := b.Problems(); len(p) > 0 {
		t.Errorf("browser problems: %q", p)
	}
	t.Run("starting a signed document says so", func(t *testing.T) {
		b.ForgetProblems()
		b.Run(t, "open the list", chromedp.Navigate(srv.URL+"/#/"), chromedp.WaitVisible(`#start-form`, chromedp.ByQuery),
			chromedp.SendKeys(`#documentId`, "contract-7", chromedp.ByQuery), chromedp.Click(`#start-form button[type=submit]`, chromedp.ByQuery))
		b.WaitJS(t, "already-signed message", `document.querySelector('#start-msg').innerText.includes('was already signed once')`,
			`document.querySelector('#start-msg').innerText`, 5*time.Second)
		// The only problem is the API's 400 answer to StartExecution.
		for _, p := range b.ForgetProblems() {
			if !strings.Contains(p, "status of 400") {
				t.Errorf("browser problem: %s", p)
			}
		}
	})
}

// TestConsoleDeclineAndErrors finds the function through ListFunctions (no
// outputs), declines a document with a reason, and shows a function error in words.
func TestConsoleDeclineAndErrors(t *testing.T) {
	b := consoletest.Start(t)
	artifacts := consoletest.ArtifactsDir(t, "console")
	fake := newFakeAWS(t)
	srv := newPageServer(t, fake, Options{})

	startAndWait(t, b, srv.URL, "doc-2")
	b.Run(t, "decline", chromedp.Click(`#sign-panel button[data-action=decline]`, chromedp.ByQuery),
		chromedp.SendKeys(`#sign-panel textarea[name=reason]`, "Wrong amount on page 2", chromedp.ByQuery))
	b.Screenshot(t, artifacts, "05-decline-form")
	b.Run(t, "confirm", chromedp.Click(`#sign-panel button[data-action=confirm-decline]`, chromedp.ByQuery))
	b.WaitJS(t, "the run fails", consoletest.ExecutionStatusJS+` === 'FAILED' && `+consoletest.EndStatusJS+` === 'failed'`,
		consoletest.ExecutionStatusJS, 10*time.Second)
	wantNodes(t, b, map[string]string{"Wait for Bob": "failed", "Collect signatures": "caught", "Declined": "failed"})
	var cause string
	b.Eval(t, `document.querySelector('.exec-head .notice').innerText`, &cause)
	if want := "SignatureDeclined — Wrong amount on page 2"; cause != want {
		t.Errorf("failure notice = %q, want %q", cause, want)
	}

	startAndWait(t, b, srv.URL, "expired-1")
	b.Run(t, "sign", chromedp.Click(`#sign-panel button[data-action=sign]`, chromedp.ByQuery))
	b.WaitJS(t, "the error in words", `document.querySelector('#sign-panel .form-msg.error')?.innerText.includes('has expired')`,
		`document.querySelector('#sign-panel')?.innerText`, 10*time.Second)
	var msg string
	b.Eval(t, `document.querySelector('#sign-panel .form-msg.error').innerText`, &msg)
	if !strings.Contains(msg, "SignatureRequestExpired") {
		t.Errorf("error message %q does not name the errorType", msg)
	}
	b.Screenshot(t, artifacts, "06-function-error")

	fake.mu.Lock()
	got := fake.invocations
	fake.mu.Unlock()
	want := []map[string]any{
		{"documentId": "doc-2", "signer": "Bob", "decision": "decline", "reason": "Wrong amount on page 2"},
		{"documentId": "expired-1", "signer": "Bob", "decision": "sign", "reason": ""},
	}
	if !reflect.DeepEqual(got, want) {
		t.Errorf("invocations:\ngot  %v\nwant %v", got, want)
	}
	if p := b.Problems(); len(p) > 0 {
		t.Errorf("browser problems: %q", p)
	}
}

func startAndWait(t *testing.T, b *consoletest.Browser, base, doc string) {
	t.Helper()
	b.Run(t, "start "+doc, chromedp.Navigate(base+"/#/"), chromedp.WaitVisible(`#start-form`, chromedp.ByQuery),
		chromedp.SendKeys(`#documentId`, doc, chromedp.ByQuery), chromedp.Click(`#start-form button[type=submit]`, chromedp.ByQuery))
	b.WaitJS(t, doc+": Bob waiting", consoletest.NodeStatusJS("Wait for Bob")+` === 'waiting' && !!document.querySelector('#sign-panel button[data-action=sign]')`,
		`[location.hash, document.querySelector('#sign-panel')?.innerText]`, 10*time.Second)
}

// open shows an execution and waits for its graph to reflect status.
func open(t *testing.T, b *consoletest.Browser, base, name, status string) {
	t.Helper()
	b.Run(t, "open "+name, chromedp.Navigate(base+"/#/execution/"+fakeExecutionARN(name)))
	b.WaitJS(t, name+" shown as "+status,
		fmt.Sprintf(`%s === %q && document.querySelector('#graph')?.dataset.execution === %q`, consoletest.ExecutionStatusJS, status, status),
		`[location.hash, document.querySelector('#graph')?.dataset.execution]`, 10*time.Second)
}

func wantNodes(t *testing.T, b *consoletest.Browser, want map[string]string) {
	t.Helper()
	for word, st := range want {
		var got *string
		b.Eval(t, consoletest.NodeStatusJS(word), &got)
		if got == nil || *got != st {
			t.Errorf("node %q status = %v, want %s", word, deref(got), st)
		}
	}
}

func deref(s *string) string {
	if s == nil {
		return "<none>"
	}
	return *s
}

// assertNoToken checks the page shows none of the fake's task tokens.
func assertNoToken(t *testing.T, b *consoletest.Browser, fake *fakeAWS) {
	t.Helper()
	var html string
	b.Eval(t, `document.documentElement.outerHTML`, &html)
	fake.mu.Lock()
	defer fake.mu.Unlock()
	for name, e := range fake.executions {
		if strings.Contains(html, e.token) || strings.Contains(html, jsonEscaped(e.token)) {
			t.Errorf("the page shows %s's task token", name)
		}
	}
	if !strings.Contains(html, "•••redacted•••") && strings.Contains(html, "taskToken") {
		t.Errorf("the page mentions taskToken without the redaction mark")
	}
}

func jsonEscaped(s string) string {
	b, _ := json.Marshal(s)
	return strings.Trim(string(b), `"`)
}
