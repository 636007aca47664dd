// Command pindocument is the pin-document Lambda, the run's first state: it
// pins the current version of documents/<documentId> — bucket, key, version
// id and SHA-256 — so that every signature of the run is over those bytes.
package main

import (
	"context"
	"fmt"
	"log/slog"
	"os"

	"github.com/aws/aws-lambda-go/lambda"
	"github.com/aws/aws-lambda-go/lambdacontext"
	"github.com/aws/aws-sdk-go-v2/config"

	"github.com/hitl-go/docsign/internal/contract"
	"github.com/hitl-go/docsign/internal/documents"
	"github.com/hitl-go/docsign/internal/event"
)

func main() {
	slog.SetDefault(lambdacontext.NewLogger())
	if err := run(); err != nil {
		slog.Error("pin-document cannot start", "error", err)
		os.Exit(1)
	}
}

func run() error {
	bucket := os.Getenv(contract.EnvDocumentBucket)
	if bucket == "" {
		return fmt.Errorf("%s is not set", contract.EnvDocumentBucket)
	}
	cfg, err := config.LoadDefaultConfig(context.Background())
	if err != nil {
		return fmt.Errorf("load AWS configuration: %w", err)
	}
	lambda.Start(event.Handler(NewHandler(documents.NewClient(cfg), bucket).Handle))
	return nil
}
