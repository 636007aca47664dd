// Command completesignature is the complete-signature Lambda: it claims a
// callback signer's pending request and resumes the run with SendTaskSuccess
// (sign) or SendTaskFailure (decline), exactly once.
package main

import (
	"github.com/aws/aws-lambda-go/lambda"
	"github.com/aws/aws-sdk-go-v2/aws"

	"github.com/hitl-go/docsign/internal/completion"
	"github.com/hitl-go/docsign/internal/event"
)

func main() { event.Start("complete-signature", setup) }

func setup(cfg aws.Config, getenv func(string) string) (lambda.Handler, error) {
	h, err := completion.FromEnv(cfg, getenv)
	if err != nil {
		return nil, err
	}
	return event.Handler(h.Handle), nil
}
