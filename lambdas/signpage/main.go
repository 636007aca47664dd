// Command signpage is the signing page's Lambda, behind the HTTP API's
// public sign/ and assets/ routes: it serves the page a notification's link
// opens, and passes the signer's answer with the link's one-time code on to
// complete-signature. Being reachable by anyone, it may only read the
// request, the pinned version's metadata (who uploaded it) and invoke that
// function: no signing, no task tokens, no listing of documents.
package main

import (
	"github.com/aws/aws-lambda-go/lambda"
	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/dynamodb"
	awslambda "github.com/aws/aws-sdk-go-v2/service/lambda"

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
	signers, err := contract.ParseCallbackSigners(getenv(contract.EnvCallbackSigners))
	if err != nil {
		return nil, err
	}
	remote := &signpage.Remote{Table: tokenstore.New(dynamodb.NewFromConfig(cfg), table), Documents: documents.NewClient(cfg),
		Lambda: awslambda.NewFromConfig(cfg), Function: complete}
	h, err := signpage.New(remote, signers, nil)
	if err != nil {
		return nil, err
	}
	return lambda.NewHandler(h.Handle), nil
}
