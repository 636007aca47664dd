package sns

import (
	"crypto/sha256"
	"fmt"
	"regexp"
)

// Topic is one topic to serve, as a template's AWS::SNS::Topic declares it.
type Topic struct {
	// LogicalID is the resource's logical id in the template (for messages).
	LogicalID string
	// ARN is the topic ARN, arn:aws:sns:<region>:<account>:<name>.
	ARN string
	// KMSMasterKeyID is the topic's KmsMasterKeyId, if any (GetTopicAttributes
	// returns it; messages are not encrypted locally).
	KMSMasterKeyID string
	// Subscriptions are the topic's AWS::SNS::Subscription resources.
	Subscriptions []Subscription
}

// Subscription is one AWS::SNS::Subscription of a topic.
type Subscription struct {
	// LogicalID is the resource's logical id in the template.
	LogicalID string
	// ARN is the subscription ARN; empty derives a stable one from the topic
	// ARN and the logical id, so it survives a restart.
	ARN string
	// Protocol must be email or email-json: the outbox stands in for mail.
	Protocol string
	// Endpoint is the address the message goes to.
	Endpoint string
	// FilterPolicy is the subscription's filter policy as JSON; empty lets
	// every message through. See filter.go for what is supported.
	FilterPolicy string
	// FilterPolicyScope must be empty or MessageAttributes (the default).
	FilterPolicyScope string
}

// topicARN matches a standard topic's ARN and captures its region, account
// and name (SNS topic names: 1 to 256 letters, digits, '-' and '_').
var topicARN = regexp.MustCompile(`^arn:(aws[a-z-]*):sns:([a-z]{2}(?:-[a-z]+)+-\d+):(\d{12}):([A-Za-z0-9_-]{1,256})$`)

// topic is a served topic with its checked subscriptions.
type topic struct {
	Topic
	region, account string
	subs            []*subscription
}

// subscription is a served subscription with its parsed filter policy.
type subscription struct {
	Subscription
	filter *filterPolicy // nil lets everything through
}

// Protocols a subscription may use: both are delivered by mail.
const (
	protocolEmail     = "email"
	protocolEmailJSON = "email-json"
)

// checkTopic refuses a topic or subscription this service cannot serve,
// naming it.
func checkTopic(t Topic) (*topic, error) {
	name := t.LogicalID
	if name == "" {
		name = t.ARN
	}
	m := topicARN.FindStringSubmatch(t.ARN)
	if m == nil {
		return nil, fmt.Errorf("sns topic %s: ARN %q is not a standard topic ARN (arn:aws:sns:<region>:<account>:<name>; FIFO topics are not served)", name, t.ARN)
	}
	served := &topic{Topic: t, region: m[2], account: m[3]}
	for _, s := range t.Subscriptions {
		sub, err := checkSubscription(t.ARN, s)
		if err != nil {
			return nil, fmt.Errorf("sns topic %s: %w", name, err)
		}
		served.subs = append(served.subs, sub)
	}
	return served, nil
}

func checkSubscription(topicARN string, s Subscription) (*subscription, error) {
	if s.Protocol != protocolEmail && s.Protocol != protocolEmailJSON {
		return nil, fmt.Errorf("subscription %s: protocol %q is not served locally (only %s and %s, kept in the outbox)",
			s.LogicalID, s.Protocol, protocolEmail, protocolEmailJSON)
	}
	if s.Endpoint == "" {
		return nil, fmt.Errorf("subscription %s: no endpoint", s.LogicalID)
	}
	if s.FilterPolicyScope != "" && s.FilterPolicyScope != scopeMessageAttributes {
		return nil, fmt.Errorf("subscription %s: FilterPolicyScope %s is not served locally (only %s)",
			s.LogicalID, s.FilterPolicyScope, scopeMessageAttributes)
	}
	sub := &subscription{Subscription: s}
	if sub.ARN == "" {
		sub.ARN = topicARN + ":" + stableUUID(topicARN+"\x00"+s.LogicalID)
	}
	if s.FilterPolicy != "" {
		f, err := parseFilterPolicy(s.FilterPolicy)
		if err != nil {
			return nil, fmt.Errorf("subscription %s: FilterPolicy: %w", s.LogicalID, err)
		}
		sub.filter = f
	}
	return sub, nil
}

// stableUUID makes a name-based UUID from seed, the same for the same seed
// (version 8: SHA-256 rather than version 5's SHA-1).
func stableUUID(seed string) string {
	sum := sha256.Sum256([]byte(seed))
	return formatUUID([16]byte(sum[:16]), 8)
}
