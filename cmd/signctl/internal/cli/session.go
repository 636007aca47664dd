package cli

import (
	"context"

	"github.com/aws/aws-sdk-go-v2/service/dynamodb"
	"github.com/aws/aws-sdk-go-v2/service/kms"
	"github.com/aws/aws-sdk-go-v2/service/lambda"
	"github.com/aws/aws-sdk-go-v2/service/s3"
	"github.com/aws/aws-sdk-go-v2/service/sfn"

	"github.com/hitl-go/docsign/internal/documents"
)

// Session is what a command works with: the stack's names and the clients.
type Session struct {
	Outputs Outputs
	// Endpoint is the custom endpoint; "" when talking to AWS itself.
	Endpoint string
	SFN      StepFunctions
	DB       DynamoDB
	Lambda   Lambda
	S3       S3  // the document bucket
	KMS      KMS // the signing key
}

// The SDK methods the operator commands call, per service. Commands take
// narrower interfaces of their own; these are what a Session holds.
type (
	StepFunctions interface {
		StartExecution(context.Context, *sfn.StartExecutionInput, ...func(*sfn.Options)) (*sfn.StartExecutionOutput, error)
		DescribeExecution(context.Context, *sfn.DescribeExecutionInput, ...func(*sfn.Options)) (*sfn.DescribeExecutionOutput, error)
		GetExecutionHistory(context.Context, *sfn.GetExecutionHistoryInput, ...func(*sfn.Options)) (*sfn.GetExecutionHistoryOutput, error)
		DescribeStateMachine(context.Context, *sfn.DescribeStateMachineInput, ...func(*sfn.Options)) (*sfn.DescribeStateMachineOutput, error)
	}
	DynamoDB interface {
		Query(context.Context, *dynamodb.QueryInput, ...func(*dynamodb.Options)) (*dynamodb.QueryOutput, error)
		Scan(context.Context, *dynamodb.ScanInput, ...func(*dynamodb.Options)) (*dynamodb.ScanOutput, error)
	}
	Lambda interface {
		Invoke(context.Context, *lambda.InvokeInput, ...func(*lambda.Options)) (*lambda.InvokeOutput, error)
	}
	S3 interface {
		PutObject(context.Context, *s3.PutObjectInput, ...func(*s3.Options)) (*s3.PutObjectOutput, error)
	}
	KMS interface {
		GetPublicKey(context.Context, *kms.GetPublicKeyInput, ...func(*kms.Options)) (*kms.GetPublicKeyOutput, error)
	}
)

var (
	_ StepFunctions = (*sfn.Client)(nil)
	_ DynamoDB      = (*dynamodb.Client)(nil)
	_ Lambda        = (*lambda.Client)(nil)
	_ S3            = (*s3.Client)(nil)
	_ KMS           = (*kms.Client)(nil)
)

// Connect reads the outputs file and builds the clients (App.Connect).
func Connect(ctx context.Context, o *Options) (*Session, error) {
	outputs, where, cfg, err := o.Target(ctx)
	if err != nil {
		return nil, err
	}
	return &Session{
		Outputs:  outputs,
		Endpoint: where.EffectiveEndpoint(),
		SFN:      sfn.NewFromConfig(cfg),
		DB:       dynamodb.NewFromConfig(cfg),
		Lambda:   lambda.NewFromConfig(cfg),
		S3:       documents.NewClient(cfg), // path-style on a custom endpoint
		KMS:      kms.NewFromConfig(cfg),
	}, nil
}
