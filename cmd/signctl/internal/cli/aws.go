package cli

import (
	"context"
	"fmt"
	"net"
	"net/url"
	"os"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/config"
	"github.com/aws/aws-sdk-go-v2/credentials"
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

// Options are the flags that say where the workflow runs.
type Options struct {
	Endpoint    string
	Region      string
	OutputsFile string
}

// AddFlags declares --endpoint, --region and --outputs-file on cmd.
func (o *Options) AddFlags(cmd *cobra.Command) {
	f := cmd.Flags()
	f.StringVar(&o.Endpoint, "endpoint", "", "endpoint URL of every AWS API (default $AWS_ENDPOINT_URL; else "+localEndpoint+
		" when the outputs are the local stack's, account "+localAccountID+"; else AWS)")
	f.StringVar(&o.Region, "region", "", "AWS region (default: AWS config, else the state machine ARN's region, else "+defaultRegion+")")
	f.StringVar(&o.OutputsFile, "outputs-file", "", "outputs file of the deployed stack (default "+defaultOutputsFiles[0]+", else "+defaultOutputsFiles[1]+")")
}

// EffectiveEndpoint is --endpoint, else $AWS_ENDPOINT_URL; "" means AWS itself.
func (o *Options) EffectiveEndpoint() string {
	if o.Endpoint != "" {
		return o.Endpoint
	}
	return os.Getenv("AWS_ENDPOINT_URL")
}

// Config loads the AWS configuration with the endpoint and region applied.
// regionHint (e.g. from an ARN) is used when nothing else names a region.
// For a loopback endpoint without AWS_ACCESS_KEY_ID it uses placeholder
// credentials: the local stack needs signed requests, not real keys.
func (o *Options) Config(ctx context.Context, regionHint string) (aws.Config, error) {
	// The SDK's own log lines (e.g. IMDS fallbacks) would only clutter the
	// output; its errors reach the user through Explain.
	opts := []func(*config.LoadOptions) error{config.WithLogger(logging.Nop{})}
	if o.Region != "" {
		opts = append(opts, config.WithRegion(o.Region))
	}
	endpoint := o.EffectiveEndpoint()
	if endpoint != "" {
		u, err := url.Parse(endpoint)
		if err != nil || u.Scheme == "" || u.Host == "" {
			return aws.Config{}, UsageError(fmt.Sprintf("endpoint %q is not a URL like http://127.0.0.1:4566", endpoint))
		}
		opts = append(opts, config.WithBaseEndpoint(endpoint))
		if isLoopback(u.Hostname()) && os.Getenv("AWS_ACCESS_KEY_ID") == "" {
			opts = append(opts, config.WithCredentialsProvider(credentials.NewStaticCredentialsProvider("local", "local", "")))
		}
	}
	cfg, err := config.LoadDefaultConfig(ctx, opts...)
	if err != nil {
		return aws.Config{}, &Error{Code: "BadAWSConfig", Exit: ExitError, Msg: "load the AWS configuration: " + err.Error(), Err: err}
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

// Target reads the outputs file and returns the stack's names, the options
// to reach it (the local stack's endpoint when the outputs are a local
// stack's and no endpoint was given) and the SDK configuration for it.
func (o *Options) Target(ctx context.Context) (Outputs, Options, aws.Config, error) {
	outputs, err := ReadOutputs(o.OutputsFile)
	if err != nil {
		return Outputs{}, Options{}, aws.Config{}, err
	}
	where := *o
	if where.EffectiveEndpoint() == "" && ARNAccount(outputs.StateMachineARN) == localAccountID {
		where.Endpoint = localEndpoint
	}
	cfg, err := where.Config(ctx, ARNRegion(outputs.StateMachineARN))
	return outputs, where, cfg, err
}
