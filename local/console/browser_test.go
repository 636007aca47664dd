package console

import (
	"encoding/json"
	"fmt"
	"net/http"
	"net/http/httptest"
	"os"
	"reflect"
	"sort"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/cdproto/runtime"
	"github.com/chromedp/chromedp"

	"github.com/hitl-go/docsign/internal/contract"
	"github.com/hitl-go/docsign/local/console/consoletest"
)

// newPageServer serves the console at "/" beside the fake AWS APIs, routed the
// way the local endpoint routes them.
func newPageServer(t *testing.T, fake *fakeAWS, opts Options) *httptest.Server {
	t.Helper()
	console := Handler(opts)
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.Header.Get("X-Amz-Target") != "" || strings.HasPrefix(r.URL.Path, "/2015-03-31/") || r.URL.Path == contract.OutboxPath {
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

// page is the console under test in a browser, against fakeAWS.
type page struct {
	b         *consoletest.Browser
	base      string
	fake      *fakeAWS
	artifacts string
}

func newPage(t *testing.T, opts Options) *page {
	b := consoletest.Start(t)
	fake := newFakeAWS(t)
	return &page{b: b, base: newPageServer(t, fake, opts).URL, fake: fake, artifacts: consoletest.ArtifactsDir(t, "console")}
}

// TestConsoleInBrowser is the page-level test: the real page in Chromium
// against a test double of the AWS APIs (fakeAWS). The same Scenario runs
// against the real local stack in the end-to-end test.
func TestConsoleInBrowser(t *testing.T) {
	p := newPage(t, Options{Outputs: fakeOutputs})
	consoletest.Scenario{BaseURL: p.base, DocumentID: "doc-1", AutoSigner: "Alice", CallbackSigner: "Bob",
		Artifacts: p.artifacts}.Run(t, p.b)
	p.wantInvocations(t, []map[string]any{{"documentId": "doc-1", "signer": "Bob", "decision": "sign", "reason": ""}})
	p.assertNoToken(t)

	for _, tt := range []struct {
		name string
		run  func(*testing.T, *page)
	}{
		{"finished runs are coloured by outcome", testFinishedRuns},
		{"nasty state names render as written", testNastyNames},
		{"history table lists every event", testHistoryComplete},
		{"list filters by status and name", testListFilters},
		{"starting a signed document says so", testStartSigned},
		{"the outbox lists notifications with their signing links", testOutbox},
		{"the name filter finds runs older than the first page", testOlderRuns}, // adds 720 runs: keep last
	} {
		t.Run(tt.name, func(t *testing.T) {
			tt.run(t, p)
			if problems := p.b.ForgetProblems(); len(problems) > 0 {
				t.Errorf("browser problems: %q", problems)
			}
		})
	}
}

func testFinishedRuns(t *testing.T, p *page) {
	p.open(t, "offer-12", "FAILED")
	p.wantNodes(t, map[string]string{"Alice signs": "succeeded", "Wait for Bob": "failed", "Collect signatures": "caught", "Declined": "failed"})
	p.assertNoToken(t)
	p.b.Screenshot(t, p.artifacts, "04-declined-run")
	p.open(t, "nda-3", "TIMED_OUT")
	p.wantNodes(t, map[string]string{"Alice signs": "succeeded", "Wait for Bob": "timedout", "Collect signatures": "aborted", "Signed": "notstarted"})
}

// testNastyNames draws testdata/nasty.asl.json with the page's own code and
// reads the labels back from Mermaid's SVG.
func testNastyNames(t *testing.T, p *page) {
	def, err := os.ReadFile("testdata/nasty.asl.json")
	if err != nil {
		t.Fatal(err)
	}
	var labels []string
	p.b.Run(t, "render", chromedp.Evaluate(fmt.Sprintf(`(async () => {
  const chart = await (await fetch('/console/flowchart', { method: 'POST', body: %q })).json();
  const { renderGraph } = await import('/console/static/graph.js');
  const el = Object.assign(document.createElement('div'), { id: 'nasty' });
  document.body.append(el);
  await renderGraph(el, chart, { start: 'succeeded', end: 'notstarted', nodes: {} });
  const out = [...el.querySelectorAll('g.node, g.cluster-label')].map((n) => n.textContent.trim());
  el.remove();
  return out;
})()`, def), &labels, func(p *runtime.EvaluateParams) *runtime.EvaluateParams { return p.WithAwaitPromise(true) }))
	sort.Strings(labels)
	// Lanes are titled after their branch's first state.
	want := []string{"End", "Say \"hi\" #1; <b>bold</b> & `code`Pass", "Start",
		"a/b ~ c: 100% %% {x} [y] |z| (Parallel)", "endChoice", "style: #fff;", "style: #fff;lambda:invoke.waitForTaskToken",
		"subgraph", "subgraphWait 1 s", "Über 名前 😀Fail"}
	if !reflect.DeepEqual(labels, want) {
		t.Errorf("rendered labels (name and kind, as text):\ngot  %q\nwant %q", labels, want)
	}
}

func testHistoryComplete(t *testing.T, p *page) {
	p.open(t, "contract-7", "SUCCEEDED")
	var rows int
	p.b.Eval(t, `document.querySelectorAll('#history tbody tr').length`, &rows)
	p.fake.mu.Lock()
	want := len(p.fake.executions["contract-7"].events)
	p.fake.mu.Unlock()
	if rows != want {
		t.Errorf("history rows = %d, want %d (all pages of GetExecutionHistory)", rows, want)
	}
}

const shownRunsJS = `[...document.querySelectorAll('#executions tbody tr')].map((r) => r.dataset.name).join()`

func testListFilters(t *testing.T, p *page) {
	setStatus := func(status string) chromedp.Action {
		return chromedp.Tasks{chromedp.SetValue(`select[name=status]`, status, chromedp.ByQuery),
			chromedp.Evaluate(`document.querySelector('select[name=status]').dispatchEvent(new Event('change'))`, nil)}
	}
	p.b.Run(t, "open the list", chromedp.Navigate(p.base+"/#/"), chromedp.WaitVisible(`#executions tbody tr`, chromedp.ByQuery))
	p.b.Run(t, "filter by status", setStatus("FAILED"))
	p.b.WaitJS(t, "only the failed run", shownRunsJS+` === 'offer-12'`, shownRunsJS, 5*time.Second)
	p.b.Run(t, "filter by name", setStatus(""), chromedp.SendKeys(`input[name=q]`, "NDA", chromedp.ByQuery))
	p.b.WaitJS(t, "only nda-3", shownRunsJS+` === 'nda-3'`, shownRunsJS, 5*time.Second)
}

// testOlderRuns buries the canned runs under newer ones: first past the
// list's first page (100), where the filter pages back to find them, then
// past the pages one search lists, where the exact name is described.
func testOlderRuns(t *testing.T, p *page) {
	const rowsJS = `document.querySelectorAll('#executions tbody tr').length`
	const emptyJS = `document.querySelector('.executions .empty').innerText`
	// A reload forgets the earlier subtests' filters.
	openList := chromedp.Tasks{chromedp.Navigate(p.base + "/#/"), chromedp.Reload(), chromedp.WaitVisible(`#executions tbody tr`, chromedp.ByQuery)}

	p.addRuns("batch-a", 120)
	p.b.Run(t, "open the list", openList)
	p.b.WaitJS(t, "the first page, and more to load", rowsJS+` === 100 && !document.querySelector('button.load-more').hidden`,
		`[`+rowsJS+`, document.querySelector('.executions .count').textContent]`, 5*time.Second)
	p.b.Run(t, "filter by name", chromedp.SendKeys(`input[name=q]`, "nda", chromedp.ByQuery))
	p.b.WaitJS(t, "nda-3 from the second page", shownRunsJS+` === 'nda-3'`, `[`+shownRunsJS+`, `+emptyJS+`]`, 5*time.Second)
	p.b.Screenshot(t, p.artifacts, "07-older-run-found")

	p.addRuns("batch-b", 600)
	p.b.Run(t, "filter by an exact name", openList, chromedp.SendKeys(`input[name=q]`, "contract-7", chromedp.ByQuery))
	p.b.WaitJS(t, "contract-7 described by name", shownRunsJS+` === 'contract-7'`, `[`+shownRunsJS+`, `+emptyJS+`]`, 10*time.Second)
	p.b.Run(t, "a name nobody used", chromedp.Evaluate(`document.querySelector('input[name=q]').value = ''`, nil), chromedp.SendKeys(`input[name=q]`, "never-signed", chromedp.ByQuery))
	p.b.WaitJS(t, "every page searched", emptyJS+` === 'No execution matches the filters.' && document.querySelector('button.load-more').hidden`,
		emptyJS, 10*time.Second)
}

// addRuns adds n succeeded runs prefix-000… started in the last minute.
func (p *page) addRuns(prefix string, n int) {
	p.fake.mu.Lock()
	defer p.fake.mu.Unlock()
	now := time.Now()
	for i := range n {
		e := newFakeExecution(fmt.Sprintf("%s-%03d", prefix, i), now.Add(-time.Minute+time.Duration(i)*time.Millisecond), false)
		e.aliceSigns()
		e.sign()
		p.fake.executions[e.name] = e
	}
}

func testStartSigned(t *testing.T, p *page) {
	p.b.Run(t, "start contract-7 again", chromedp.Navigate(p.base+"/#/"), chromedp.WaitVisible(`#start-form`, chromedp.ByQuery),
		chromedp.SendKeys(`#documentId`, "contract-7", chromedp.ByQuery), chromedp.Click(`#start-form button[type=submit]`, chromedp.ByQuery))
	p.b.WaitJS(t, "already-signed message", `document.querySelector('#start-msg').innerText.includes('was already signed once')`,
		`document.querySelector('#start-msg').innerText`, 5*time.Second)
	// Chromium logs the API's 400 answer to StartExecution; nothing else may show.
	for _, problem := range p.b.ForgetProblems() {
		if !strings.Contains(problem, "status of 400") {
			t.Errorf("browser problem: %s", problem)
		}
	}
}

// TestConsoleDeclineAndErrors finds the function through ListFunctions (no
// outputs), declines a document with a reason, and shows a function error in words.
func TestConsoleDeclineAndErrors(t *testing.T) {
	p := newPage(t, Options{})

	p.startAndWait(t, "doc-2")
	p.b.Run(t, "decline", chromedp.Click(`#sign-panel button[data-action=decline]`, chromedp.ByQuery),
		chromedp.SendKeys(`#sign-panel textarea[name=reason]`, "Wrong amount on page 2", chromedp.ByQuery))
	p.b.Screenshot(t, p.artifacts, "05-decline-form")
	p.b.Run(t, "confirm", chromedp.Click(`#sign-panel button[data-action=confirm-decline]`, chromedp.ByQuery))
	p.b.WaitJS(t, "the run fails", consoletest.ExecutionStatusJS+` === 'FAILED' && `+consoletest.EndStatusJS+` === 'failed'`,
		consoletest.ExecutionStatusJS, 10*time.Second)
	p.wantNodes(t, map[string]string{"Wait for Bob": "failed", "Collect signatures": "caught", "Declined": "failed"})
	var cause string
	p.b.Eval(t, `document.querySelector('.exec-head .notice').innerText`, &cause)
	if want := "SignatureDeclined — Wrong amount on page 2"; cause != want {
		t.Errorf("failure notice = %q, want %q", cause, want)
	}

	p.startAndWait(t, "expired-1")
	p.b.Run(t, "sign", chromedp.Click(`#sign-panel button[data-action=sign]`, chromedp.ByQuery))
	p.b.WaitJS(t, "the error in words", `document.querySelector('#sign-panel .form-msg.error')?.innerText.includes('has expired')`,
		`document.querySelector('#sign-panel')?.innerText`, 10*time.Second)
	var msg string
	p.b.Eval(t, `document.querySelector('#sign-panel .form-msg.error').innerText`, &msg)
	if !strings.Contains(msg, "SignatureRequestExpired") {
		t.Errorf("error message %q does not name the errorType", msg)
	}
	p.b.Screenshot(t, p.artifacts, "06-function-error")

	p.wantInvocations(t, []map[string]any{
		{"documentId": "doc-2", "signer": "Bob", "decision": "decline", "reason": "Wrong amount on page 2"},
		{"documentId": "expired-1", "signer": "Bob", "decision": "sign", "reason": ""},
	})
	if problems := p.b.Problems(); len(problems) > 0 {
		t.Errorf("browser problems: %q", problems)
	}
}

func (p *page) startAndWait(t *testing.T, doc string) {
	t.Helper()
	p.b.Run(t, "start "+doc, chromedp.Navigate(p.base+"/#/"), chromedp.WaitVisible(`#start-form`, chromedp.ByQuery),
		chromedp.SendKeys(`#documentId`, doc, chromedp.ByQuery), chromedp.Click(`#start-form button[type=submit]`, chromedp.ByQuery))
	p.b.WaitJS(t, doc+": Bob waiting", consoletest.NodeStatusJS("Wait for Bob")+` === 'waiting' && !!document.querySelector('#sign-panel button[data-action=sign]')`,
		`[location.hash, document.querySelector('#sign-panel')?.innerText]`, 10*time.Second)
}

// open shows an execution and waits for its graph to reflect status.
func (p *page) open(t *testing.T, name, status string) {
	t.Helper()
	p.b.Run(t, "open "+name, chromedp.Navigate(p.base+"/#/execution/"+fakeExecutionARN(name)))
	p.b.WaitJS(t, name+" shown as "+status,
		fmt.Sprintf(`%s === %q && document.querySelector('#graph')?.dataset.execution === %q`, consoletest.ExecutionStatusJS, status, status),
		`[location.hash, document.querySelector('#graph')?.dataset.execution]`, 10*time.Second)
}

// wantNodes checks the status of the graph nodes whose text contains each word.
func (p *page) wantNodes(t *testing.T, want map[string]string) {
	t.Helper()
	for word, st := range want {
		var got *string
		p.b.Eval(t, consoletest.NodeStatusJS(word), &got)
		if got == nil || *got != st {
			shown := "<no node>"
			if got != nil {
				shown = *got
			}
			t.Errorf("node %q status = %s, want %s", word, shown, st)
		}
	}
}

func (p *page) wantInvocations(t *testing.T, want []map[string]any) {
	t.Helper()
	p.fake.mu.Lock()
	got := p.fake.invocations
	p.fake.mu.Unlock()
	if !reflect.DeepEqual(got, want) {
		t.Errorf("complete-signature invocations:\ngot  %v\nwant %v", got, want)
	}
}

// assertNoToken checks the page shows none of the fake's task tokens.
func (p *page) assertNoToken(t *testing.T) {
	t.Helper()
	var html string
	p.b.Eval(t, `document.documentElement.outerHTML`, &html)
	p.fake.mu.Lock()
	defer p.fake.mu.Unlock()
	for name, e := range p.fake.executions {
		if strings.Contains(html, e.token) || strings.Contains(html, jsonEscaped(e.token)) || strings.Contains(html, e.token[:32]) {
			t.Errorf("the page shows %s's task token", name)
		}
	}
	if strings.Contains(html, "taskToken") && !strings.Contains(html, "•••redacted•••") {
		t.Errorf("the page mentions taskToken without the redaction mark")
	}
}

func jsonEscaped(s string) string {
	b, _ := json.Marshal(s)
	return strings.Trim(string(b), `"`)
}

// testOutbox shows the outbox: newest first, every field as text, each
// signing link opening the page on the API in a new tab that cannot reach
// back to the console.
func testOutbox(t *testing.T, p *page) {
	api := p.base + "/_api/abcde12345/"
	link := api + contract.SignPath("doc-1", "Bob") + "#AAECAwQFBgcICQoLDA0ODxAREhMUFRYXGBkaGxwdHh8"
	sent := time.Date(2026, 12, 5, 10, 30, 0, 0, time.UTC)
	p.fake.mu.Lock()
	p.fake.outbox = []contract.OutboxEntry{
		{DocumentID: "doc-1", Signer: "Bob", To: "bob@example.com", Subject: "Please sign doc-1", Body: "Sign: " + link, Link: link, SentAt: sent},
		{DocumentID: "doc-2", Signer: "<b>Eve</b>", To: "eve@example.com", Subject: "<img src=x onerror=alert(1)>", Body: "no link",
			Link: "javascript:alert(1)", SentAt: sent.Add(time.Minute)},
		{Body: "nobody took it", SentAt: sent.Add(2 * time.Minute)},
	}
	p.fake.mu.Unlock()
	p.b.Run(t, "open the outbox", chromedp.Navigate(p.base+"/#/"), chromedp.WaitVisible(`#executions`, chromedp.ByQuery),
		chromedp.Click(`.nav a[href="#/outbox"]`, chromedp.ByQuery))
	const rowsJS = `[...document.querySelectorAll('#outbox tbody tr')].map((r) => [...r.cells].map((c) => c.innerText))`
	p.b.WaitJS(t, "three messages", `document.querySelectorAll('#outbox tbody tr').length === 3`, rowsJS, 5*time.Second)
	var rows [][]string
	p.b.Eval(t, rowsJS, &rows)
	want := [][]string{
		{"2026-12-05 10:32:00", "no subscription", "—", "—", "—", "—"},
		{"2026-12-05 10:31:00", "eve@example.com", "doc-2", "<b>Eve</b>", "<img src=x onerror=alert(1)>", "—"},
		{"2026-12-05 10:30:00", "bob@example.com", "doc-1", "Bob", "Please sign doc-1", "Sign as Bob"},
	}
	if !reflect.DeepEqual(rows, want) {
		t.Errorf("outbox rows:\n got %q\nwant %q", rows, want)
	}
	var a map[string]string
	p.b.Eval(t, `(() => { const a = document.querySelector('#outbox tbody tr[data-signer="Bob"] a'); return {href: a.href, target: a.target, rel: a.rel}; })()`, &a)
	if wantA := map[string]string{"href": link, "target": "_blank", "rel": "noopener noreferrer"}; !reflect.DeepEqual(a, wantA) {
		t.Errorf("the signing link is %v, want %v", a, wantA)
	}
	var current string
	p.b.Eval(t, `document.querySelector('.nav a.current')?.getAttribute('href')`, &current)
	if current != "#/outbox" {
		t.Errorf("the current view in the nav is %q, want #/outbox", current)
	}
	p.b.Screenshot(t, p.artifacts, "08-outbox")
}
