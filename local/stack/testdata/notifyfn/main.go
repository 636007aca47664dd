// Command notifyfn is the function of testdata/notify: behind the HTTP API,
// POST /documents/{documentId} (AWS_IAM) publishes a signing link for Bob
// to the notification topic, as the app's documents API and
// request-signature do, and GET /sign/{documentId}/{signer} answers the
// page. It reads the topic and the API's URL from the environment the
// template gives it, so a test sees both resolve to the local stack.
package main

import (
	"context"
	"crypto/rand"
	"encoding/base64"
	"fmt"
	"net/http"
	"os"

	"github.com/aws/aws-lambda-go/events"
	"github.com/aws/aws-lambda-go/lambda"
	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/config"
	"github.com/aws/aws-sdk-go-v2/service/sns"
	"github.com/aws/aws-sdk-go-v2/service/sns/types"

	"github.com/hitl-go/docsign/internal/contract"
)

func main() {
	cfg, err := config.LoadDefaultConfig(context.Background())
	if err != nil {
		panic(err)
	}
	client := sns.NewFromConfig(cfg)
	topic, apiURL := os.Getenv(contract.EnvNotificationTopic), os.Getenv(contract.EnvAPIURL)
	lambda.Start(func(ctx context.Context, ev events.APIGatewayV2HTTPRequest) (events.APIGatewayV2HTTPResponse, error) {
		doc := ev.PathParameters[contract.DocumentIDPathParameter]
		switch ev.RouteKey {
		case contract.RouteKeyPostDocument:
			code := make([]byte, contract.CodeBytes)
			_, _ = rand.Read(code)
			link := contract.SigningLink(apiURL, doc, "Bob", base64.RawURLEncoding.EncodeToString(code))
			_, err := client.Publish(ctx, &sns.PublishInput{TopicArn: aws.String(topic), Subject: aws.String("Please sign " + doc),
				Message: aws.String("Hello Bob,\n\nplease sign " + doc + ": " + link + "\n"),
				MessageAttributes: map[string]types.MessageAttributeValue{
					contract.MessageAttrDocumentID: {DataType: aws.String("String"), StringValue: aws.String(doc)},
					contract.MessageAttrSigner:     {DataType: aws.String("String"), StringValue: aws.String("Bob")},
				}})
			if err != nil {
				return events.APIGatewayV2HTTPResponse{}, err
			}
			return events.APIGatewayV2HTTPResponse{StatusCode: http.StatusAccepted, Body: doc}, nil
		case contract.RouteKeyGetSignPage:
			return events.APIGatewayV2HTTPResponse{StatusCode: http.StatusOK, Headers: map[string]string{"Content-Type": "text/plain"},
				Body: fmt.Sprintf("signing page for %s, %s", doc, ev.PathParameters[contract.SignerPathParameter])}, nil
		}
		return events.APIGatewayV2HTTPResponse{StatusCode: http.StatusNotFound}, nil
	})
}
