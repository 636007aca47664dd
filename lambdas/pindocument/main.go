// Command pindocument is the pin-document Lambda, the run's first state: it
// pins the current version of documents/<documentId> — bucket, key, version
// id and SHA-256 — so that every signature of the run is over those bytes.
package main

import (
	"github.com/aws/aws-lambda-go/lambda"
	"github.com/aws/aws-sdk-go-v2/aws"

	"github.com/hitl-go/docsign/internal/contract"
	"github.com/hitl-go/docsign/internal/documents"
	"github.com/hitl-go/docsign/internal/event"
)

func main() { event.Start("pin-document", setup) }

func setup(cfg aws.Config, getenv func(string) string) (lambda.Handler, error) {
	bucket, err := event.Require(getenv, contract.EnvDocumentBucket)
	if err != nil {
		return nil, err
	}
	return event.Handler(NewHandler(documents.NewClient(cfg), bucket).Handle), nil
}
