package main

import (
	"context"
	"fmt"
	"net"
	"net/url"
	"os"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/config"
	"github.com/aws/aws-sdk-go-v2/credentials"
	"github.com/aws/aws-sdk-go-v2/service/dynamodb"
	"github.com/aws/aws-sdk-go-v2/service/lambda"
	"github.com/aws/aws-sdk-go-v2/service/sfn"
	"github.com/aws/smithy-go/logging"
	"github.com/spf13/cobra"
)

// defaultRegion is used when neither --region, the AWS configuration nor the
// state machine's ARN names one.
const defaultRegion = "us-east-1"

// The local stack's account (no AWS account has it) and default endpoint:
// outputs naming that account are the local stack's, so without an endpoint
// signctl talks to it rather than to AWS.
const (
	localAccountID = "000000000000"
	localEndpoint  = "http://127.0.0.1:4566"
)

// awsOptions are the flags that say where the workflow runs.
type awsOptions struct {
	endpoint    string
	region      string
	outputsFile string
}

// addFlags declares --endpoint, --region and --outputs-file on cmd.
func (o *awsOptions) addFlags(cmd *cobra.Command) {
	f := cmd.Flags()
	f.StringVar(&o.endpoint, "endpoint", "", "endpoint URL of every AWS API (default $AWS_ENDPOINT_URL; else "+localEndpoint+
		" when the outputs are the local stack's, account "+localAccountID+"; else AWS)")
	f.StringVar(&o.region, "region", "", "AWS region (default: AWS config, else the state machine ARN's region, else "+defaultRegion+")")
	f.StringVar(&o.outputsFile, "outputs-file", "", "outputs file of the deployed stack (default "+defaultOutputsFiles[0]+", else "+defaultOutputsFiles[1]+")")
}

// effectiveEndpoint is --endpoint, else $AWS_ENDPOINT_URL; "" means AWS itself.
func (o *awsOptions) effectiveEndpoint() string {
	if o.endpoint != "" {
		return o.endpoint
	}
	return os.Getenv("AWS_ENDPOINT_URL")
}

// awsConfig loads the AWS configuration with the endpoint and region applied.
// regionHint (e.g. from an ARN) is used when nothing else names a region.
// For a loopback endpoint without AWS_ACCESS_KEY_ID it uses placeholder
// credentials: the local stack needs signed requests, not real keys.
func (o *awsOptions) awsConfig(ctx context.Context, regionHint string) (aws.Config, error) {
	// The SDK's own log lines (e.g. IMDS fallbacks) would only clutter the
	// output; its errors reach the user through explain.
	opts := []func(*config.LoadOptions) error{config.WithLogger(logging.Nop{})}
	if o.region != "" {
		opts = append(opts, config.WithRegion(o.region))
	}
	endpoint := o.effectiveEndpoint()
	if endpoint != "" {
		u, err := url.Parse(endpoint)
		if err != nil || u.Scheme == "" || u.Host == "" {
			return aws.Config{}, usageError(fmt.Sprintf("endpoint %q is not a URL like http://127.0.0.1:4566", endpoint))
		}
		opts = append(opts, config.WithBaseEndpoint(endpoint))
		if isLoopback(u.Hostname()) && os.Getenv("AWS_ACCESS_KEY_ID") == "" {
			opts = append(opts, config.WithCredentialsProvider(credentials.NewStaticCredentialsProvider("local", "local", "")))
		}
	}
	cfg, err := config.LoadDefaultConfig(ctx, opts...)
	if err != nil {
		return aws.Config{}, &cliError{Code: "BadAWSConfig", Exit: exitError, Msg: "load the AWS configuration: " + err.Error(), Err: err}
	}
	if cfg.Region == "" {
		cfg.Region = regionHint
	}
	if cfg.Region == "" {
		cfg.Region = defaultRegion
	}
	return cfg, nil
}

func isLoopback(host string) bool {
	if host == "localhost" {
		return true
	}
	ip := net.ParseIP(host)
	return ip != nil && ip.IsLoopback()
}

// session is what a command works with: the stack's names and the clients.
type session struct {
	outputs stackOutputs
	// endpoint is the custom endpoint; "" when talking to AWS itself.
	endpoint string
	sfn      stepFunctionsAPI
	db       dynamoDBAPI
	lambda   lambdaAPI
}

// The SDK methods signctl calls, per service. Commands take narrower
// interfaces of their own; these are what a session holds.
type (
	stepFunctionsAPI interface {
		executionStarter
		historyReader
		definitionReader
	}
	dynamoDBAPI interface {
		itemQuerier
		tableScanner
	}
	lambdaAPI interface {
		functionInvoker
	}
)

var (
	_ stepFunctionsAPI = (*sfn.Client)(nil)
	_ dynamoDBAPI      = (*dynamodb.Client)(nil)
	_ lambdaAPI        = (*lambda.Client)(nil)
)

// target reads the outputs file and returns the stack's names, the options
// to reach it (the local stack's endpoint when the outputs are a local
// stack's and no endpoint was given) and the SDK configuration for it.
func (o *awsOptions) target(ctx context.Context) (stackOutputs, awsOptions, aws.Config, error) {
	outputs, err := readOutputs(o.outputsFile)
	if err != nil {
		return stackOutputs{}, awsOptions{}, aws.Config{}, err
	}
	where := *o
	if where.effectiveEndpoint() == "" && arnAccount(outputs.StateMachineARN) == localAccountID {
		where.endpoint = localEndpoint
	}
	cfg, err := where.awsConfig(ctx, arnRegion(outputs.StateMachineARN))
	return outputs, where, cfg, err
}

// connect reads the outputs file and builds the clients (app.connect).
func connect(ctx context.Context, o *awsOptions) (*session, error) {
	outputs, where, cfg, err := o.target(ctx)
	if err != nil {
		return nil, err
	}
	return &session{
		outputs:  outputs,
		endpoint: where.effectiveEndpoint(),
		sfn:      sfn.NewFromConfig(cfg),
		db:       dynamodb.NewFromConfig(cfg),
		lambda:   lambda.NewFromConfig(cfg),
	}, nil
}
