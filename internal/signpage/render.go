package signpage

import (
	"fmt"
	"html"
	"strings"
)

// The page is written out here rather than with html/template: that
// package's reflection makes the linker keep every method of every type the
// function links (all of the AWS SDK clients'), which doubled the function's
// size. Every value goes through esc, and each one lands in a text node or
// a double-quoted attribute, where escaping <>&'" is all that is needed; the
// page has no inline script, style or URL built from a value.
var esc = html.EscapeString

// render writes the page: a request, or a problem.
func render(v pageView) string {
	var b strings.Builder
	fmt.Fprintf(&b, `<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="referrer" content="no-referrer">
<meta name="robots" content="noindex, nofollow">
<title>%s</title>
<link rel="stylesheet" href="../../assets/sign.css">
<link rel="icon" type="image/svg+xml" href="../../assets/icon.svg">
<script src="../../assets/sign.js" defer></script>
</head>
<body>
<main id="main" data-status="%s" data-error-type="%s">
`, esc(v.Title), esc(v.Status), esc(v.ErrorType))
	if v.Request != nil {
		renderRequest(&b, v.Request)
	} else if v.Problem != nil {
		fmt.Fprintf(&b, "<h1>%s</h1>\n<p>%s</p>\n", esc(v.Problem.Heading), esc(v.Problem.Text))
	}
	b.WriteString(`<div id="result" class="result" role="status" aria-live="polite" aria-atomic="true"></div>
</main>
</body>
</html>
`)
	return b.String()
}

func renderRequest(b *strings.Builder, r *requestView) {
	fmt.Fprintf(b, `<h1>Signature request for document <span class="value">%s</span></h1>
<p>%s, you are asked to sign the document below. Check that it is the one you expect before you decide.</p>
<section aria-labelledby="details-heading">
<h2 id="details-heading">The document</h2>
<dl class="details">
<dt>Document key</dt><dd><code id="document-key">%s</code></dd>
<dt>Version id</dt><dd><code id="document-version">%s</code></dd>
<dt>SHA-256</dt><dd><code id="document-sha256" class="sha256">%s</code></dd>
<dt>Requested by</dt><dd id="requested-by">%s</dd>
`, esc(r.DocumentID), esc(r.Signer), esc(r.Key), esc(r.VersionID), esc(r.SHA256), esc(r.RequestedBy))
	if r.Deadline != "" {
		fmt.Fprintf(b, `<dt>Deadline</dt><dd><time id="deadline" datetime="%s">%s</time> <span class="rfc3339">(%s)</span></dd>
`, esc(r.Deadline), esc(r.DeadlineText), esc(r.Deadline))
	} else {
		b.WriteString("<dt>Deadline</dt><dd>none given</dd>\n")
	}
	fmt.Fprintf(b, `<dt>Status</dt><dd id="status">%s</dd>
</dl>
<p class="hint">To check your copy, compare its SHA-256 (<code>sha256sum FILE</code>, or <code>shasum -a 256 FILE</code> on macOS) with the one above.</p>
</section>
`, esc(r.StatusText))
	if !r.Pending {
		fmt.Fprintf(b, "<p id=\"closed\" class=\"closed\">%s</p>\n", esc(r.Closed))
		return
	}
	fmt.Fprintf(b, `<section id="decision" aria-labelledby="decision-heading">
<h2 id="decision-heading">Your decision</h2>
<noscript><p class="notice">This page needs JavaScript to send your decision: the link's one-time code stays in your browser and is sent only when you press Sign or Decline. Turn JavaScript on, then open the link from your notification again.</p></noscript>
<p><button type="button" id="sign-button" class="primary" disabled>Sign the document</button></p>
<h3>Or decline</h3>
<p><label for="reason">Reason for declining (optional, at most %d characters)</label></p>
<textarea id="reason" name="reason" rows="4" maxlength="%d" aria-describedby="reason-hint"></textarea>
<p id="reason-hint" class="hint">Declining ends the request: the document cannot then be signed in this run.</p>
<p><button type="button" id="decline-button" disabled>Decline</button></p>
</section>
`, r.MaxReason, r.MaxReason)
}
