package signpage

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"log/slog"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/lambda"

	"github.com/hitl-go/docsign/internal/contract"
	"github.com/hitl-go/docsign/internal/documents"
	"github.com/hitl-go/docsign/internal/fault"
	"github.com/hitl-go/docsign/internal/tokenstore"
)

// Reader is what the page reads of the token table.
type Reader interface {
	Get(ctx context.Context, k tokenstore.Key) (tokenstore.Request, error)
}

// Invoker lists the Lambda call the page makes.
type Invoker interface {
	Invoke(context.Context, *lambda.InvokeInput, ...func(*lambda.Options)) (*lambda.InvokeOutput, error)
}

var (
	_ Reader    = (*tokenstore.Store)(nil)
	_ Invoker   = (*lambda.Client)(nil)
	_ Completer = (*Remote)(nil)
)

// Remote is the Completer of the deployed page. It reads requests from the
// table and passes answers, with the link's code, to the complete-signature
// function, which checks the code and signs: the internet-facing page holds
// no right to sign, resume runs or read their history.
type Remote struct {
	Table     Reader
	Documents documents.Header // who uploaded the pinned version
	Lambda    Invoker
	Function  string // complete-signature's name or ARN
}

// Describe reads the signer's request, without its token or code hash. It
// changes nothing: mail scanners open links too. The Handler asks only for
// valid ids and callback signers (target). Who asks is whoever stored the
// pinned version through the documents API, or else the run.
func (r *Remote) Describe(ctx context.Context, documentID, signer string) (Request, error) {
	key := tokenstore.Key{DocumentID: documentID, Signer: signer}
	req, err := r.Table.Get(ctx, key)
	switch {
	case errors.Is(err, tokenstore.ErrNotFound):
		return Request{}, fault.NotFound("no signature request for document %s and signer %s", key.DocumentID, key.Signer)
	case err != nil:
		return Request{}, fault.Unavailable("read signature request %s: %v; retry", key, err)
	}
	requestedBy, err := documents.UploadedBy(ctx, r.Documents, req.Document)
	if err != nil {
		slog.WarnContext(ctx, "who uploaded the document is unknown", "request", req, "error", err)
	}
	if requestedBy == "" {
		requestedBy = "the document-signing workflow, run " + contract.ExecutionName(req.ExecutionARN)
	}
	return Request{DocumentID: req.DocumentID, Signer: req.Signer, Document: req.Document, ExecutionARN: req.ExecutionARN,
		RequestedBy: requestedBy, Status: req.Status, ExpiresAt: req.ExpiresAt}, nil
}

// CompleteByLink passes the signer's answer and the code on. The function's
// typed errors come back as the same *fault types; anything else is
// *fault.SignatureServiceUnavailable. The code is never quoted in an error.
func (r *Remote) CompleteByLink(ctx context.Context, in contract.CompleteInput, code string) (contract.CompleteResult, error) {
	in.Code = code
	payload, err := json.Marshal(in)
	if err != nil {
		return contract.CompleteResult{}, fmt.Errorf("encode the answer: %w", err)
	}
	out, err := r.Lambda.Invoke(ctx, &lambda.InvokeInput{FunctionName: aws.String(r.Function), Payload: payload})
	if err != nil {
		return contract.CompleteResult{}, fault.Unavailable("invoke %s: %v; retry", r.Function, err)
	}
	if out.FunctionError != nil {
		var e struct{ ErrorType, ErrorMessage string }
		_ = json.Unmarshal(out.Payload, &e)
		if typed, ok := fault.Of(e.ErrorType, e.ErrorMessage); ok {
			return contract.CompleteResult{}, typed
		}
		return contract.CompleteResult{}, fault.Unavailable("%s failed (%s %s); retry", r.Function, aws.ToString(out.FunctionError), e.ErrorType)
	}
	var res contract.CompleteResult
	if err := json.Unmarshal(out.Payload, &res); err != nil || res.Status == "" {
		return contract.CompleteResult{}, fault.Unavailable("%s answered something other than a result; retry", r.Function)
	}
	return res, nil
}
