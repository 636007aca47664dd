package event

import (
	"context"
	"fmt"
	"log/slog"
	"os"

	"github.com/aws/aws-lambda-go/lambda"
	"github.com/aws/aws-lambda-go/lambdacontext"
	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/config"
)

// Setup builds a function's handler from the AWS configuration and the
// environment, once, before the first invocation.
type Setup func(cfg aws.Config, getenv func(string) string) (lambda.Handler, error)

// Start runs a Lambda function: JSON log lines carrying the request id, the
// AWS configuration loaded once, the handler setup builds. A setup error (a
// variable the stack did not set, say) is logged and stops the function at
// start, so a misconfigured function never answers an invocation.
func Start(function string, setup Setup) {
	slog.SetDefault(lambdacontext.NewLogger())
	h, err := build(setup, os.Getenv)
	if err != nil {
		slog.Error(function+" cannot start", "error", err)
		os.Exit(1)
	}
	lambda.Start(h)
}

func build(setup Setup, getenv func(string) string) (lambda.Handler, error) {
	cfg, err := config.LoadDefaultConfig(context.Background())
	if err != nil {
		return nil, fmt.Errorf("load AWS configuration: %w", err)
	}
	return setup(cfg, getenv)
}

// Require returns the environment variable name, or an error naming it
// when it is unset or empty.
func Require(getenv func(string) string, name string) (string, error) {
	v := getenv(name)
	if v == "" {
		return "", fmt.Errorf("%s is not set", name)
	}
	return v, nil
}
