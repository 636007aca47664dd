package signpage

import (
	"errors"
	"html"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/aws/aws-lambda-go/events"

	"github.com/hitl-go/docsign/internal/contract"
	"github.com/hitl-go/docsign/internal/fault"
)

// TestPageRefusals: a link that names no request shows a problem page, and
// nothing ever completes: the page is fetched by mail scanners too.
func TestPageRefusals(t *testing.T) {
	const (
		invalid     = contract.ErrorInvalidInput
		absent      = contract.ErrorSignatureRequestNotFound
		unavailable = contract.ErrorSignatureServiceUnavailable
	)
	tests := []struct {
		name        string
		change      func(*events.APIGatewayV2HTTPRequest)
		describeErr error // the fake's answer, for a well-formed link
		wantStatus  int
		wantType    string
	}{
		{"no path parameters", func(r *events.APIGatewayV2HTTPRequest) { r.PathParameters = nil }, nil, 400, invalid},
		{"no signer parameter", func(r *events.APIGatewayV2HTTPRequest) { delete(r.PathParameters, contract.SignerPathParameter) }, nil, 400, invalid},
		{"empty document id", withPath("", "Bob"), nil, 400, invalid},
		{"document id of 81 characters", withPath(strings.Repeat("d", 81), "Bob"), nil, 400, invalid},
		{"document id with a slash", withPath("a/b", "Bob"), nil, 400, invalid},
		{"document id with a space", withPath("a b", "Bob"), nil, 400, invalid},
		{"document id of dots", withPath("..", "Bob"), nil, 400, invalid},
		{"document id still percent-encoded", withPath("doc%2D1", "Bob"), nil, 400, invalid},
		{"document id with markup", withPath("<script>alert(1)</script>", "Bob"), nil, 400, invalid},
		{"document id with a quote", withPath(`doc"1`, "Bob"), nil, 400, invalid},
		{"document id with a newline", withPath("doc\n1", "Bob"), nil, 400, invalid},
		{"document id with a NUL", withPath("doc\x001", "Bob"), nil, 400, invalid},
		{"document id with an emoji", withPath("doc😀", "Bob"), nil, 400, invalid},
		{"document id with a non-ASCII letter", withPath("dök", "Bob"), nil, 400, invalid},
		{"document id of bad UTF-8", withPath("doc\xff", "Bob"), nil, 400, invalid},
		{"empty signer", withPath("doc-1", ""), nil, 400, invalid},
		{"signer with a tab", withPath("doc-1", "Bob\t"), nil, 400, invalid},
		{"signer with a bidi override", withPath("doc-1", "\u202eBob"), nil, 400, invalid},
		{"signer with a zero-width joiner", withPath("doc-1", "Bo\u200db"), nil, 400, invalid},
		{"signer of bad UTF-8", withPath("doc-1", "\xc3"), nil, 400, invalid},
		{"signer of 81 bytes", withPath("doc-1", strings.Repeat("é", 41)), nil, 400, invalid},
		{"an auto signer", withPath("doc-1", "Alice"), nil, 404, absent},
		{"a signer in capitals", withPath("doc-1", "BOB"), nil, 404, absent},
		{"a signer with a leading space", withPath("doc-1", " Bob"), nil, 404, absent},
		{"a signer with markup", withPath("doc-1", "<b>Bob</b>"), nil, 404, absent},
		{"a signer named like a path", withPath("doc-1", "../Bob"), nil, 404, absent},
		{"no request", nil, fault.NotFound("no request for doc-1 and Bob"), 404, absent},
		{"the store is unavailable", nil, fault.Unavailable("DynamoDB throttled"), 503, unavailable},
		{"an error Describe does not promise", nil, fault.Expired("expired"), 500, errorInternal},
		{"an error of no fault type", nil, errors.New("boom"), 500, errorInternal},
		{"a wrapped unavailable", nil, errors.Join(errors.New("read"), fault.Unavailable("later")), 503, unavailable},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			x := newHarness(t)
			x.fake.describe = func(string, string) (Request, error) { return Request{}, tt.describeErr }
			req := pageRequest("doc-1", "Bob")
			if tt.change != nil {
				tt.change(&req)
			}
			resp := x.do(t, req)
			if resp.StatusCode != tt.wantStatus || errorType(t, resp) != tt.wantType {
				t.Errorf("%d %s, want %d %s", resp.StatusCode, errorType(t, resp), tt.wantStatus, tt.wantType)
			}
			if resp.Headers["Content-Type"] != "text/html; charset=utf-8" {
				t.Errorf("Content-Type %q, want HTML", resp.Headers["Content-Type"])
			}
			describes, completes := x.fake.calls()
			if completes != 0 || (tt.describeErr == nil) != (describes == 0) {
				t.Errorf("%d describes, %d completions", describes, completes)
			}
			checkPage(t, resp.Body, false)
			if strings.Contains(resp.Body, "<script>alert") || strings.Contains(resp.Body, "<b>Bob") {
				t.Errorf("the page shows markup from the link:\n%s", resp.Body)
			}
		})
	}
}

// TestPageShowsRequest: the page shows the pinned document, who asks, the
// deadline and the status; only a pending request gets buttons.
func TestPageShowsRequest(t *testing.T) {
	tests := []struct {
		name       string
		status     contract.Status
		expiresAt  time.Time
		wantStatus string // data-status and what it says
		wantText   string
		buttons    bool
	}{
		{"pending", contract.StatusPending, deadline, "PENDING", "Waiting for your decision", true},
		{"signed", contract.StatusSigned, deadline, "SIGNED", "This document has been signed.", false},
		{"declined", contract.StatusDeclined, deadline, "DECLINED", "This request was declined.", false},
		{"expired", contract.StatusExpired, deadline, "EXPIRED", "This request has expired", false},
		{"pending past its deadline", contract.StatusPending, t0, "EXPIRED", "This request has expired", false},
		{"a status this page does not know", "WITHDRAWN", deadline, "WITHDRAWN", "cannot be answered here", false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			x := newHarness(t)
			x.fake.describe = func(documentID, signer string) (Request, error) {
				r := pending(documentID, signer)
				r.Status, r.ExpiresAt = tt.status, tt.expiresAt
				return r, nil
			}
			req := pageRequest("doc-1", "Bob")
			req.RawQueryString = "code=" + testCode // never acted on
			req.QueryStringParameters = map[string]string{"code": testCode, "decision": "sign"}
			resp := x.do(t, req)
			if resp.StatusCode != 200 || errorType(t, resp) != "" {
				t.Fatalf("%d %s", resp.StatusCode, resp.Body)
			}
			body := resp.Body
			for _, want := range []string{
				`data-status="` + tt.wantStatus + `"`,
				`<code id="document-sha256" class="sha256">` + pinned.SHA256 + `</code>`,
				`<code id="document-key">` + pinned.Key + `</code>`,
				`<code id="document-version">` + pinned.VersionID + `</code>`,
				`<dd id="requested-by">` + html.EscapeString("Alice Example <alice@example.com>") + `</dd>`,
				tt.wantText,
			} {
				if !strings.Contains(body, want) {
					t.Errorf("page lacks %s:\n%s", want, body)
				}
			}
			if !tt.expiresAt.IsZero() {
				for _, want := range []string{`datetime="` + tt.expiresAt.Format(time.RFC3339) + `"`,
					tt.expiresAt.Format("Monday 2 January 2006, 15:04:05 UTC")} {
					if !strings.Contains(body, want) {
						t.Errorf("page lacks the deadline %s", want)
					}
				}
			}
			if got := strings.Contains(body, `id="sign-button"`) && strings.Contains(body, `id="decline-button"`); got != tt.buttons {
				t.Errorf("buttons shown: %v, want %v", got, tt.buttons)
			}
			if describes, completes := x.fake.calls(); describes != 1 || completes != 0 {
				t.Errorf("%d describes, %d completions; want one describe", describes, completes)
			}
			checkPage(t, body, tt.buttons)
		})
	}
}

// TestPageUnknownDeadline: a request without a deadline says so rather than
// show the year 1.
func TestPageUnknownDeadline(t *testing.T) {
	x := newHarness(t)
	x.fake.describe = func(documentID, signer string) (Request, error) {
		r := pending(documentID, signer)
		r.ExpiresAt, r.RequestedBy = time.Time{}, ""
		return r, nil
	}
	resp := x.do(t, pageRequest("doc-1", "Bob"))
	if !strings.Contains(resp.Body, "none given") || strings.Contains(resp.Body, "0001") || !strings.Contains(resp.Body, "not stated") {
		t.Errorf("page:\n%s", resp.Body)
	}
}

// TestPageAssetsRelative: the page names its assets relative to itself, so
// it works under the local endpoint's /_api/<id>/ prefix as on AWS.
func TestPageAssetsRelative(t *testing.T) {
	x := newHarness(t)
	body := x.do(t, pageRequest("doc-1", "Bob")).Body
	refs := regexp.MustCompile(`(?:src|href)="([^"]*)"`).FindAllStringSubmatch(body, -1)
	if len(refs) != len(assets) {
		t.Fatalf("references %q, want the script, the stylesheet and the icon", refs)
	}
	for _, m := range refs {
		if name, ok := strings.CutPrefix(m[1], "../../assets/"); !ok || assets[name] == "" {
			t.Errorf("reference %q is not one of ../../assets/{%v}", m[1], assets)
		}
	}
}

// TestPageEscapesEveryValue: markup in any value the page shows (who asks
// comes from S3 metadata anyone with s3:PutObject may write) stays text, in
// text nodes and in attributes alike.
func TestPageEscapesEveryValue(t *testing.T) {
	const hostile = `"><script>alert(1)</script><b onmouseover='x'>&amp;`
	x := newHarness(t)
	x.fake.describe = func(documentID, signer string) (Request, error) {
		r := pending(documentID, signer)
		r.RequestedBy, r.Document.Key, r.Document.VersionID = hostile, hostile, hostile
		return r, nil
	}
	resp := x.do(t, pageRequest("doc-1", "Bob"))
	if resp.StatusCode != 200 {
		t.Fatalf("status %d", resp.StatusCode)
	}
	checkPage(t, resp.Body, true)
	if strings.Contains(resp.Body, "<script>alert") || strings.Contains(resp.Body, "<b onmouseover") || strings.Contains(resp.Body, `"><script`) {
		t.Errorf("markup from a value reached the page:\n%s", resp.Body)
	}
	if n := strings.Count(resp.Body, "&lt;script&gt;alert(1)&lt;/script&gt;"); n != 3 {
		t.Errorf("the hostile value shows escaped %d times, want 3 (key, version, who asks)", n)
	}
}
