// Package notifications defines the topic that tells signers a signature is
// requested: request-signature publishes one message per request, with
// message attributes documentId and signer, and each signer with an email
// address gets an email subscription that takes only its own messages.
package notifications

import (
	"github.com/aws/aws-cdk-go/awscdk/v2/awsiam"
	"github.com/aws/aws-cdk-go/awscdk/v2/awskms"
	"github.com/aws/aws-cdk-go/awscdk/v2/awssns"
	"github.com/aws/aws-cdk-go/awscdk/v2/awssnssubscriptions"
	"github.com/aws/constructs-go/constructs/v10"
	"github.com/aws/jsii-runtime-go"

	"github.com/hitl-go/docsign/internal/contract"
)

// Recipient is a signer who is mailed its requests.
type Recipient struct {
	Name  string // the signer's name, the messages' signer attribute
	Email string
}

// NotificationsProps configures Notifications.
type NotificationsProps struct {
	Recipients []Recipient
}

// Notifications is the signers' topic.
type Notifications struct {
	constructs.Construct
	Topic awssns.Topic
}

// NewNotifications defines the topic and one filtered email subscription
// per recipient. Email subscriptions must be confirmed by their recipient
// (SNS mails a confirmation link) before messages reach them.
func NewNotifications(scope constructs.Construct, id *string, props *NotificationsProps) *Notifications {
	if props == nil {
		props = &NotificationsProps{}
	}
	this := constructs.NewConstruct(scope, id)
	topic := awssns.NewTopic(this, jsii.String("Topic"), &awssns.TopicProps{
		DisplayName: jsii.String("Document signing"),
		// Messages carry one-time signing links: encrypted at rest with the
		// AWS managed key for SNS, which email delivery needs no grant for.
		MasterKey:  awskms.Alias_FromAliasName(this, jsii.String("SNSKey"), jsii.String("alias/aws/sns")),
		EnforceSSL: jsii.Bool(true),
	})
	for _, r := range props.Recipients {
		topic.AddSubscription(awssnssubscriptions.NewEmailSubscription(jsii.String(r.Email), &awssnssubscriptions.EmailSubscriptionProps{
			FilterPolicy: &map[string]awssns.SubscriptionFilter{
				contract.MessageAttrSigner: awssns.SubscriptionFilter_StringFilter(&awssns.StringConditions{
					Allowlist: jsii.Strings(r.Name),
				}),
			},
		}))
	}
	return &Notifications{Construct: this, Topic: topic}
}

// GrantPublish lets grantee publish to the topic (sns:Publish), and nothing
// more: the AWS managed key's own policy lets SNS use it for the account's
// publishers, so the KMS actions Topic.GrantPublish adds are not needed.
func (n *Notifications) GrantPublish(grantee awsiam.IGrantable) awsiam.Grant {
	return awsiam.Grant_AddToPrincipal(&awsiam.GrantOnPrincipalOptions{
		Grantee:      grantee,
		Actions:      jsii.Strings("sns:Publish"),
		ResourceArns: jsii.Strings(*n.Topic.TopicArn()),
	})
}
