package sns

import (
	"context"
	"errors"
	"net/http/httptest"
	"reflect"
	"strings"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/credentials"
	"github.com/aws/aws-sdk-go-v2/service/sns"
	"github.com/aws/aws-sdk-go-v2/service/sns/types"
)

const (
	testTopicARN  = "arn:aws:sns:us-east-1:000000000000:Notifications"
	otherTopicARN = "arn:aws:sns:us-east-1:000000000000:Quiet"
	aliceMail     = "alice@example.com"
	bobMail       = "bob@example.com"
)

// testTopics are a topic with two email subscriptions filtered by signer,
// as request-signature's template declares them, and a topic with none.
func testTopics() []Topic {
	return []Topic{
		{LogicalID: "Notifications", ARN: testTopicARN, KMSMasterKeyID: "alias/aws/sns", Subscriptions: []Subscription{
			{LogicalID: "AliceMail", Protocol: "email", Endpoint: aliceMail, FilterPolicy: `{"signer":["alice"]}`},
			{LogicalID: "BobMail", Protocol: "email", Endpoint: bobMail, FilterPolicy: `{"signer":["bob"]}`},
		}},
		{LogicalID: "Quiet", ARN: otherTopicARN},
	}
}

// newTestService serves testTopics, keeping the outbox under dir ("" in memory).
func newTestService(t *testing.T, dir string) *Service {
	t.Helper()
	svc, err := New(Options{Topics: testTopics(), Dir: dir})
	if err != nil {
		t.Fatal(err)
	}
	return svc
}

// newClient starts svc on an httptest server and returns an SDK client for it.
func newClient(t *testing.T, svc *Service) (*sns.Client, string) {
	t.Helper()
	srv := httptest.NewServer(svc)
	t.Cleanup(srv.Close)
	return sns.New(sns.Options{
		Region:       "us-east-1",
		BaseEndpoint: aws.String(srv.URL),
		Credentials:  credentials.NewStaticCredentialsProvider("local", "local", ""),
		Retryer:      aws.NopRetryer{},
	}), srv.URL
}

// notify publishes a signing notification as request-signature does.
func notify(t *testing.T, c *sns.Client, documentID, signer, body string) string {
	t.Helper()
	out, err := c.Publish(context.Background(), &sns.PublishInput{
		TopicArn: aws.String(testTopicARN),
		Subject:  aws.String("Please sign " + documentID),
		Message:  aws.String(body),
		MessageAttributes: map[string]types.MessageAttributeValue{
			"documentId": {DataType: aws.String("String"), StringValue: aws.String(documentID)},
			"signer":     {DataType: aws.String("String"), StringValue: aws.String(signer)},
		},
	})
	if err != nil {
		t.Fatalf("Publish: %v", err)
	}
	if id := aws.ToString(out.MessageId); len(id) != 36 {
		t.Fatalf("Publish MessageId %q, want a UUID", id)
	}
	return aws.ToString(out.MessageId)
}

func TestSDKPublishRoutesBySigner(t *testing.T) {
	dir := t.TempDir() + "/sns"
	svc := newTestService(t, dir)
	c, _ := newClient(t, svc)
	before := time.Now().Add(-time.Second)
	idAlice := notify(t, c, "doc-1", "alice", "https://x/sign/doc-1/alice#codeA")
	idBob := notify(t, c, "doc-1", "bob", "https://x/sign/doc-1/bob#codeB")
	idNobody := notify(t, c, "doc-2", "carol", "https://x/sign/doc-2/carol#codeC")
	if idAlice == idBob || idBob == idNobody {
		t.Errorf("message ids repeat: %s %s %s", idAlice, idBob, idNobody)
	}
	got := svc.Outbox()
	want := []Entry{
		{MessageID: idAlice, TopicARN: testTopicARN, To: aliceMail, Subject: "Please sign doc-1",
			Body: "https://x/sign/doc-1/alice#codeA", Attributes: map[string]string{"documentId": "doc-1", "signer": "alice"}},
		{MessageID: idBob, TopicARN: testTopicARN, To: bobMail, Subject: "Please sign doc-1",
			Body: "https://x/sign/doc-1/bob#codeB", Attributes: map[string]string{"documentId": "doc-1", "signer": "bob"}},
		{MessageID: idNobody, TopicARN: testTopicARN, To: "", Subject: "Please sign doc-2",
			Body: "https://x/sign/doc-2/carol#codeC", Attributes: map[string]string{"documentId": "doc-2", "signer": "carol"}},
	}
	checkOutbox(t, got, want, before)

	// A new Service on the same directory has the same outbox, and adds to it.
	restarted := newTestService(t, dir)
	checkOutbox(t, restarted.Outbox(), want, before)
	c2, _ := newClient(t, restarted)
	idAgain := notify(t, c2, "doc-3", "bob", "again")
	all := restarted.Outbox()
	if len(all) != 4 || all[3].MessageID != idAgain || all[3].To != bobMail {
		t.Errorf("after restart and a publish: %+v", all)
	}
}

// checkOutbox compares entries, SentAt only for being recent and ordered.
func checkOutbox(t *testing.T, got, want []Entry, after time.Time) {
	t.Helper()
	if len(got) != len(want) {
		t.Fatalf("outbox has %d entries, want %d: %+v", len(got), len(want), got)
	}
	for i := range got {
		if got[i].SentAt.Before(after) || got[i].SentAt.After(time.Now()) || (i > 0 && got[i].SentAt.Before(got[i-1].SentAt)) {
			t.Errorf("entry %d SentAt %v", i, got[i].SentAt)
		}
		g := got[i]
		g.SentAt = time.Time{}
		if !reflect.DeepEqual(g, want[i]) {
			t.Errorf("entry %d:\ngot  %+v\nwant %+v", i, g, want[i])
		}
	}
}

func TestSDKPublishVariants(t *testing.T) {
	ctx := context.Background()
	svc := newTestService(t, "")
	c, _ := newClient(t, svc)
	tests := []struct {
		name   string
		in     *sns.PublishInput
		wantTo []string
		body   string
	}{
		{"TargetArn names the topic", &sns.PublishInput{TargetArn: aws.String(testTopicARN), Message: aws.String("m"),
			MessageAttributes: map[string]types.MessageAttributeValue{"signer": {DataType: aws.String("String"), StringValue: aws.String("alice")}}},
			[]string{aliceMail}, "m"},
		{"no attributes reaches no filtered subscription", &sns.PublishInput{TopicArn: aws.String(testTopicARN), Message: aws.String("m")}, []string{""}, "m"},
		{"topic without subscriptions", &sns.PublishInput{TopicArn: aws.String(otherTopicARN), Message: aws.String("m")}, []string{""}, "m"},
		{"MessageStructure json picks email", &sns.PublishInput{TopicArn: aws.String(testTopicARN), MessageStructure: aws.String("json"),
			Message:           aws.String(`{"default":"d","email":"e"}`),
			MessageAttributes: map[string]types.MessageAttributeValue{"signer": {DataType: aws.String("String"), StringValue: aws.String("bob")}}},
			[]string{bobMail}, "e"},
		{"binary attribute is kept in base64", &sns.PublishInput{TopicArn: aws.String(otherTopicARN), Message: aws.String("m"),
			MessageAttributes: map[string]types.MessageAttributeValue{"raw": {DataType: aws.String("Binary"), BinaryValue: []byte{0, 1, 2}}}},
			[]string{""}, "m"},
		{"Subject of 100 characters, not ASCII", &sns.PublishInput{TopicArn: aws.String(otherTopicARN), Message: aws.String("m"), Subject: aws.String(strings.Repeat("é", 100))}, []string{""}, "m"},
		{"largest message", &sns.PublishInput{TopicArn: aws.String(otherTopicARN), Message: aws.String(strings.Repeat("é", maxMessageSize/2))}, []string{""}, strings.Repeat("é", maxMessageSize/2)},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			n := len(svc.Outbox())
			out, err := c.Publish(ctx, tc.in)
			if err != nil {
				t.Fatalf("Publish: %v", err)
			}
			added := svc.Outbox()[n:]
			var to []string
			for _, e := range added {
				to = append(to, e.To)
				if e.MessageID != aws.ToString(out.MessageId) || e.Body != tc.body {
					t.Errorf("entry %+v, want message %s with body %.20q", e, aws.ToString(out.MessageId), tc.body)
				}
			}
			if !reflect.DeepEqual(to, tc.wantTo) {
				t.Errorf("sent to %q, want %q", to, tc.wantTo)
			}
		})
	}
	if e := svc.Outbox()[4]; e.Attributes["raw"] != "AAEC" {
		t.Errorf("binary attribute kept as %q, want AAEC", e.Attributes["raw"])
	}
}

func TestSDKReadOnlyActions(t *testing.T) {
	ctx := context.Background()
	c, _ := newClient(t, newTestService(t, ""))
	subs, err := c.ListSubscriptionsByTopic(ctx, &sns.ListSubscriptionsByTopicInput{TopicArn: aws.String(testTopicARN)})
	if err != nil {
		t.Fatal(err)
	}
	if len(subs.Subscriptions) != 2 || subs.NextToken != nil {
		t.Fatalf("ListSubscriptionsByTopic: %+v", subs)
	}
	for i, want := range []string{aliceMail, bobMail} {
		s := subs.Subscriptions[i]
		if aws.ToString(s.Endpoint) != want || aws.ToString(s.Protocol) != "email" || aws.ToString(s.TopicArn) != testTopicARN ||
			aws.ToString(s.Owner) != "000000000000" || !strings.HasPrefix(aws.ToString(s.SubscriptionArn), testTopicARN+":") {
			t.Errorf("subscription %d: %+v", i, s)
		}
	}
	attrs, err := c.GetTopicAttributes(ctx, &sns.GetTopicAttributesInput{TopicArn: aws.String(testTopicARN)})
	if err != nil {
		t.Fatal(err)
	}
	want := map[string]string{"TopicArn": testTopicARN, "Owner": "000000000000", "DisplayName": "", "KmsMasterKeyId": "alias/aws/sns",
		"SubscriptionsConfirmed": "2", "SubscriptionsPending": "0", "SubscriptionsDeleted": "0"}
	if !reflect.DeepEqual(attrs.Attributes, want) {
		t.Errorf("GetTopicAttributes: %v, want %v", attrs.Attributes, want)
	}
}

// TestSDKErrors checks that the SDK decodes each error into its typed error.
func TestSDKErrors(t *testing.T) {
	ctx := context.Background()
	c, _ := newClient(t, newTestService(t, ""))
	publish := func(in *sns.PublishInput) error { _, err := c.Publish(ctx, in); return err }
	tests := []struct {
		name string
		err  error
		want any
	}{
		{"unknown topic", publish(&sns.PublishInput{TopicArn: aws.String("arn:aws:sns:us-east-1:000000000000:Nope"), Message: aws.String("m")}), new(*types.NotFoundException)},
		{"no topic", publish(&sns.PublishInput{Message: aws.String("m")}), new(*types.InvalidParameterException)},
		{"long subject", publish(&sns.PublishInput{TopicArn: aws.String(testTopicARN), Message: aws.String("m"), Subject: aws.String(strings.Repeat("s", 101))}), new(*types.InvalidParameterException)},
		{"bad attribute type", publish(&sns.PublishInput{TopicArn: aws.String(testTopicARN), Message: aws.String("m"),
			MessageAttributes: map[string]types.MessageAttributeValue{"a": {DataType: aws.String("Text"), StringValue: aws.String("v")}}}), new(*types.InvalidParameterValueException)},
		{"CreateTopic", func() error { _, err := c.CreateTopic(ctx, &sns.CreateTopicInput{Name: aws.String("x")}); return err }(), new(*types.AuthorizationErrorException)},
		{"Subscribe", func() error {
			_, err := c.Subscribe(ctx, &sns.SubscribeInput{TopicArn: aws.String(testTopicARN), Protocol: aws.String("email"), Endpoint: aws.String("m@example.com")})
			return err
		}(), new(*types.AuthorizationErrorException)},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			if !errors.As(tc.err, tc.want) {
				t.Errorf("got %v (%T), want %T", tc.err, tc.err, tc.want)
			}
		})
	}
	_, err := c.ListTopics(ctx, &sns.ListTopicsInput{})
	var apiErr interface{ ErrorCode() string }
	if !errors.As(err, &apiErr) || apiErr.ErrorCode() != "InvalidAction" {
		t.Errorf("ListTopics: %v, want InvalidAction", err)
	}
}
