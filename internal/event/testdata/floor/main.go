// Command floor is the smallest Go Lambda function: BenchmarkStartup's and
// make bench's measure of what exec, the Go runtime and aws-lambda-go cost
// alone.
package main

import (
	"context"

	"github.com/aws/aws-lambda-go/lambda"
)

func main() { lambda.Start(func(context.Context) error { return nil }) }
