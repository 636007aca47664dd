package sns

import (
	"encoding/xml"
	"io"
	"net/http"
	"strconv"
	"time"

	"github.com/hitl-go/docsign/local/internal/apierror"
)

// The query protocol's XML answers: <ActionResponse> holding <ActionResult>
// and <ResponseMetadata>, or an <ErrorResponse>.

type responseEnvelope struct {
	XMLName  xml.Name
	Xmlns    string           `xml:"xmlns,attr"`
	Result   any              // a result type; its XMLName names the element
	Metadata responseMetadata `xml:"ResponseMetadata"`
}

type responseMetadata struct {
	RequestID string `xml:"RequestId"`
}

type errorResponse struct {
	XMLName   xml.Name  `xml:"ErrorResponse"`
	Xmlns     string    `xml:"xmlns,attr"`
	Error     errorBody `xml:"Error"`
	RequestID string    `xml:"RequestId"`
}

type errorBody struct {
	Type    string
	Code    string
	Message string
}

type publishResult struct {
	XMLName   xml.Name `xml:"PublishResult"`
	MessageID string   `xml:"MessageId"`
}

type listSubscriptionsResult struct {
	XMLName       xml.Name           `xml:"ListSubscriptionsByTopicResult"`
	Subscriptions []subscriptionItem `xml:"Subscriptions>member"`
}

type subscriptionItem struct {
	TopicArn        string
	Protocol        string
	SubscriptionArn string
	Owner           string
	Endpoint        string
}

type topicAttributesResult struct {
	XMLName    xml.Name    `xml:"GetTopicAttributesResult"`
	Attributes []attrEntry `xml:"Attributes>entry"`
}

type attrEntry struct {
	Key   string `xml:"key"`
	Value string `xml:"value"`
}

func writeXML(w io.Writer, v any) {
	_ = xml.NewEncoder(w).Encode(v)
}

// publish keeps the message in the outbox, once per subscription that
// takes it, or once without a recipient.
func (s *Service) publish(p params, region string) (any, *APIError) {
	req, apiErr := decodePublish(p, region)
	if apiErr != nil {
		return nil, apiErr
	}
	t, apiErr := s.lookup(req.topicARN)
	if apiErr != nil {
		return nil, apiErr
	}
	id := requestID()
	base := Entry{MessageID: id, TopicARN: t.ARN, Subject: req.subject,
		Attributes: map[string]string{}, SentAt: time.Now().UTC().Truncate(time.Millisecond)}
	for name, a := range req.attrs {
		base.Attributes[name] = a.Value
	}
	var entries []Entry
	for _, sub := range t.subs {
		if sub.filter != nil && !sub.filter.matches(req.attrs) {
			continue
		}
		e := base
		e.Attributes = cloneMap(base.Attributes)
		e.To, e.Body = sub.Endpoint, req.bodyFor(sub.Protocol)
		entries = append(entries, e)
	}
	if len(entries) == 0 {
		base.Body = req.bodyFor("default")
		entries = append(entries, base)
	}
	if err := s.outbox.add(entries); err != nil {
		s.log.Error("sns outbox write failed", "topic", t.ARN, "messageId", id, "error", err)
		return nil, &APIError{Code: codeInternal, Status: http.StatusInternalServerError, Message: "The local SNS could not keep the message"}
	}
	s.log.Debug("sns message kept", "topic", t.ARN, "messageId", id, "entries", len(entries))
	return publishResult{MessageID: id}, nil
}

// topicParam reads and looks up the TopicArn of a read-only action.
func (s *Service) topicParam(p params, region string) (*topic, *APIError) {
	arn, ok := p.str("TopicArn")
	if !ok {
		return nil, apierror.New(codeValidation,
			"1 validation error detected: Value null at 'topicArn' failed to satisfy constraint: Member must not be null")
	}
	if err := checkARN("TopicArn", arn, region); err != nil {
		return nil, err
	}
	return s.lookup(arn)
}

func (s *Service) listSubscriptionsByTopic(p params, region string) (any, *APIError) {
	t, apiErr := s.topicParam(p, region)
	if apiErr != nil {
		return nil, apiErr
	}
	// Every subscription fits in one page: a token can only be made up.
	if _, ok := p.str("NextToken"); ok {
		return nil, invalidParameter("NextToken")
	}
	out := listSubscriptionsResult{Subscriptions: []subscriptionItem{}}
	for _, sub := range t.subs {
		out.Subscriptions = append(out.Subscriptions, subscriptionItem{TopicArn: t.ARN, Protocol: sub.Protocol,
			SubscriptionArn: sub.ARN, Owner: t.account, Endpoint: sub.Endpoint})
	}
	return out, nil
}

func (s *Service) getTopicAttributes(p params, region string) (any, *APIError) {
	t, apiErr := s.topicParam(p, region)
	if apiErr != nil {
		return nil, apiErr
	}
	// Email subscriptions count as confirmed: no one can click a local link.
	attrs := []attrEntry{
		{"TopicArn", t.ARN},
		{"Owner", t.account},
		{"DisplayName", ""},
		{"SubscriptionsConfirmed", strconv.Itoa(len(t.subs))},
		{"SubscriptionsPending", "0"},
		{"SubscriptionsDeleted", "0"},
	}
	if t.KMSMasterKeyID != "" {
		attrs = append(attrs, attrEntry{"KmsMasterKeyId", t.KMSMasterKeyID})
	}
	return topicAttributesResult{Attributes: attrs}, nil
}
