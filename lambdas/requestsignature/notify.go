package main

import (
	"context"
	"crypto/rand"
	"encoding/base64"
	"fmt"
	"net/url"
	"strings"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/sns"
	snstypes "github.com/aws/aws-sdk-go-v2/service/sns/types"

	"github.com/hitl-go/docsign/internal/contract"
	"github.com/hitl-go/docsign/internal/tokenstore"
)

// Publisher lists the SNS call the notifier makes.
type Publisher interface {
	Publish(context.Context, *sns.PublishInput, ...func(*sns.Options)) (*sns.PublishOutput, error)
}

var _ Publisher = (*sns.Client)(nil)

// SNSNotifier tells the signer through the stack's topic; each signer's email
// subscription takes only the messages whose signer attribute names it.
type SNSNotifier struct {
	sns      Publisher
	topicARN string
	apiURL   string // ends with "/"
}

// NewSNSNotifier checks the topic and API URL the stack gave.
func NewSNSNotifier(p Publisher, topicARN, apiURL string) (*SNSNotifier, error) {
	if !strings.HasPrefix(topicARN, "arn:") {
		return nil, fmt.Errorf("%s must be an SNS topic ARN, got %q", contract.EnvNotificationTopic, topicARN)
	}
	u, err := url.Parse(apiURL)
	if err != nil || (u.Scheme != "https" && u.Scheme != "http") || u.Host == "" || !strings.HasSuffix(u.Path, "/") ||
		u.RawQuery != "" || u.Fragment != "" {
		return nil, fmt.Errorf("%s must be an http(s) URL ending with /, got %q", contract.EnvAPIURL, apiURL)
	}
	return &SNSNotifier{sns: p, topicARN: topicARN, apiURL: apiURL}, nil
}

// Notify publishes one message for r whose link carries code. Only the
// signer's mailbox ever holds the code: it is not logged, and an error
// never quotes the message.
func (n *SNSNotifier) Notify(ctx context.Context, r tokenstore.Request, code string) error {
	subject, body := message(r, contract.SigningLink(n.apiURL, r.DocumentID, r.Signer, code))
	_, err := n.sns.Publish(ctx, &sns.PublishInput{
		TopicArn: &n.topicARN,
		Subject:  &subject,
		Message:  &body,
		MessageAttributes: map[string]snstypes.MessageAttributeValue{
			contract.MessageAttrDocumentID: {DataType: aws.String("String"), StringValue: &r.DocumentID},
			contract.MessageAttrSigner:     {DataType: aws.String("String"), StringValue: &r.Signer},
		},
	})
	if err != nil {
		return fmt.Errorf("publish the notification for %s: %w", r.Key, err)
	}
	return nil
}

// MaxSubjectLength is SNS's limit on a message's subject.
const MaxSubjectLength = 100

// message is the notification a person reads: what to sign, who asks, by
// when, and the link. Document ids are plain ASCII (contract.CheckDocumentID),
// so the subject stays within MaxSubjectLength for the longest.
func message(r tokenstore.Request, link string) (subject, body string) {
	subject = "Sign document " + r.DocumentID
	deadline := r.ExpiresAt.UTC()
	var b strings.Builder
	fmt.Fprintf(&b, "Hello %s,\n\n", r.Signer)
	fmt.Fprintf(&b, "You are asked to sign document %s.\n\n", r.DocumentID)
	fmt.Fprintf(&b, "Document:  s3://%s/%s\nVersion:   %s\nSHA-256:   %s\n", r.Document.Bucket, r.Document.Key, r.Document.VersionID, r.Document.SHA256)
	fmt.Fprintf(&b, "Asked by:  the document-signing workflow, run %s\n", contract.ExecutionName(r.ExecutionARN))
	fmt.Fprintf(&b, "Deadline:  %s (%s)\n\n", deadline.Format(time.RFC3339), deadline.Format("Monday 2 January 2006, 15:04 MST"))
	b.WriteString("Open this link to see the document's details, then sign or decline:\n\n")
	b.WriteString(link + "\n\n")
	b.WriteString("The link works once and only until the deadline. Do not forward it: whoever opens it can answer for you.\n")
	b.WriteString("If you did not expect this message, ignore it: nothing happens unless the link is used.\n")
	return subject, b.String()
}

// newCode returns a one-time code: CodeBytes random bytes, base64url.
func newCode() string {
	b := make([]byte, contract.CodeBytes)
	rand.Read(b) // never fails (crypto/rand since Go 1.24)
	return base64.RawURLEncoding.EncodeToString(b)
}
