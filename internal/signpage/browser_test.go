package signpage

import (
	"context"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/aws/aws-lambda-go/events"
	"github.com/chromedp/chromedp"

	"github.com/hitl-go/docsign/internal/contract"
	"github.com/hitl-go/docsign/internal/fault"
	"github.com/hitl-go/docsign/local/console/consoletest"
)

// apiPrefix is where the test serves the API, as the local endpoint does
// (/_api/<id>/): the page must find its assets relative to itself.
const apiPrefix = "/_api/test-api/"

// gateway serves a Handler the way an HTTP API with format 2.0 events
// would, and records what the browser sent.
type gateway struct {
	h *Handler

	mu   sync.Mutex
	seen []string // every request's URL and headers
}

func (g *gateway) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	g.mu.Lock()
	g.seen = append(g.seen, r.Method+" "+r.URL.String()+" "+strings.Join(headerLines(r.Header), "; "))
	g.mu.Unlock()
	req := events.APIGatewayV2HTTPRequest{Version: "2.0", RawPath: r.URL.EscapedPath(), RawQueryString: r.URL.RawQuery,
		Headers: map[string]string{}}
	for k, v := range r.Header {
		req.Headers[strings.ToLower(k)] = strings.Join(v, ",")
	}
	body, _ := io.ReadAll(r.Body)
	req.Body = string(body)
	segs := strings.Split(strings.TrimPrefix(r.URL.EscapedPath(), apiPrefix), "/")
	for i, s := range segs {
		segs[i], _ = url.PathUnescape(s)
	}
	switch {
	case len(segs) == 3 && segs[0] == "sign":
		req.RouteKey = r.Method + " /sign/{documentId}/{signer}"
		req.PathParameters = map[string]string{contract.DocumentIDPathParameter: segs[1], contract.SignerPathParameter: segs[2]}
	case len(segs) == 2 && segs[0] == "assets" && r.Method == "GET":
		req.RouteKey = contract.RouteKeyGetAsset
		req.PathParameters = map[string]string{contract.FilePathParameter: segs[1]}
	}
	resp, err := g.h.Handle(r.Context(), req)
	if err != nil {
		http.Error(w, err.Error(), 500)
		return
	}
	for k, v := range resp.Headers {
		w.Header().Set(k, v)
	}
	w.WriteHeader(resp.StatusCode)
	_, _ = io.WriteString(w, resp.Body)
}

func headerLines(h http.Header) []string {
	var out []string
	for k, v := range h {
		out = append(out, k+": "+strings.Join(v, ","))
	}
	return out
}

// TestPageInBrowser opens signing links in headless Chromium: the code is
// read from the fragment and taken out of the address, sent only in a
// POST body, and the answer is announced in the live region.
func TestPageInBrowser(t *testing.T) {
	b := consoletest.Start(t)
	artifacts := consoletest.ArtifactsDir(t, "signpage")
	x := newHarness(t)
	g := &gateway{h: x.h}
	srv := httptest.NewServer(g)
	t.Cleanup(srv.Close)
	link := func(documentID, signer, code string) string {
		return contract.SigningLink(srv.URL+apiPrefix, documentID, signer, code)
	}
	// open loads url afresh: from the same page, a link differing only in
	// its fragment would not load at all.
	open := func(url string) chromedp.Action {
		return chromedp.Tasks{chromedp.Navigate("about:blank"), chromedp.Navigate(url),
			chromedp.WaitReady(`#result`, chromedp.ByQuery)} // about:blank has none: this is the page
	}
	const resultJS = `document.querySelector('#result').textContent`
	checkProblems := func(t *testing.T, allowed string) {
		for _, p := range b.ForgetProblems() {
			// The browser asks for /favicon.ico, outside the API: AWS answers 404 too.
			if strings.HasSuffix(p, "/favicon.ico") {
				continue
			}
			if allowed == "" || !strings.Contains(p, allowed) {
				t.Errorf("browser problem: %s", p)
			}
		}
	}

	t.Run("sign", func(t *testing.T) {
		b.Run(t, "open the link", open(link("doc-1", "Bob", testCode)))
		b.WaitJS(t, "the buttons are enabled", `!document.querySelector('#sign-button').disabled`, resultJS, 5*time.Second)
		var href, maxWidth string
		b.Eval(t, `location.href`, &href)
		b.Eval(t, `getComputedStyle(document.querySelector('main')).maxWidth`, &maxWidth)
		if strings.Contains(href, "#") || strings.Contains(href, testCode) {
			t.Errorf("the address still holds the code: %s", href)
		}
		if maxWidth != "736px" {
			t.Errorf("main's max-width %q: the stylesheet did not load", maxWidth)
		}
		b.Screenshot(t, artifacts, "01-pending")
		b.Run(t, "sign", chromedp.Click(`#sign-button`, chromedp.ByQuery))
		b.WaitJS(t, "the result is announced", resultJS+`.startsWith('Signed')`, resultJS, 5*time.Second)
		var state []any
		b.Eval(t, `[document.querySelector('#decision').hidden, document.querySelector('#status').textContent, document.querySelector('main').dataset.status]`, &state)
		if len(state) != 3 || state[0] != true || state[1] != "Signed" || state[2] != "SIGNED" {
			t.Errorf("after signing: decision hidden, status, data-status = %v", state)
		}
		b.Screenshot(t, artifacts, "02-signed")
		want := completeCall{contract.CompleteInput{DocumentID: "doc-1", Signer: "Bob", Decision: "sign"}, testCode}
		if len(x.fake.completes) != 1 || x.fake.completes[0] != want {
			t.Errorf("completions %+v, want %+v", x.fake.completes, want)
		}
		checkProblems(t, "")
	})

	t.Run("decline by keyboard", func(t *testing.T) {
		x.fake.completes = nil
		b.Run(t, "open the link", open(link("doc-2", "Carol", testCode)))
		b.WaitJS(t, "the buttons are enabled", `!document.querySelector('#decline-button').disabled`, resultJS, 5*time.Second)
		b.Run(t, "type a reason and press Enter on Decline",
			chromedp.SendKeys(`#reason`, "Page 2 is wrong.", chromedp.ByQuery),
			chromedp.Focus(`#decline-button`, chromedp.ByQuery), chromedp.KeyEvent("\r"))
		b.WaitJS(t, "the result is announced", resultJS+`.startsWith('Declined')`, resultJS, 5*time.Second)
		want := completeCall{contract.CompleteInput{DocumentID: "doc-2", Signer: "Carol", Decision: "decline", Reason: "Page 2 is wrong."}, testCode}
		if len(x.fake.completes) != 1 || x.fake.completes[0] != want {
			t.Errorf("completions %+v, want %+v", x.fake.completes, want)
		}
		checkProblems(t, "")
	})

	t.Run("without the code", func(t *testing.T) {
		x.fake.completes = nil
		b.Run(t, "open the link without its fragment", open(srv.URL+apiPrefix+contract.SignPath("doc-1", "Bob")))
		b.WaitJS(t, "the page says the code is missing", resultJS+`.includes('without its one-time code')`, resultJS, 5*time.Second)
		var disabled bool
		b.Eval(t, `document.querySelector('#sign-button').disabled && document.querySelector('#decline-button').disabled`, &disabled)
		if !disabled {
			t.Error("buttons enabled without a code")
		}
		b.Screenshot(t, artifacts, "03-no-code")
		checkProblems(t, "")
	})

	t.Run("the link again in the same tab", func(t *testing.T) {
		// Only the fragment changes: the page must reload to read the code.
		b.Run(t, "follow the link from the page without a code",
			chromedp.Evaluate(`window.before = true; location.hash = '`+testCode+`'`, nil),
			untilTrue(`!window.before && !document.querySelector('#sign-button').disabled && !location.href.includes('#')`))
		checkProblems(t, "")
	})

	t.Run("already answered", func(t *testing.T) {
		x.fake.complete = func(contract.CompleteInput, string) (contract.CompleteResult, error) {
			return contract.CompleteResult{}, fault.AlreadyCompleted("doc-1 was already signed by Bob")
		}
		defer func() { x.fake.complete = nil }()
		b.Run(t, "open and sign", open(link("doc-1", "Bob", testCode)),
			chromedp.WaitEnabled(`#sign-button`, chromedp.ByQuery), chromedp.Click(`#sign-button`, chromedp.ByQuery))
		b.WaitJS(t, "the error is announced", resultJS+`.includes('already answered') && `+resultJS+`.includes('already signed by Bob')`, resultJS, 5*time.Second)
		var disabled bool
		b.Eval(t, `document.querySelector('#sign-button').disabled`, &disabled)
		if !disabled {
			t.Error("Sign is enabled after a final refusal")
		}
		b.Screenshot(t, artifacts, "04-already-answered")
		checkProblems(t, "409") // Chromium logs the 409 as a failed load
	})

	t.Run("busy", func(t *testing.T) {
		x.fake.complete = func(contract.CompleteInput, string) (contract.CompleteResult, error) {
			return contract.CompleteResult{}, fault.Unavailable("a completion is in progress")
		}
		defer func() { x.fake.complete = nil }()
		b.Run(t, "open and sign", open(link("doc-1", "Bob", testCode)),
			chromedp.WaitEnabled(`#sign-button`, chromedp.ByQuery), chromedp.Click(`#sign-button`, chromedp.ByQuery))
		b.WaitJS(t, "try again is announced", resultJS+`.includes('Try again in 5 seconds')`, resultJS, 5*time.Second)
		checkProblems(t, "503")
	})

	t.Run("a signed request", func(t *testing.T) {
		x.fake.describe = func(documentID, signer string) (Request, error) {
			r := pending(documentID, signer)
			r.Status = contract.StatusSigned
			return r, nil
		}
		defer func() { x.fake.describe = nil }()
		b.Run(t, "open the link", open(link("doc-1", "Bob", testCode)))
		b.WaitJS(t, "the fragment is gone", `!location.href.includes('#')`, `location.href`, 5*time.Second)
		var buttons int
		b.Eval(t, `document.querySelectorAll('button').length`, &buttons)
		if buttons != 0 {
			t.Errorf("%d buttons on a signed request's page", buttons)
		}
		checkProblems(t, "")
	})

	// The code travelled only in POST bodies: no URL, Referer or cookie
	// the browser sent holds it.
	g.mu.Lock()
	defer g.mu.Unlock()
	for _, s := range g.seen {
		if strings.Contains(s, testCode) || strings.Contains(strings.ToLower(s), "referer") {
			t.Errorf("request shows the code or a referrer: %s", s)
		}
	}
	if strings.Contains(x.log.String(), testCode) {
		t.Errorf("the log shows the code")
	}
}

// untilTrue evaluates expr until it is true, in whichever document the tab
// has then: unlike a poll, it outlives a reload.
func untilTrue(expr string) chromedp.Action {
	return chromedp.ActionFunc(func(ctx context.Context) error {
		for {
			var ok bool
			if err := chromedp.Evaluate(expr, &ok).Do(ctx); err == nil && ok {
				return nil
			}
			select {
			case <-ctx.Done():
				return fmt.Errorf("%s: never true: %w", expr, ctx.Err())
			case <-time.After(100 * time.Millisecond):
			}
		}
	})
}
