// Command signpage is the signing page's Lambda, behind the HTTP API's
// public sign/ and assets/ routes: it serves the page a notification's link
// opens and completes the request with the link's one-time code, through
// the same code as complete-signature (internal/completion).
package main

import (
	"context"
	"log/slog"

	"github.com/aws/aws-lambda-go/lambda"
	"github.com/aws/aws-sdk-go-v2/aws"

	"github.com/hitl-go/docsign/internal/completion"
	"github.com/hitl-go/docsign/internal/contract"
	"github.com/hitl-go/docsign/internal/documents"
	"github.com/hitl-go/docsign/internal/event"
	"github.com/hitl-go/docsign/internal/signpage"
)

func main() { event.Start("sign-page", setup) }

func setup(cfg aws.Config, getenv func(string) string) (lambda.Handler, error) {
	completer, fnCfg, err := completion.FromEnv(cfg, getenv)
	if err != nil {
		return nil, err
	}
	h, err := signpage.New(&pageCompleter{Handler: completer, s3: documents.NewClient(cfg)}, fnCfg.CallbackSigners, nil)
	if err != nil {
		return nil, err
	}
	return lambda.NewHandler(h.Handle), nil
}

// pageCompleter is the completion logic as the page sees it.
type pageCompleter struct {
	*completion.Handler
	s3 documents.Header
}

// Describe adds who asks: whoever stored the pinned version through the
// documents API, or else the run.
func (c *pageCompleter) Describe(ctx context.Context, documentID, signer string) (signpage.Request, error) {
	r, err := c.Handler.Describe(ctx, documentID, signer)
	if err != nil {
		return signpage.Request{}, err
	}
	requestedBy, err := documents.UploadedBy(ctx, c.s3, r.Document)
	if err != nil {
		slog.WarnContext(ctx, "who uploaded the document is unknown", "request", r, "error", err)
	}
	if requestedBy == "" {
		requestedBy = "the document-signing workflow, run " + contract.ExecutionName(r.ExecutionARN)
	}
	return signpage.Request{DocumentID: r.DocumentID, Signer: r.Signer, Document: r.Document, ExecutionARN: r.ExecutionARN,
		RequestedBy: requestedBy, Status: r.Status, ExpiresAt: r.ExpiresAt}, nil
}

var _ signpage.Completer = (*pageCompleter)(nil)
