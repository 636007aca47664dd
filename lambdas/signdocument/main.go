// Command signdocument is the sign-document Lambda: an automatic signer's
// signature, returned at once.
package main

import (
	"log/slog"

	"github.com/aws/aws-lambda-go/lambda"
	"github.com/aws/aws-lambda-go/lambdacontext"

	"github.com/hitl-go/docsign/internal/event"
)

func main() {
	slog.SetDefault(lambdacontext.NewLogger())
	lambda.Start(event.Handler(NewHandler().Handle))
}
