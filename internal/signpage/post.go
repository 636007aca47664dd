package signpage

import (
	"context"
	"strings"

	"github.com/aws/aws-lambda-go/events"

	"github.com/hitl-go/docsign/internal/contract"
)

// answer completes the request with the code and decision the page's
// script POSTs. Only a well-formed answer for a callback signer, with a
// code of the right shape, reaches the completer.
func (h *Handler) answer(ctx context.Context, req events.APIGatewayV2HTTPRequest) reply {
	documentID, signer, p := h.target(req.PathParameters)
	if p != nil {
		return jsonError(p.status, p.errorType, p.message)
	}
	a, r := decodeAnswer(header(req.Headers, "content-type"), req.Body, req.IsBase64Encoded)
	if r != nil {
		return *r
	}
	in := contract.CompleteInput{DocumentID: documentID, Signer: signer, Decision: a.decision, Reason: a.reason}
	res, err := h.completer.CompleteByLink(ctx, in, a.code)
	if err != nil {
		return completerError(err, a.code)
	}
	return jsonReply(200, res, "")
}

// problem is why a request cannot be answered, before any completer call.
type problem struct {
	status    int
	errorType string
	message   string
}

// target returns the document and signer a path names, or the problem
// with them: a malformed value, or a signer who is asked by no link.
func (h *Handler) target(params map[string]string) (documentID, signer string, p *problem) {
	documentID, signer = params[contract.DocumentIDPathParameter], params[contract.SignerPathParameter]
	if err := contract.CheckDocumentID(documentID); err != nil {
		return "", "", &problem{400, contract.ErrorInvalidInput, "invalid input: " + err.Error()}
	}
	if err := contract.CheckSigner(signer); err != nil {
		return "", "", &problem{400, contract.ErrorInvalidInput, "invalid input: " + err.Error()}
	}
	if !h.signers[signer] {
		return "", "", &problem{404, contract.ErrorSignatureRequestNotFound, "no signature request for this document and signer"}
	}
	return documentID, signer, nil
}

// header returns a request header. Format 2.0 lower-cases names; a name in
// another case (a hand-made event) is found too.
func header(h map[string]string, name string) string {
	if v, ok := h[name]; ok {
		return v
	}
	for k, v := range h {
		if strings.EqualFold(k, name) {
			return v
		}
	}
	return ""
}
