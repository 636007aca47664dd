package sns

import (
	"strings"
	"testing"

	"github.com/hitl-go/docsign/internal/awsclitest"
)

// TestAWSCLI drives the service with the real AWS CLI (v1, from the machine
// image): publish a notification with attributes, then list the topic's
// subscriptions and read its attributes.
func TestAWSCLI(t *testing.T) {
	svc := newTestService(t, "")
	_, url := newClient(t, svc)
	cli := awsclitest.New(t, url)

	published := cli.JSON("sns", "publish", "--topic-arn", testTopicARN, "--subject", "Please sign doc-9",
		"--message", "Sign: https://x/sign/doc-9/bob#c0de",
		"--message-attributes", `{"documentId":{"DataType":"String","StringValue":"doc-9"},"signer":{"DataType":"String","StringValue":"bob"}}`)
	id, _ := published["MessageId"].(string)
	got := svc.Outbox()
	if len(got) != 1 || got[0].MessageID != id || got[0].To != bobMail || got[0].Subject != "Please sign doc-9" ||
		got[0].Body != "Sign: https://x/sign/doc-9/bob#c0de" || got[0].Attributes["documentId"] != "doc-9" {
		t.Errorf("publish %v left outbox %+v", published, got)
	}

	subs := cli.JSON("sns", "list-subscriptions-by-topic", "--topic-arn", testTopicARN)
	list, _ := subs["Subscriptions"].([]any)
	if len(list) != 2 {
		t.Fatalf("list-subscriptions-by-topic: %v", subs)
	}
	if first, _ := list[0].(map[string]any); first["Endpoint"] != aliceMail || first["Protocol"] != "email" {
		t.Errorf("first subscription: %v", first)
	}
	attrs := cli.JSON("sns", "get-topic-attributes", "--topic-arn", testTopicARN)
	if a, _ := attrs["Attributes"].(map[string]any); a["TopicArn"] != testTopicARN || a["SubscriptionsConfirmed"] != "2" {
		t.Errorf("get-topic-attributes: %v", attrs)
	}

	// An error reaches the CLI with SNS's code.
	_, err := cli.Run("sns", "publish", "--topic-arn", "arn:aws:sns:us-east-1:000000000000:Nope", "--message", "m")
	if err == nil || !strings.Contains(err.Error(), "(NotFound)") {
		t.Errorf("publish to an unknown topic: %v", err)
	}
}
