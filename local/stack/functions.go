package stack

import (
	"context"
	"fmt"

	"github.com/hitl-go/docsign/local/cloudformation"
	"github.com/hitl-go/docsign/local/lambda"
	"github.com/hitl-go/docsign/local/stepfunctions"
)

// Credentials the functions' SDKs sign with: the local services accept any.
const (
	dummyAccessKeyID     = "local"
	dummySecretAccessKey = "local"
)

// platformEnv is what every function process gets besides its template
// environment: the local endpoint for its SDK calls and credentials to sign
// them, as Lambda injects credentials without listing them.
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

// hostInvoker lets the Step Functions engine call functions on the Lambda host.
func hostInvoker(host *lambda.Host) stepfunctions.Invoker {
	return stepfunctions.InvokerFunc(func(ctx context.Context, arn string, payload []byte) ([]byte, string, error) {
		out, err := host.Invoke(ctx, arn, payload)
		if err != nil {
			return nil, "", err
		}
		return out.Payload, out.FunctionError, nil
	})
}
