package docsapi

import (
	"bytes"
	"context"
	"errors"
	"net/http"

	"github.com/aws/aws-lambda-go/events"
	"github.com/aws/aws-sdk-go-v2/aws"
	sfntypes "github.com/aws/aws-sdk-go-v2/service/sfn/types"

	"github.com/hitl-go/docsign/internal/contract"
	"github.com/hitl-go/docsign/internal/documents"
	"github.com/hitl-go/docsign/internal/runs"
)

// post stores the document and starts its run.
func (h *Handler) post(ctx context.Context, req events.APIGatewayV2HTTPRequest, caller string) reply {
	id, body, bad := decodePost(req)
	if bad != nil {
		return reply{}.refused(bad)
	}
	r := reply{documentID: id}
	// Asked before the upload: a run pins documents/<id> as it starts, and a
	// re-post must not replace what any run of this id signs or signed.
	run, found, err := runs.Describe(ctx, h.sfn, h.runARN(id))
	switch {
	case err != nil:
		return r.failed(ctx, err)
	case found:
		return r.refused(alreadyStarted(id, "has a run already ("+string(run.Status)+"), so nothing was stored"))
	}
	// Only the first upload of an id is stored: of two posted at once, one
	// is refused rather than both answered 202 with one run signing either.
	_, err = documents.PutNew(ctx, h.s3, h.bucket, id, body, caller)
	if errors.Is(err, documents.ErrExists) {
		// A retry after a failed start finds its own bytes: it starts.
		err = h.sameBytes(ctx, id, body)
	}
	if err != nil {
		return r.failedOrRefused(ctx, id, err)
	}
	// A failure from here is retry-safe: the retry finds no run and the
	// same bytes stored, and starts.
	out, err := runs.Start(ctx, h.sfn, h.stateMachineARN, id)
	var exists *sfntypes.ExecutionAlreadyExists
	switch {
	case errors.As(err, &exists):
		return r.refused(alreadyStarted(id, "had its run started by another request meanwhile; that run signs the version it pins"))
	case err != nil:
		return r.failed(ctx, err)
	}
	r.status, r.body = http.StatusAccepted, Started{DocumentID: id, ExecutionARN: aws.ToString(out.ExecutionArn)}
	return r
}

// errOtherBytes reports that the id's document holds other bytes than posted.
var errOtherBytes = errors.New("other bytes")

// sameBytes checks that the id's current version holds body.
func (h *Handler) sameBytes(ctx context.Context, id string, body []byte) error {
	stored, err := documents.Pin(ctx, h.s3, h.bucket, id)
	if err != nil {
		return err
	}
	if sum, _ := documents.Hash(bytes.NewReader(body)); sum != stored.SHA256 {
		return errOtherBytes
	}
	return nil
}

// failedOrRefused answers a failed upload: 409 when the id holds another
// document, else as any failure.
func (r reply) failedOrRefused(ctx context.Context, id string, err error) reply {
	if errors.Is(err, errOtherBytes) {
		return r.refused(alreadyStarted(id, "is stored already with other bytes (posted by another request), so nothing was stored"))
	}
	return r.failed(ctx, err)
}

// alreadyStarted refuses a second run of a document, saying what happened.
func alreadyStarted(id, what string) *refusal {
	return refuse(http.StatusConflict, contract.ErrorDocumentAlreadyStarted,
		"document %s %s: a document is signed once; to sign it again, post it under a new id (such as a version suffix, -v2)", id, what)
}
