package signpage

import (
	"encoding/xml"
	"errors"
	"fmt"
	"io"
	"regexp"
	"strings"
	"testing"
)

// element is one start tag of a parsed page, with its text up to the next tag.
type element struct {
	name  string
	attrs map[string]string
	text  string
}

// parseHTML tokenizes a page with encoding/xml in its HTML mode (lenient,
// void elements closed, HTML entities): enough for the page's own markup.
func parseHTML(page string) ([]*element, error) {
	d := xml.NewDecoder(strings.NewReader(page))
	d.Strict, d.AutoClose, d.Entity = false, xml.HTMLAutoClose, xml.HTMLEntity
	var els []*element
	var open []*element // the elements not yet closed, innermost last
	for {
		tok, err := d.Token()
		if errors.Is(err, io.EOF) {
			return els, nil
		}
		if err != nil {
			return nil, err
		}
		switch tok := tok.(type) {
		case xml.StartElement:
			e := &element{name: strings.ToLower(tok.Name.Local), attrs: map[string]string{}}
			for _, a := range tok.Attr {
				e.attrs[strings.ToLower(a.Name.Local)] = a.Value
			}
			els, open = append(els, e), append(open, e)
		case xml.EndElement:
			if len(open) > 0 {
				open = open[:len(open)-1]
			}
		case xml.CharData:
			for _, e := range open { // text counts for every enclosing element
				e.text += string(tok)
			}
		}
	}
}

var (
	inlineHandler = regexp.MustCompile(`(?i)<[^>]*\son[a-z]+\s*=`)
	styleAttr     = regexp.MustCompile(`(?i)<[^>]*\sstyle\s*=`)
	scriptTag     = regexp.MustCompile(`(?i)<script\b[^>]*>`)
)

// checkPage fails the test with the page's problems.
func checkPage(t *testing.T, page string, pending bool) {
	t.Helper()
	for _, p := range pageProblems(page, pending) {
		t.Error(p)
	}
	if t.Failed() {
		t.Logf("page:\n%s", page)
	}
}

// pageProblems checks a rendered page: no inline script or style and no
// event handler attribute (the CSP would block them, so they would be
// bugs), and the accessibility basics; a pending request's page also its
// controls.
func pageProblems(page string, pending bool) []string {
	var problems []string
	report := func(format string, args ...any) { problems = append(problems, fmt.Sprintf(format, args...)) }
	// The raw text first, so that nothing the tokenizer might misread slips by.
	for _, re := range []*regexp.Regexp{inlineHandler, styleAttr, regexp.MustCompile(`(?i)<style`), regexp.MustCompile(`(?i)javascript:`)} {
		if m := re.FindString(page); m != "" {
			report("page has %q", m)
		}
	}
	for _, loc := range scriptTag.FindAllStringIndex(page, -1) {
		tag, rest := page[loc[0]:loc[1]], page[loc[1]:]
		if !strings.Contains(tag, ` src="../../assets/sign.js"`) || !strings.HasPrefix(rest, "</script>") {
			report("inline or foreign script: %s%.40s", tag, rest)
		}
	}

	els, err := parseHTML(page)
	if err != nil {
		return append(problems, "parse: "+err.Error())
	}
	byID := map[string]*element{}
	count := map[string]int{}
	labelled := map[string]bool{}
	for _, e := range els {
		count[e.name]++
		if id := e.attrs["id"]; id != "" {
			if byID[id] != nil {
				report("id %q is used twice", id)
			}
			byID[id] = e
		}
		if e.name == "label" {
			labelled[e.attrs["for"]] = true
		}
		for k := range e.attrs {
			if strings.HasPrefix(k, "on") || k == "style" {
				report("<%s> has attribute %s", e.name, k)
			}
		}
		switch e.name {
		case "style", "iframe", "object", "embed", "form", "base":
			report("page has a <%s>", e.name)
		case "script":
			if e.attrs["src"] == "" || strings.TrimSpace(e.text) != "" {
				report("inline script %v %q", e.attrs, e.text)
			}
		case "html":
			if e.attrs["lang"] != "en" {
				report(`<html lang=%q>, want "en"`, e.attrs["lang"])
			}
		case "title":
			if strings.TrimSpace(e.text) == "" {
				report("empty <title>")
			}
		case "textarea", "input", "select":
			if !labelled[e.attrs["id"]] {
				report("<%s id=%q> has no <label for> before it", e.name, e.attrs["id"])
			}
		case "button":
			if e.attrs["type"] != "button" || strings.TrimSpace(e.text) == "" {
				report("button %v %q: want type=button and a text", e.attrs, e.text)
			}
		}
	}
	if count["h1"] != 1 || count["title"] != 1 || count["main"] != 1 {
		report("want one <h1>, <title> and <main>; got %v", count)
	}
	if r := byID["result"]; r == nil || r.attrs["aria-live"] != "polite" || r.attrs["role"] != "status" {
		report("no live result region: %+v", r)
	}
	if !pending {
		return problems
	}
	if count["noscript"] != 1 || count["h2"] < 2 {
		report("a pending page wants a <noscript> and section headings; got %v", count)
	}
	for _, id := range []string{"sign-button", "decline-button"} {
		if b := byID[id]; b == nil || b.attrs["disabled"] == "" {
			report("#%s missing or enabled before the script finds a code: %+v", id, b)
		}
	}
	if r := byID["reason"]; r == nil || r.name != "textarea" || r.attrs["maxlength"] != "1000" {
		report("reason: %+v, want a textarea with maxlength 1000", r)
	}
	if s := byID["document-sha256"]; s == nil || s.text != pinned.SHA256 {
		report("#document-sha256 = %+v, want the full hash", s)
	}
	return problems
}

// TestPageProblemsFound: the checks above see what they look for.
func TestPageProblemsFound(t *testing.T) {
	good := newHarness(t).do(t, pageRequest("doc-1", "Bob")).Body
	if p := pageProblems(good, true); len(p) != 0 {
		t.Fatalf("the pending page has problems: %q", p)
	}
	for _, tt := range []struct{ old, new string }{
		{`<script src="../../assets/sign.js" defer></script>`, `<script>alert(1)</script>`},
		{`<script src="../../assets/sign.js" defer></script>`, `<script src="../../assets/sign.js" defer>x()</script>`},
		{`<main id="main"`, `<main onload="x()" id="main"`},
		{`<main id="main"`, `<main ONCLICK = "x()" id="main"`},
		{`<main id="main"`, `<main style="color:red" id="main"`},
		{`</head>`, `<style>p{}</style></head>`},
		{`<html lang="en">`, `<html>`},
		{`<label for="reason">`, `<label>`},
		{`role="status" aria-live="polite"`, `role="status"`},
		{`<title>`, `<title></title><title>`},
		{`id="sign-button" class="primary" disabled`, `id="sign-button" class="primary"`},
		{`id="decline-button" disabled`, `id="sign-button" disabled`},
		{pinned.SHA256 + "<", pinned.SHA256[:60] + "<"},
		{`<noscript>`, `<div>`},
		{`type="button" id="decline-button"`, `id="decline-button"`},
		{`</main>`, `<a href="javascript:x()">x</a></main>`},
		{`</main>`, `<form></form></main>`},
	} {
		bad := strings.Replace(good, tt.old, tt.new, 1)
		if bad == good {
			t.Fatalf("%q is not in the page", tt.old)
		}
		if p := pageProblems(bad, true); len(p) == 0 {
			t.Errorf("replacing %q by %q went unseen", tt.old, tt.new)
		}
	}
}
