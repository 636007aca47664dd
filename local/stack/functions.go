package stack

import (
	"context"
	"fmt"

	"github.com/hitl-go/docsign/local/cloudformation"
	"github.com/hitl-go/docsign/local/lambda"
)

// Credentials the functions' SDKs sign with: the local services accept any.
const (
	dummyAccessKeyID     = "local"
	dummySecretAccessKey = "local"
)

// platformEnv is what every function process gets besides its template
// environment: the local endpoint for its SDK calls and credentials to sign
// them, as Lambda injects credentials without listing them.
//
// AWS_ENDPOINT_URL sends every client there, S3 and KMS included. S3 needs
// path-style requests (local/s3/doc.go), and the Go SDK's config loader reads
// no setting for that (s3.Options.UsePathStyle is code only); it needs none
// here: the endpoint is always an IP address (listen in addr.go), and the S3
// endpoint rules address buckets by path on an IP endpoint, as
// storage_sdk_test.go checks with a client configured from this environment.
func platformEnv(endpoint, region string) map[string]string {
	return map[string]string{
		"AWS_ENDPOINT_URL":      endpoint,
		"AWS_ACCESS_KEY_ID":     dummyAccessKeyID,
		"AWS_SECRET_ACCESS_KEY": dummySecretAccessKey,
		"AWS_REGION":            region,
		"AWS_DEFAULT_REGION":    region,
	}
}

// registerFunctions adds each function, with its template configuration and
// built binary, to the Lambda host.
func registerFunctions(host *lambda.Host, fns []cloudformation.Function, binaries map[string]string) error {
	for _, fn := range fns {
		cfg := lambda.FunctionConfig{
			Name:                fn.Name,
			ARN:                 fn.ARN,
			Executable:          binaries[fn.Name],
			Env:                 fn.Environment,
			Timeout:             fn.Timeout,
			MemoryMB:            fn.MemorySize,
			Handler:             fn.Handler,
			Runtime:             fn.Runtime,
			Role:                fn.RoleARN,
			Description:         fn.Description,
			TracingMode:         fn.TracingMode,
			LogFormat:           fn.LogFormat,
			LogGroup:            fn.LogGroup,
			ApplicationLogLevel: fn.ApplicationLogLevel,
		}
		if fn.ReservedConcurrency != nil {
			cfg.ReservedConcurrency = *fn.ReservedConcurrency
		}
		if err := host.Register(cfg); err != nil {
			return fmt.Errorf("register function %s: %w", fn.Name, err)
		}
	}
	return nil
}

// invokeOn invokes functions on the Lambda host synchronously, in the shape
// both the Step Functions engine's and API Gateway's invokers take
// (stepfunctions.InvokerFunc, apigateway.InvokerFunc).
func invokeOn(host *lambda.Host) func(ctx context.Context, function string, payload []byte) ([]byte, string, error) {
	return func(ctx context.Context, function string, payload []byte) ([]byte, string, error) {
		out, err := host.Invoke(ctx, function, payload)
		if err != nil {
			return nil, "", err
		}
		return out.Payload, out.FunctionError, nil
	}
}
