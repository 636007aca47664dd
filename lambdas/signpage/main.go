// Command signpage is the signing page's Lambda, behind the HTTP API's
// public sign/ and assets/ routes: it serves the page a notification's link
// opens, and passes the signer's answer with the link's one-time code on to
// complete-signature. Being reachable by anyone, it may only read the
// request and invoke that function: no signing, no task tokens.
package main

import (
	"context"
	"log/slog"

	"github.com/aws/aws-lambda-go/lambda"
	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/dynamodb"
	awslambda "github.com/aws/aws-sdk-go-v2/service/lambda"

	"github.com/hitl-go/docsign/internal/completion"
	"github.com/hitl-go/docsign/internal/contract"
	"github.com/hitl-go/docsign/internal/documents"
	"github.com/hitl-go/docsign/internal/event"
	"github.com/hitl-go/docsign/internal/signpage"
	"github.com/hitl-go/docsign/internal/tokenstore"
)

func main() { event.Start("sign-page", setup) }

func setup(cfg aws.Config, getenv func(string) string) (lambda.Handler, error) {
	table, err := event.Require(getenv, contract.EnvTableName)
	if err != nil {
		return nil, err
	}
	complete, err := event.Require(getenv, contract.EnvCompleteFunction)
	if err != nil {
		return nil, err
	}
	signers, err := completion.CallbackSigners(getenv)
	if err != nil {
		return nil, err
	}
	c := &pageCompleter{
		Remote:  completion.Remote{Lambda: awslambda.NewFromConfig(cfg), Function: complete},
		store:   tokenstore.New(dynamodb.NewFromConfig(cfg), table),
		signers: signers,
		s3:      documents.NewClient(cfg),
	}
	h, err := signpage.New(c, signers, nil)
	if err != nil {
		return nil, err
	}
	return lambda.NewHandler(h.Handle), nil
}

// pageCompleter is the completion logic as the page sees it: requests read
// from the table, answers passed on to complete-signature.
type pageCompleter struct {
	completion.Remote
	store   completion.Reader
	signers []string
	s3      documents.Header
}

// Describe adds who asks: whoever stored the pinned version through the
// documents API, or else the run.
func (c *pageCompleter) Describe(ctx context.Context, documentID, signer string) (signpage.Request, error) {
	r, err := completion.Describe(ctx, c.store, c.signers, documentID, signer)
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
