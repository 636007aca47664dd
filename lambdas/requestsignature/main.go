// Command requestsignature is the request-signature Lambda: a callback
// signer's waitForTaskToken task stores its task token in the token table
// and notifies the signer through the stack's SNS topic with a one-time
// signing link.
package main

import (
	"github.com/aws/aws-lambda-go/lambda"
	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/dynamodb"
	"github.com/aws/aws-sdk-go-v2/service/sns"

	"github.com/hitl-go/docsign/internal/contract"
	"github.com/hitl-go/docsign/internal/event"
	"github.com/hitl-go/docsign/internal/tokenstore"
)

func main() { event.Start("request-signature", setup) }

func setup(cfg aws.Config, getenv func(string) string) (lambda.Handler, error) {
	table, err := event.Require(getenv, contract.EnvTableName)
	if err != nil {
		return nil, err
	}
	topic, err := event.Require(getenv, contract.EnvNotificationTopic)
	if err != nil {
		return nil, err
	}
	apiURL, err := event.Require(getenv, contract.EnvAPIURL)
	if err != nil {
		return nil, err
	}
	notifier, err := NewSNSNotifier(sns.NewFromConfig(cfg), topic, apiURL)
	if err != nil {
		return nil, err
	}
	store := tokenstore.New(dynamodb.NewFromConfig(cfg), table)
	return event.Handler(NewHandler(store, notifier).Handle), nil
}
