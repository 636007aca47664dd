// Command signdocument is the sign-document Lambda: an automatic signer's
// signature of the run's pinned document, sealed with the stack's KMS key,
// recorded in the token table and returned at once.
package main

import (
	"context"
	"fmt"
	"log/slog"
	"os"

	"github.com/aws/aws-lambda-go/lambda"
	"github.com/aws/aws-lambda-go/lambdacontext"
	"github.com/aws/aws-sdk-go-v2/config"
	"github.com/aws/aws-sdk-go-v2/service/dynamodb"

	"github.com/hitl-go/docsign/internal/contract"
	"github.com/hitl-go/docsign/internal/event"
	"github.com/hitl-go/docsign/internal/signing"
	"github.com/hitl-go/docsign/internal/tokenstore"
)

func main() {
	slog.SetDefault(lambdacontext.NewLogger())
	if err := run(); err != nil {
		slog.Error("sign-document cannot start", "error", err)
		os.Exit(1)
	}
}

func run() error {
	table := os.Getenv(contract.EnvTableName)
	if table == "" {
		return fmt.Errorf("%s is not set", contract.EnvTableName)
	}
	cfg, err := config.LoadDefaultConfig(context.Background())
	if err != nil {
		return fmt.Errorf("load AWS configuration: %w", err)
	}
	sealer, err := signing.New(cfg, os.Getenv)
	if err != nil {
		return err
	}
	store := tokenstore.New(dynamodb.NewFromConfig(cfg), table)
	lambda.Start(event.Handler(NewHandler(sealer, store).Handle))
	return nil
}
