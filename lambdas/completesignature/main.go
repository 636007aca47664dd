// Command completesignature is the complete-signature Lambda: it claims a
// callback signer's pending request and resumes the run with SendTaskSuccess
// (sign) or SendTaskFailure (decline), exactly once.
package main

import (
	"github.com/aws/aws-lambda-go/lambda"
	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/dynamodb"
	"github.com/aws/aws-sdk-go-v2/service/sfn"

	"github.com/hitl-go/docsign/internal/completion"
	"github.com/hitl-go/docsign/internal/event"
	"github.com/hitl-go/docsign/internal/signing"
	"github.com/hitl-go/docsign/internal/tokenstore"
)

func main() { event.Start("complete-signature", setup) }

func setup(cfg aws.Config, getenv func(string) string) (lambda.Handler, error) {
	fnCfg, err := completion.LoadConfig(getenv)
	if err != nil {
		return nil, err
	}
	sealer, err := signing.New(cfg, getenv)
	if err != nil {
		return nil, err
	}
	store := tokenstore.New(dynamodb.NewFromConfig(cfg), fnCfg.TableName)
	return event.Handler(completion.NewHandler(store, sfn.NewFromConfig(cfg), sealer, fnCfg).Handle), nil
}
