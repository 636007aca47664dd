package docsapi

import (
	"context"
	"errors"
	"fmt"
	"net/http"

	"github.com/aws/aws-lambda-go/events"

	"github.com/hitl-go/docsign/internal/contract"
	"github.com/hitl-go/docsign/internal/runs"
	"github.com/hitl-go/docsign/internal/signature"
	"github.com/hitl-go/docsign/internal/tokenstore"
)

// get reports the document's run and its signers.
func (h *Handler) get(ctx context.Context, req events.APIGatewayV2HTTPRequest) reply {
	id, bad := documentID(req)
	if bad != nil {
		return reply{}.refused(bad)
	}
	r, arn := reply{documentID: id}, h.runARN(id)
	run, found, err := runs.Describe(ctx, h.sfn, arn)
	switch {
	case err != nil:
		return r.failed(ctx, err)
	case !found:
		return r.refused(refuse(http.StatusNotFound, contract.ErrorDocumentNotStarted,
			"document %s has no run: it was never started, or its run ended more than 90 days ago", id))
	}
	reqs, err := h.signers.List(ctx, id)
	if err != nil {
		return r.failed(ctx, err)
	}
	status := DocumentStatus{DocumentID: id, ExecutionARN: arn, Status: string(run.Status), Signers: []SignerStatus{}}
	var unreadable []error
	for _, req := range reqs {
		if req.ExecutionARN != arn {
			continue // another state machine's run of the same id (a redeployed stack): not this run's signer
		}
		if status.Document == nil && req.Document != (signature.Document{}) {
			doc := req.Document
			status.Document = &doc
		}
		s, err := signerStatus(req)
		if err != nil {
			unreadable = append(unreadable, err)
		}
		status.Signers = append(status.Signers, s)
	}
	r.status, r.body, r.cause = http.StatusOK, status, errors.Join(unreadable...)
	return r
}

// signerStatus is what GET shows of a request. A stored signature that
// cannot be opened is left out and reported, for the log.
func signerStatus(req tokenstore.Request) (SignerStatus, error) {
	s := SignerStatus{Signer: req.Signer, Status: req.Status, Reason: req.Reason}
	if !req.CompletedAt.IsZero() {
		s.CompletedAt = req.CompletedAt.UTC()
	}
	if req.JWS == "" {
		return s, nil
	}
	env, _, err := signature.Open(req.JWS)
	if err != nil {
		return s, fmt.Errorf("the stored signature of %s cannot be read: %w", req.Signer, err)
	}
	s.Envelope = &env
	return s, nil
}
