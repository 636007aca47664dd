// Package gofunction builds a Go Lambda function during synth — go build for
// linux/arm64, no Docker — and deploys it on provided.al2023 with JSON logs,
// X-Ray tracing and its own log group.
package gofunction

import (
	"cmp"
	"os"

	"github.com/aws/aws-cdk-go/awscdk/v2"
	"github.com/aws/aws-cdk-go/awscdk/v2/awsiam"
	"github.com/aws/aws-cdk-go/awscdk/v2/awslambda"
	"github.com/aws/aws-cdk-go/awscdk/v2/awslogs"
	"github.com/aws/aws-cdk-go/awscdk/v2/awss3assets"
	"github.com/aws/constructs-go/constructs/v10"
	"github.com/aws/jsii-runtime-go"
	"github.com/hitl-go/docsign/internal/contract"
)

// DefaultTimeout is the function timeout when FunctionProps.Timeout is nil.
const DefaultTimeout = 10 // seconds

// FunctionProps configures a Function.
type FunctionProps struct {
	// Package is the Go main package relative to the module root,
	// e.g. "./lambdas/signdocument". Required.
	Package string
	// ModuleDir is the module root; "" means the nearest go.mod at or above
	// the working directory.
	ModuleDir string
	// Description of the function.
	Description *string
	// Environment variables, read once by the function's main.
	Environment map[string]string
	// Timeout of one invocation; default DefaultTimeout seconds.
	Timeout awscdk.Duration
	// LogRetention of the function's log group; default one month.
	LogRetention awslogs.RetentionDays
	// RemovalPolicy of the function's log group; default destroy.
	RemovalPolicy awscdk.RemovalPolicy
}

// Function is a Go Lambda function built from source at synth time.
type Function struct {
	constructs.Construct
	// Lambda is the function; grant it what it needs.
	Lambda awslambda.Function
	// Role is the function's execution role. It starts with no managed policy:
	// write access to its own log group and what CDK adds for X-Ray only.
	Role awsiam.Role
	// LogGroup receives the function's JSON logs.
	LogGroup awslogs.LogGroup
	// Package is the Go package the function was built from.
	Package string
}

// NewFunction builds props.Package for linux/arm64 and defines the function.
// Like CDK constructs given invalid props, it panics — with a *BuildError
// naming the package — when the package does not build.
func NewFunction(scope constructs.Construct, id *string, props *FunctionProps) *Function {
	zipPath, hash := mustBuild(props)
	this := constructs.NewConstruct(scope, id)

	logGroup := awslogs.NewLogGroup(this, jsii.String("LogGroup"), &awslogs.LogGroupProps{
		Retention:     cmp.Or(props.LogRetention, awslogs.RetentionDays_ONE_MONTH),
		RemovalPolicy: cmp.Or(props.RemovalPolicy, awscdk.RemovalPolicy_DESTROY),
	})
	role := awsiam.NewRole(this, jsii.String("Role"), &awsiam.RoleProps{
		AssumedBy: awsiam.NewServicePrincipal(jsii.String("lambda.amazonaws.com"), nil),
	})
	logGroup.GrantWrite(role)

	fn := awslambda.NewFunction(this, jsii.String("Function"), &awslambda.FunctionProps{
		Description:   props.Description,
		Runtime:       awslambda.Runtime_PROVIDED_AL2023(),
		Architecture:  awslambda.Architecture_ARM_64(),
		Handler:       jsii.String("bootstrap"),
		Code:          awslambda.Code_FromAsset(jsii.String(zipPath), assetOptions(hash)),
		Timeout:       cmp.Or(props.Timeout, awscdk.Duration_Seconds(jsii.Number(DefaultTimeout))),
		Environment:   environment(props.Environment),
		Role:          role,
		LogGroup:      logGroup,
		LoggingFormat: awslambda.LoggingFormat_JSON,
		Tracing:       awslambda.Tracing_ACTIVE,
	})
	fn.Node().DefaultChild().(awscdk.CfnResource).AddMetadata(jsii.String(contract.MetadataGoPackage), props.Package)

	return &Function{Construct: this, Lambda: fn, Role: role, LogGroup: logGroup, Package: props.Package}
}

// mustBuild builds the function's deployment package: a zip file, which
// CDK uploads as it is (see writeZip).
func mustBuild(props *FunctionProps) (zipPath, hash string) {
	moduleDir := props.ModuleDir
	if moduleDir == "" {
		wd, err := os.Getwd()
		if err == nil {
			moduleDir, err = moduleRoot(wd)
		}
		if err != nil {
			panic(&BuildError{Package: props.Package, Err: err})
		}
	}
	zipPath, hash, err := buildOnce(moduleDir, props.Package)
	if err != nil {
		panic(err)
	}
	return zipPath, hash
}

// assetOptions names the asset after the built package (its zip is
// reproducible), so an edit in any imported package ships and an unchanged
// build does not redeploy.
func assetOptions(hash string) *awss3assets.AssetOptions {
	return &awss3assets.AssetOptions{
		AssetHash:     jsii.String(hash),
		AssetHashType: awscdk.AssetHashType_CUSTOM,
	}
}

// goMaxProcs is every function's GOMAXPROCS unless its props set one. Lambda
// allots CPU in proportion to memory (one vCPU at 1,769 MB; a 128 MB function
// gets about a fourteenth of one), yet Go sees the host's cores and runs a P
// on each: a second P only spins and marks for the GC on the function's small
// share of CPU.
const goMaxProcs = "1"

func environment(env map[string]string) *map[string]*string {
	out := map[string]*string{contract.EnvGoMaxProcs: jsii.String(goMaxProcs)}
	for k, v := range env {
		out[k] = jsii.String(v)
	}
	return &out
}
