package signpage

import (
	"context"
	_ "embed"
	"time"

	"github.com/hitl-go/docsign/internal/contract"
)

// pageView is what the page shows (render): a request, or a problem.
type pageView struct {
	Title     string
	Status    string // data-status: the request's status, "" for a problem
	ErrorType string // data-error-type: "" when a request is shown
	Request   *requestView
	Problem   *problemView
}

type requestView struct {
	DocumentID, Signer                  string
	Key, VersionID, SHA256, RequestedBy string
	Deadline, DeadlineText              string // RFC 3339 and readable, UTC; "" when unknown
	StatusText                          string
	Pending                             bool   // the only status with buttons
	Closed                              string // what a closed request's page says instead
	MaxReason                           int
}

type problemView struct{ Heading, Text string }

// page answers GET /sign/{documentId}/{signer}: it only reads, so mail
// scanners and link previews that fetch the link change nothing.
func (h *Handler) page(ctx context.Context, params map[string]string) reply {
	documentID, signer, p := h.target(params)
	if p != nil {
		return problemPage(p.status, p.errorType)
	}
	req, err := h.completer.Describe(ctx, documentID, signer)
	if err != nil {
		status, errorType, ok := faultStatus(err)
		if !ok || (status != 404 && status != 503) { // Describe promises only these
			status, errorType = 500, errorInternal
		}
		r := problemPage(status, errorType)
		if status != 404 {
			r.detail = detail(err, "")
		}
		return r
	}
	return htmlPage(200, pageView{
		Title:   "Signature request for document " + documentID,
		Status:  string(h.shownStatus(req)),
		Request: h.requestView(documentID, signer, req),
	}, "")
}

// shownStatus is the request's status, but EXPIRED for a pending request
// past its deadline (the table's TTL lags): no button that cannot work.
func (h *Handler) shownStatus(req Request) contract.Status {
	if req.Status == contract.StatusPending && !req.ExpiresAt.IsZero() && !h.now().Before(req.ExpiresAt) {
		return contract.StatusExpired
	}
	return req.Status
}

func (h *Handler) requestView(documentID, signer string, req Request) *requestView {
	status := h.shownStatus(req)
	v := &requestView{
		DocumentID: documentID, Signer: signer,
		Key: req.Document.Key, VersionID: req.Document.VersionID, SHA256: req.Document.SHA256,
		RequestedBy: req.RequestedBy, Pending: status == contract.StatusPending,
		MaxReason: contract.MaxReasonLength,
	}
	if v.RequestedBy == "" {
		v.RequestedBy = "not stated"
	}
	if !req.ExpiresAt.IsZero() {
		at := req.ExpiresAt.UTC()
		v.Deadline, v.DeadlineText = at.Format(time.RFC3339), at.Format("Monday 2 January 2006, 15:04:05 UTC")
	}
	switch status {
	case contract.StatusPending:
		v.StatusText = "Waiting for your decision"
	case contract.StatusSigned:
		v.StatusText, v.Closed = "Signed", "This document has been signed. There is nothing more to do."
	case contract.StatusDeclined:
		v.StatusText, v.Closed = "Declined", "This request was declined. There is nothing more to do."
	case contract.StatusExpired:
		v.StatusText, v.Closed = "Expired", "This request has expired: its deadline passed or its run ended. It can no longer be signed."
	default:
		v.StatusText, v.Closed = string(status), "This request cannot be answered here."
	}
	return v
}

// problems are the headings and texts of the pages shown instead of a
// request, by error type.
var problems = map[string]problemView{
	contract.ErrorInvalidInput: {"This signing link is not valid",
		"The link's address is damaged. Open the link from your notification exactly as it was sent."},
	contract.ErrorSignatureRequestNotFound: {"No signature request here",
		"There is no signature request for this document and signer. Check that you opened the whole link from your notification."},
	contract.ErrorSignatureServiceUnavailable: {"Please try again in a moment",
		"The signing service is busy or briefly unavailable. Open the link from your notification again in a few seconds."},
	errorInternal: {"Something went wrong",
		"This page could not be shown. Open the link from your notification again later."},
}

func problemPage(status int, errorType string) reply {
	p := problems[errorType]
	return htmlPage(status, pageView{Title: p.Heading, ErrorType: errorType, Problem: &p}, errorType)
}

// htmlPage is the rendered page as an answer.
func htmlPage(status int, v pageView, errorType string) reply {
	return reply{status: status, contentType: typeHTML, body: render(v), errorType: errorType, retryAfter: status == 503}
}
