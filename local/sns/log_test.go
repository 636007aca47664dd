package sns

import (
	"context"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/sns"
	"github.com/aws/aws-sdk-go-v2/service/sns/types"
	"github.com/hitl-go/docsign/internal/logtest"
)

// TestBodyNeverLogged: messages carry one-time signing links, so neither a
// published body nor one of a refused Publish may reach the logger, at any
// level.
func TestBodyNeverLogged(t *testing.T) {
	const secret = "c2VjcmV0LW9uZS10aW1lLWNvZGU"
	var logs logtest.Buffer
	logger := slog.New(slog.NewTextHandler(&logs, &slog.HandlerOptions{Level: slog.LevelDebug - 10}))
	svc, err := New(Options{Topics: testTopics(), Dir: t.TempDir(), Logger: logger})
	if err != nil {
		t.Fatal(err)
	}
	c, _ := newClient(t, svc)
	link := "https://x/sign/doc-1/alice#" + secret
	_, err = c.Publish(context.Background(), &sns.PublishInput{TopicArn: aws.String(testTopicARN), Message: aws.String(link),
		MessageAttributes: map[string]types.MessageAttributeValue{"signer": {DataType: aws.String("String"), StringValue: aws.String("alice")}}})
	if err != nil {
		t.Fatal(err)
	}
	// Refused publishes carrying the secret in every parameter that could be echoed.
	for _, form := range []url.Values{
		{"Action": {"Publish"}, "TopicArn": {testTopicARN}, "Message": {link + strings.Repeat("x", maxMessageSize)}},
		{"Action": {"Publish"}, "TopicArn": {testTopicARN}, "Message": {link}, "Subject": {"bad\n" + secret}},
		{"Action": {"Publish"}, "TopicArn": {"arn:aws:sns:us-east-1:000000000000:Nope"}, "Message": {link}},
		{"Action": {"Publish"}, "Message": {link}},
		{"Action": {"Publish"}, "TopicArn": {testTopicARN}, "Message": {link}, "MessageStructure": {"json"}},
		{"Action": {"Publish" + secret}, "Message": {link}},
	} {
		r := httptest.NewRequest(http.MethodPost, "/", strings.NewReader(form.Encode()))
		r.Header.Set("Content-Type", "application/x-www-form-urlencoded")
		rec := httptest.NewRecorder()
		svc.ServeHTTP(rec, r)
		if rec.Code == http.StatusOK {
			t.Errorf("%v: accepted", form["Action"])
		}
	}
	got := logs.String()
	if !strings.Contains(got, "sns message kept") || !strings.Contains(got, "sns request failed") {
		t.Fatalf("the logger saw no requests:\n%s", got)
	}
	if strings.Contains(got, secret) {
		t.Errorf("a message body reached the log:\n%s", got)
	}
}
