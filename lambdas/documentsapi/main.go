// Command documentsapi is the documents API's Lambda, behind the HTTP API's
// AWS_IAM routes: POST documents/<documentId> stores the document and starts
// its run; GET documents/<documentId> reports the run and its signatures.
package main

import (
	"github.com/aws/aws-lambda-go/lambda"
	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/dynamodb"
	"github.com/aws/aws-sdk-go-v2/service/sfn"

	"github.com/hitl-go/docsign/internal/contract"
	"github.com/hitl-go/docsign/internal/docsapi"
	"github.com/hitl-go/docsign/internal/documents"
	"github.com/hitl-go/docsign/internal/event"
	"github.com/hitl-go/docsign/internal/tokenstore"
)

func main() { event.Start("documents-api", setup) }

func setup(cfg aws.Config, getenv func(string) string) (lambda.Handler, error) {
	env := map[string]string{}
	for _, name := range []string{contract.EnvDocumentBucket, contract.EnvStateMachineARN, contract.EnvTableName} {
		v, err := event.Require(getenv, name)
		if err != nil {
			return nil, err
		}
		env[name] = v
	}
	h, err := docsapi.New(documents.NewClient(cfg), sfn.NewFromConfig(cfg),
		tokenstore.New(dynamodb.NewFromConfig(cfg), env[contract.EnvTableName]),
		docsapi.Config{Bucket: env[contract.EnvDocumentBucket], StateMachineARN: env[contract.EnvStateMachineARN]})
	if err != nil {
		return nil, err
	}
	return lambda.NewHandler(h.Handle), nil
}
