package consoletest

import (
	"encoding/json"
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"
)

// Scenario is the mission's path through the console: open it, start a
// document, see the automatic signer's state succeed and the callback
// signer's state wait, press Sign, and see the run succeed.
type Scenario struct {
	BaseURL    string // where the console is served, e.g. "http://127.0.0.1:4566"
	DocumentID string
	// AutoSigner and CallbackSigner are words in the two signers' state names
	// (the graph's nodes are found by their text), e.g. "Alice" and "Bob".
	AutoSigner, CallbackSigner string
	// Artifacts is where screenshots go; "" takes none.
	Artifacts string
	// Timeout bounds each wait (default 20 s).
	Timeout time.Duration
}

// NodeStatusJS returns an expression giving the status class ("succeeded",
// "waiting", …) of the first state whose text contains word — a node, or
// the box of a Parallel or Map state — or null. Lanes, which carry no
// status and are titled after their first state, are skipped.
func NodeStatusJS(word string) string {
	w, _ := json.Marshal(word)
	return fmt.Sprintf(`(() => {
  const status = (g) => /(?:^|\s)(?:st|box)_(\w+)/.exec(g.getAttribute('class') || '');
  const n = [...document.querySelectorAll('#graph svg g.node, #graph svg g.cluster')].find((g) => status(g) && g.textContent.includes(%s));
  return n ? status(n)[1] : null;
})()`, w)
}

// EndStatusJS is an expression giving the End node's status class.
const EndStatusJS = `(() => {
  const n = document.querySelector('#graph svg g.node[id*="-n_finish-"], #graph svg g.node[id="n_finish"]');
  const m = n && /(?:^|\s)(?:st|box)_(\w+)/.exec(n.getAttribute('class') || '');
  return m ? m[1] : null;
})()`

// ExecutionStatusJS is an expression giving the execution page's status
// (RUNNING, SUCCEEDED, …), or null before it is shown.
const ExecutionStatusJS = `(document.querySelector('#exec-status [data-status]')?.dataset.status ?? null)`

// TokenLikeJS is an expression giving the first thing on the page that looks
// like a task token — a 100+ character base64 run, or a "taskToken" value
// other than the redaction mark — or "" when there is none.
const TokenLikeJS = `(() => {
  const page = document.documentElement.cloneNode(true);
  page.querySelectorAll('[data-points]').forEach((e) => e.removeAttribute('data-points')); // Mermaid's base64 edge geometry
  const html = page.outerHTML + document.body.innerText;
  const long = html.match(/[A-Za-z0-9+\/=_-]{100,}/);
  if (long) return long[0];
  const m = [...html.matchAll(/taskToken(?:&quot;|"|\\")*\s*:\s*(?:&quot;|"|\\")*([^"&\\,}]+)/g)];
  return m.map((x) => x[1]).find((v) => !v.includes('redacted')) ?? '';
})()`

// Run plays the scenario in b and returns the execution's URL.
func (s Scenario) Run(t testing.TB, b *Browser) string {
	t.Helper()
	timeout := s.Timeout
	if timeout == 0 {
		timeout = 20 * time.Second
	}
	shot := func(name string) {
		if s.Artifacts != "" {
			b.Screenshot(t, s.Artifacts, name)
		}
	}
	b.Run(t, "open the console", chromedp.Navigate(strings.TrimRight(s.BaseURL, "/")+"/"),
		chromedp.WaitVisible(`#start-form`, chromedp.ByQuery))
	b.WaitJS(t, "executions listed", `document.querySelector('#executions tbody') !== null && document.querySelector('.executions .count').textContent !== ''`,
		`document.querySelector('.executions')?.innerText`, timeout)
	shot("01-executions")

	b.Run(t, "start "+s.DocumentID,
		chromedp.SendKeys(`#documentId`, s.DocumentID, chromedp.ByQuery),
		chromedp.Click(`#start-form button[type=submit]`, chromedp.ByQuery))
	b.WaitJS(t, "the execution page opens", `location.hash.startsWith('#/execution/') && !!document.querySelector('#graph svg')`,
		`[location.hash, document.querySelector('#start-msg')?.innerText, document.querySelector('.notice')?.innerText]`, timeout)

	describe := fmt.Sprintf(`[%s, %s, %s, document.querySelector('#sign-panel')?.innerText]`,
		NodeStatusJS(s.AutoSigner), NodeStatusJS(s.CallbackSigner), ExecutionStatusJS)
	signButton := fmt.Sprintf(`#sign-panel .signer[data-signer=%q] button[data-action=sign]`, s.CallbackSigner)
	b.WaitJS(t, s.AutoSigner+" succeeded and "+s.CallbackSigner+" waiting",
		fmt.Sprintf(`%s === 'succeeded' && %s === 'waiting' && !!document.querySelector(%q)`,
			NodeStatusJS(s.AutoSigner), NodeStatusJS(s.CallbackSigner), signButton), describe, timeout)
	shot("02-waiting-for-" + strings.ToLower(s.CallbackSigner))

	var token string
	b.Eval(t, TokenLikeJS, &token)
	if token != "" {
		t.Errorf("the execution page shows what looks like a task token: %.80q…", token)
	}

	b.Run(t, "press Sign", chromedp.Click(signButton, chromedp.ByQuery))
	b.WaitJS(t, "the run succeeds",
		fmt.Sprintf(`%s === 'SUCCEEDED' && %s === 'succeeded' && %s === 'succeeded'`, ExecutionStatusJS, EndStatusJS, NodeStatusJS(s.CallbackSigner)),
		describe, timeout)
	shot("03-signed")

	var url string
	b.Run(t, "read the URL", chromedp.Location(&url))
	if p := b.Problems(); len(p) > 0 {
		t.Errorf("browser problems: %q", p)
	}
	return url
}
