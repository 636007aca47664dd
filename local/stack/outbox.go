package stack

import (
	"encoding/json"
	"net/http"
	"strings"

	"github.com/hitl-go/docsign/internal/contract"
	"github.com/hitl-go/docsign/local/sns"
)

// outbox serves the SNS outbox at contract.OutboxPath: each message kept,
// with the document and signer from its message attributes and the signing
// link found in its body. The links carry one-time codes, so the answer is
// for this machine's user only: the router lets only loopback hosts and the
// stack's own origin through, and this refuses a browser's cross-site
// request, which carries no Origin when it is a plain GET. Nothing about a
// message is logged.
type outbox struct {
	entries func() []sns.Entry
	// apiURLs are the served HTTP APIs' base URLs (ending in "/"): a link
	// is a URL under one of them + contract.SignRoutePrefix.
	apiURLs []string
}

func (o *outbox) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	if site := r.Header.Get("Sec-Fetch-Site"); site != "" && site != "same-origin" && site != "none" {
		refuse(w, "the outbox answers this machine's own pages and tools only, not a "+site+" request")
		return
	}
	if r.Method != http.MethodGet && r.Method != http.MethodHead {
		w.Header().Set("Allow", "GET, HEAD")
		writeError(w, http.StatusMethodNotAllowed, "MethodNotAllowed", "the outbox is read with GET")
		return
	}
	w.Header().Set("Content-Type", "application/json")
	w.Header().Set("Cache-Control", "no-store")
	w.Header().Set("X-Content-Type-Options", "nosniff")
	_ = json.NewEncoder(w).Encode(o.list())
}

// list is the outbox as contract.OutboxEntry values, oldest first.
func (o *outbox) list() []contract.OutboxEntry {
	entries := o.entries()
	out := make([]contract.OutboxEntry, 0, len(entries))
	for _, e := range entries {
		out = append(out, contract.OutboxEntry{
			DocumentID: e.Attributes[contract.MessageAttrDocumentID],
			Signer:     e.Attributes[contract.MessageAttrSigner],
			To:         e.To, Subject: e.Subject, Body: e.Body,
			Link:   signingLink(e.Body, o.apiURLs),
			SentAt: e.SentAt,
		})
	}
	return out
}

// signingLink is the first URL in body that starts with one of apiURLs +
// contract.SignRoutePrefix, or "". A URL ends where a character URLs never
// hold starts (space, control, quotes, angle brackets…), less trailing
// sentence punctuation: a code is base64url, which has none.
func signingLink(body string, apiURLs []string) string {
	first := -1
	for _, base := range apiURLs {
		if i := strings.Index(body, base+contract.SignRoutePrefix); i >= 0 && (first < 0 || i < first) {
			first = i
		}
	}
	if first < 0 {
		return ""
	}
	link := body[first:]
	if end := strings.IndexFunc(link, notInURL); end >= 0 {
		link = link[:end]
	}
	return strings.TrimRight(link, ".,;:!?)]'")
}

// notInURL reports characters RFC 3986 never allows in a URL: anything
// outside printable ASCII, and a few printable ones.
func notInURL(r rune) bool {
	return r <= ' ' || r >= 0x7f || strings.ContainsRune("\"<>\\^`{|}", r)
}
