// Command completesignature is the complete-signature Lambda: it claims a
// callback signer's pending request and resumes the run with SendTaskSuccess
// (sign) or SendTaskFailure (decline), exactly once.
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
	"github.com/aws/aws-sdk-go-v2/service/sfn"

	"github.com/hitl-go/docsign/internal/event"
	"github.com/hitl-go/docsign/internal/signing"
	"github.com/hitl-go/docsign/internal/tokenstore"
)

func main() {
	slog.SetDefault(lambdacontext.NewLogger())
	if err := run(); err != nil {
		slog.Error("complete-signature cannot start", "error", err)
		os.Exit(1)
	}
}

func run() error {
	cfg, err := loadConfig(os.Getenv)
	if err != nil {
		return err
	}
	awsCfg, err := config.LoadDefaultConfig(context.Background())
	if err != nil {
		return fmt.Errorf("load AWS configuration: %w", err)
	}
	sealer, err := signing.New(awsCfg, os.Getenv)
	if err != nil {
		return err
	}
	store := tokenstore.New(dynamodb.NewFromConfig(awsCfg), cfg.TableName)
	h := NewHandler(store, sfn.NewFromConfig(awsCfg), sealer, cfg)
	lambda.Start(event.Handler(h.Handle))
	return nil
}
