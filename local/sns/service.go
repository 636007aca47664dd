// Package sns mirrors the Amazon SNS API (the query protocol: form-encoded
// requests, XML answers, as aws-sdk-go-v2/service/sns and the AWS CLI speak
// it) for the topics and email subscriptions a template declares. Mail is
// not sent: every Publish is kept in an outbox, once per subscription whose
// filter policy takes it, or once with no recipient when none does.
package sns

import (
	"crypto/rand"
	"encoding/hex"
	"encoding/xml"
	"fmt"
	"log/slog"
	"net/http"

	"github.com/hitl-go/docsign/local/internal/apierror"
	"github.com/hitl-go/docsign/local/internal/sigv4"
)

// Namespace is the XML namespace of SNS's answers.
const Namespace = "http://sns.amazonaws.com/doc/2010-03-31/"

// Options configure a Service.
type Options struct {
	// Topics are the topics to serve, with their subscriptions.
	Topics []Topic
	// Dir keeps the outbox (outbox.jsonl, 0600, in a 0700 directory) so
	// that it survives a restart. Empty keeps it in memory only.
	Dir string
	// Logger receives a debug line per request, never a message's body or
	// subject; nil discards them.
	Logger *slog.Logger
}

// Service serves the SNS API for a fixed set of topics. It is safe for
// concurrent use: topics never change after New, and the outbox is locked.
type Service struct {
	topics map[string]*topic
	outbox *outbox
	log    *slog.Logger
}

// New checks the topics and opens the outbox. It refuses what it cannot
// serve faithfully: FIFO topics, protocols other than email, filter
// policies beyond those filter.go describes.
func New(opts Options) (*Service, error) {
	s := &Service{topics: map[string]*topic{}, log: opts.Logger}
	if s.log == nil {
		s.log = slog.New(slog.DiscardHandler)
	}
	for _, t := range opts.Topics {
		served, err := checkTopic(t)
		if err != nil {
			return nil, err
		}
		if s.topics[t.ARN] != nil {
			return nil, fmt.Errorf("sns topic %s: ARN %s is served twice", t.LogicalID, t.ARN)
		}
		s.topics[t.ARN] = served
	}
	o, err := openOutbox(opts.Dir)
	if err != nil {
		return nil, err
	}
	s.outbox = o
	return s, nil
}

// Outbox returns every message kept so far, oldest first.
func (s *Service) Outbox() []Entry { return s.outbox.list() }

// Matches reports whether r is an SNS API request, for routing: its SigV4
// credential scope (Authorization header, or X-Amz-Credential of a signed
// query string) names the service sns. The query protocol has no
// X-Amz-Target, and its Action names are shared with other query services.
func Matches(r *http.Request) bool {
	_, service := sigv4.CredentialScope(r)
	return service == "sns"
}

// ServeHTTP serves one SNS API request.
func (s *Service) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	id := requestID()
	action, out, apiErr := s.serve(r)
	w.Header().Set("Content-Type", "text/xml")
	w.Header().Set("x-amzn-RequestId", id)
	if apiErr != nil {
		s.log.Debug("sns request failed", "action", loggable(action), "code", apiErr.Code)
		w.WriteHeader(apiErr.HTTPStatus())
		writeXML(w, errorResponse{Xmlns: Namespace, RequestID: id,
			Error: errorBody{Type: faultType(apiErr), Code: apiErr.Code, Message: apiErr.Message}})
		return
	}
	s.log.Debug("sns request", "action", action)
	writeXML(w, responseEnvelope{XMLName: xml.Name{Local: action + "Response"}, Xmlns: Namespace,
		Result: out, Metadata: responseMetadata{RequestID: id}})
}

// operation runs one action on a request's parameters.
type operation func(s *Service, p params, region string) (any, *APIError)

var operations = map[string]operation{
	"Publish":                  (*Service).publish,
	"ListSubscriptionsByTopic": (*Service).listSubscriptionsByTopic,
	"GetTopicAttributes":       (*Service).getTopicAttributes,
}

// templateOwned are the SNS actions that change topics, subscriptions or
// account settings. The template owns those: a change made here would be
// lost on the next start, and would make the local stack differ from what
// `cdk deploy` creates, so they are refused as IAM would refuse a caller
// without the permission.
var templateOwned = map[string]bool{
	"AddPermission": true, "ConfirmSubscription": true, "CreatePlatformApplication": true,
	"CreatePlatformEndpoint": true, "CreateSMSSandboxPhoneNumber": true, "CreateTopic": true,
	"DeleteEndpoint": true, "DeletePlatformApplication": true, "DeleteSMSSandboxPhoneNumber": true,
	"DeleteTopic": true, "OptInPhoneNumber": true, "PutDataProtectionPolicy": true,
	"RemovePermission": true, "SetEndpointAttributes": true, "SetPlatformApplicationAttributes": true,
	"SetSMSAttributes": true, "SetSubscriptionAttributes": true, "SetTopicAttributes": true,
	"Subscribe": true, "TagResource": true, "Unsubscribe": true, "UntagResource": true,
	"VerifySMSSandboxPhoneNumber": true,
}

func (s *Service) serve(r *http.Request) (string, any, *APIError) {
	if r.Method != http.MethodPost && r.Method != http.MethodGet {
		return "", nil, apierror.New(codeInvalidAction, "The SNS API accepts POST and GET requests only, not %s", apierror.Clip(r.Method))
	}
	p, apiErr := readParams(r)
	if apiErr != nil {
		return "", nil, apiErr
	}
	action, ok := p.str("Action")
	if !ok || action == "" {
		return "", nil, apierror.New(codeMissingAction, "Missing Action")
	}
	run, ok := operations[action]
	if !ok {
		if templateOwned[action] {
			return action, nil, &APIError{Code: codeAuthorization, Status: http.StatusForbidden,
				Message: fmt.Sprintf("Not authorized to perform SNS:%s: the local SNS serves the template's topics and subscriptions as deployed; change them in the template", action)}
		}
		return action, nil, apierror.New(codeInvalidAction, "Could not find operation %s for version 2010-03-31 (the local SNS serves Publish, ListSubscriptionsByTopic and GetTopicAttributes)", apierror.Clip(action))
	}
	region, _ := sigv4.CredentialScope(r)
	out, apiErr := run(s, p, region)
	return action, out, apiErr
}

// loggable is an action name fit for the log: a client can put anything in
// Action, a message included, so only the names SNS defines are logged.
func loggable(action string) string {
	if operations[action] != nil || templateOwned[action] {
		return action
	}
	return "(unknown)"
}

// lookup finds a served topic, answering as SNS does for one it lacks.
func (s *Service) lookup(arn string) (*topic, *APIError) {
	t := s.topics[arn]
	if t == nil {
		return nil, &APIError{Code: codeNotFound, Status: http.StatusNotFound, Message: "Topic does not exist"}
	}
	return t, nil
}

// requestID makes a random (version 4) UUID, as SNS's request and message
// ids are.
func requestID() string {
	var b [16]byte
	_, _ = rand.Read(b[:])
	return formatUUID(b, 4)
}

// formatUUID sets the version and RFC 4122 variant bits of b and formats it.
func formatUUID(b [16]byte, version byte) string {
	b[6] = b[6]&0x0f | version<<4
	b[8] = b[8]&0x3f | 0x80
	h := hex.EncodeToString(b[:])
	return h[:8] + "-" + h[8:12] + "-" + h[12:16] + "-" + h[16:20] + "-" + h[20:]
}
