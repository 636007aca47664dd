package signpage

import (
	"strings"
	"testing"

	"github.com/hitl-go/docsign/internal/contract"

	"github.com/aws/aws-lambda-go/events"
)

func TestAssets(t *testing.T) {
	for file, want := range map[string]struct{ contentType, has string }{
		"sign.js":  {"text/javascript; charset=utf-8", "history.replaceState"},
		"sign.css": {"text/css; charset=utf-8", "prefers-color-scheme"},
	} {
		x := newHarness(t)
		resp := x.do(t, assetRequest(file))
		if resp.StatusCode != 200 || resp.Headers["Content-Type"] != want.contentType || !strings.Contains(resp.Body, want.has) {
			t.Errorf("%s: %d %q, %d bytes", file, resp.StatusCode, resp.Headers["Content-Type"], len(resp.Body))
		}
		if d, c := x.fake.calls(); d+c != 0 {
			t.Errorf("%s: the completer was called", file)
		}
	}
}

// TestAssetRefusals: only the two files are served, by their exact names.
func TestAssetRefusals(t *testing.T) {
	names := []string{
		"", ".", "..", "/", "sign", "sign.", "SIGN.JS", "Sign.css", "sign.js ", " sign.js", "sign.js/", "/sign.js",
		"./sign.js", "../sign.js", "assets/sign.js", "..%2Fsign.js", "%73ign.js", "sign%2Ejs", "sign.js\x00", "sign.js\n",
		"sign.js.map", "sign.jsx", "sign.min.js", "sign.css.bak", "sign.js?v=1", "sign.js#x", "sıgn.js",
		"page.html", "../page.html", "assets.go", "doc.go", "/etc/passwd", "index.html", "favicon.ico",
		strings.Repeat("a", 10000), "\xff\xfe",
	}
	for _, name := range names {
		x := newHarness(t)
		resp := x.do(t, assetRequest(name))
		if resp.StatusCode != 404 || errorType(t, resp) != errorNoRoute || resp.Headers["Content-Type"] != "application/json" {
			t.Errorf("%q: %d %q %s, want a 404 JSON NotFound", name, resp.StatusCode, resp.Headers["Content-Type"], resp.Body)
		}
		if d, c := x.fake.calls(); d+c != 0 {
			t.Errorf("%q: the completer was called", name)
		}
	}
	x := newHarness(t)
	resp := x.do(t, events.APIGatewayV2HTTPRequest{RouteKey: contract.RouteKeyGetAsset})
	if resp.StatusCode != 404 {
		t.Errorf("no file parameter: %d", resp.StatusCode)
	}
}

// TestUnknownRoutes: a route this handler does not serve is a 404 JSON,
// whatever its path would say.
func TestUnknownRoutes(t *testing.T) {
	for _, route := range []string{
		"", "$default", "GET /", "ANY /{proxy+}", "HEAD /sign/{documentId}/{signer}", "PUT /sign/{documentId}/{signer}",
		"DELETE /sign/{documentId}/{signer}", "OPTIONS /sign/{documentId}/{signer}", "PATCH /sign/{documentId}/{signer}",
		"get /sign/{documentId}/{signer}", "GET /sign/{documentId}/{signer}/", "GET  /sign/{documentId}/{signer}",
		"GET /sign/{documentId}", "POST /assets/{file}", "GET /documents/{documentId}", "POST /documents/{documentId}",
		"GET /sign/{documentId}/{signer} ", strings.Repeat("GET ", 500),
	} {
		x := newHarness(t)
		req := postRequest("doc-1", "Bob", answerJSON(testCode, "sign", nil))
		req.RouteKey = route
		resp := x.do(t, req)
		if resp.StatusCode != 404 || errorType(t, resp) != errorNoRoute {
			t.Errorf("%q: %d %s", route, resp.StatusCode, resp.Body)
		}
		if d, c := x.fake.calls(); d+c != 0 {
			t.Errorf("%q: the completer was called", route)
		}
		if strings.Contains(x.log.String(), strings.Repeat("GET ", 200)) {
			t.Errorf("the log line holds the whole route key")
		}
	}
}

// TestScriptKeepsTheCode: the script sends the code the one way the page
// allows, and has no way to write markup or keep the code.
func TestScriptKeepsTheCode(t *testing.T) {
	js, err := assetFiles.ReadFile("assets/sign.js")
	if err != nil {
		t.Fatal(err)
	}
	for _, want := range []string{"history.replaceState(", "location.pathname", "credentials: 'omit'",
		"referrerPolicy: 'no-referrer'", "cache: 'no-store'", "'Content-Type': 'application/json'", ".textContent ="} {
		if !strings.Contains(string(js), want) {
			t.Errorf("sign.js lacks %s", want)
		}
	}
	for _, banned := range []string{"innerHTML", "outerHTML", "insertAdjacentHTML", "document.write", "eval(", "new Function",
		"localStorage", "sessionStorage", "document.cookie", "?code", "console."} {
		if strings.Contains(string(js), banned) {
			t.Errorf("sign.js uses %s", banned)
		}
	}
}
