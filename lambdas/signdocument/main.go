// Command signdocument is the sign-document Lambda: an automatic signer's
// signature of the run's pinned document, sealed with the stack's KMS key,
// recorded in the token table and returned at once.
package main

import (
	"github.com/aws/aws-lambda-go/lambda"
	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/dynamodb"

	"github.com/hitl-go/docsign/internal/contract"
	"github.com/hitl-go/docsign/internal/event"
	"github.com/hitl-go/docsign/internal/signing"
	"github.com/hitl-go/docsign/internal/tokenstore"
)

func main() { event.Start("sign-document", setup) }

func setup(cfg aws.Config, getenv func(string) string) (lambda.Handler, error) {
	table, err := event.Require(getenv, contract.EnvTableName)
	if err != nil {
		return nil, err
	}
	sealer, err := signing.New(cfg, getenv)
	if err != nil {
		return nil, err
	}
	store := tokenstore.New(dynamodb.NewFromConfig(cfg), table)
	return event.Handler(NewHandler(sealer, store).Handle), nil
}
