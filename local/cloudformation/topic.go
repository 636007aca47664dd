package cloudformation

import (
	"bytes"
	"encoding/json"
	"regexp"
	"strconv"
)

// Topic is an AWS::SNS::Topic with its subscriptions, as the local SNS
// serves it.
type Topic struct {
	LogicalID string
	// Name is TopicName, else a generated "<stack>-<LogicalId>-<SUFFIX>" of
	// at most 256 characters, as CloudFormation names topics.
	Name string
	ARN  string // arn:<partition>:sns:<region>:<account>:<Name>, what Ref returns
	// KMSMasterKeyID is KmsMasterKeyId as resolved: a key ID, key ARN or
	// alias such as alias/aws/sns; "" when the topic is not encrypted.
	// Messages are not encrypted locally.
	KMSMasterKeyID string
	// Subscriptions are the topic's inline Subscription entries, then the
	// template's AWS::SNS::Subscription resources on it by logical ID.
	Subscriptions []Subscription
}

// Subscription is an AWS::SNS::Subscription (or an entry of a topic's
// Subscription property) the local SNS keeps mail for.
type Subscription struct {
	// LogicalID is the resource's, or "<topic>.Subscription[<i>]" for an
	// inline one.
	LogicalID string
	// ARN is what Ref returns: the topic ARN and a UUID derived from the
	// stack name and logical ID, so a restart keeps it.
	ARN      string
	TopicARN string
	// Protocol is email or email-json: the outbox stands in for mail.
	Protocol string
	Endpoint string
	// FilterPolicy is the filter policy as JSON (the template gives an
	// object); "" lets every message through.
	FilterPolicy string
	// FilterPolicyScope is "" or MessageAttributes.
	FilterPolicyScope string
}

type cfnTopic struct {
	KmsMasterKeyId string
	FifoTopic      flexBool
	Subscription   []struct{ Endpoint, Protocol string }
}

type cfnSubscription struct {
	TopicArn, Protocol, Endpoint string
	FilterPolicy                 json.RawMessage
	FilterPolicyScope            string
	Region                       string
}

// topicName is what SNS takes as a standard topic's name.
var topicName = regexp.MustCompile(`^[A-Za-z0-9_-]{1,256}$`)

func (r *resolver) topic(id string) (Topic, error) {
	var p cfnTopic
	_, path, err := r.properties(id, &p)
	if err != nil {
		return Topic{}, err
	}
	if p.FifoTopic {
		return Topic{}, r.errorf(path+".FifoTopic", ErrUnsupported, "FIFO topics are not served by the local SNS")
	}
	name, err := r.physicalName(id, path)
	if err != nil {
		return Topic{}, err
	}
	if !topicName.MatchString(name) {
		return Topic{}, r.errorf(path+".TopicName", ErrMalformed, "%q: want 1 to 256 letters, digits, - and _", name)
	}
	t := Topic{LogicalID: id, Name: name, ARN: r.topicARN(name), KMSMasterKeyID: p.KmsMasterKeyId}
	for i, s := range p.Subscription {
		sub := Subscription{LogicalID: id + ".Subscription[" + strconv.Itoa(i) + "]", TopicARN: t.ARN,
			Protocol: s.Protocol, Endpoint: s.Endpoint}
		sub.ARN = r.subscriptionARN(t.ARN, sub.LogicalID)
		if err := r.checkSubscription(sub, path+".Subscription["+strconv.Itoa(i)+"]"); err != nil {
			return Topic{}, err
		}
		t.Subscriptions = append(t.Subscriptions, sub)
	}
	return t, nil
}

// subscription reads an AWS::SNS::Subscription; the caller attaches it to
// its topic.
func (r *resolver) subscription(id string) (Subscription, error) {
	var p cfnSubscription
	_, path, err := r.properties(id, &p)
	if err != nil {
		return Subscription{}, err
	}
	if p.Region != "" && p.Region != r.env.region {
		return Subscription{}, r.errorf(path+".Region", ErrUnsupported, "%q: the local SNS serves one region (%s)", p.Region, r.env.region)
	}
	sub := Subscription{LogicalID: id, ARN: r.subscriptionARN(p.TopicArn, id), TopicARN: p.TopicArn,
		Protocol: p.Protocol, Endpoint: p.Endpoint, FilterPolicyScope: p.FilterPolicyScope}
	if sub.FilterPolicy, err = r.filterPolicy(p.FilterPolicy, path+".FilterPolicy"); err != nil {
		return Subscription{}, err
	}
	return sub, r.checkSubscription(sub, path)
}

// checkSubscription refuses what the outbox cannot stand in for.
func (r *resolver) checkSubscription(s Subscription, path string) error {
	switch {
	case s.Protocol != "email" && s.Protocol != "email-json":
		return r.errorf(path+".Protocol", ErrUnsupported, "%q: the local SNS keeps email and email-json messages only (in its outbox)", s.Protocol)
	case s.Endpoint == "":
		return r.errorf(path+".Endpoint", ErrMalformed, "missing")
	case s.FilterPolicyScope != "" && s.FilterPolicyScope != "MessageAttributes":
		return r.errorf(path+".FilterPolicyScope", ErrUnsupported, "%q: the local SNS filters on MessageAttributes only", s.FilterPolicyScope)
	}
	return nil
}

// filterPolicy turns the template's FilterPolicy (an object, or a string
// holding one) into the JSON text SNS takes.
func (r *resolver) filterPolicy(raw json.RawMessage, path string) (string, error) {
	raw = bytes.TrimSpace(raw)
	if len(raw) == 0 || string(raw) == "null" {
		return "", nil
	}
	if raw[0] == '"' {
		var s string
		if err := json.Unmarshal(raw, &s); err != nil {
			return "", r.errorf(path, ErrMalformed, "%v", err)
		}
		raw = []byte(s)
	}
	var policy map[string]any
	if err := json.Unmarshal(raw, &policy); err != nil || policy == nil {
		return "", r.errorf(path, ErrMalformed, "want a JSON object")
	}
	return string(raw), nil
}

func (r *resolver) topicARN(name string) string {
	return r.env.arn("sns", r.env.region, name)
}

// subscriptionARN is a subscription's ARN: SNS appends a UUID to the topic's.
func (r *resolver) subscriptionARN(topicARN, id string) string {
	return topicARN + ":" + uuidFrom("subscription", r.in.name, id)
}
