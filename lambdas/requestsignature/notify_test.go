package main

import (
	"bytes"
	"context"
	"errors"
	"log/slog"
	"strings"
	"testing"

	"github.com/aws/aws-sdk-go-v2/service/sns"

	"github.com/hitl-go/docsign/internal/contract"
	"github.com/hitl-go/docsign/internal/tokenstore"
)

// fakePublisher records Publish calls and answers err.
type fakePublisher struct {
	in  []*sns.PublishInput
	err error
}

func (p *fakePublisher) Publish(_ context.Context, in *sns.PublishInput, _ ...func(*sns.Options)) (*sns.PublishOutput, error) {
	p.in = append(p.in, in)
	return &sns.PublishOutput{}, p.err
}

const (
	topicARN = "arn:aws:sns:us-east-1:000000000000:DocumentSigningStack-Notifications"
	apiURL   = "https://abc123.execute-api.us-east-1.amazonaws.com/"
)

// TestNotifiesSignerWithLink: one message per stored request, addressed by
// its attributes, whose link carries the code whose hash was stored, and no
// log line holds the code.
func TestNotifiesSignerWithLink(t *testing.T) {
	var logs bytes.Buffer
	defer slog.SetDefault(slog.Default())
	slog.SetDefault(slog.New(slog.NewJSONHandler(&logs, nil)))
	pub := &fakePublisher{}
	n, err := NewSNSNotifier(pub, topicARN, apiURL)
	if err != nil {
		t.Fatal(err)
	}
	store := &fakeStore{}
	if _, err := NewHandler(store, n).Handle(t.Context(), fixture(t)); err != nil {
		t.Fatal(err)
	}
	if len(pub.in) != 1 || len(store.puts) != 1 {
		t.Fatalf("published %d and stored %d requests, want 1 and 1", len(pub.in), len(store.puts))
	}
	msg := *pub.in[0].Message
	prefix := apiURL + "sign/3/Bob#"
	i := strings.Index(msg, prefix)
	if i < 0 {
		t.Fatalf("message has no link %s…:\n%s", prefix, msg)
	}
	code := strings.Fields(msg[i+len(prefix):])[0]
	if !contract.CheckCode(code) || !contract.CodeMatches(code, store.puts[0].CodeHash) {
		t.Errorf("the link's code %q is not the one whose hash was stored", code)
	}
	if strings.Contains(logs.String(), code) {
		t.Error("a log line holds the code")
	}
	attrs := pub.in[0].MessageAttributes
	if *attrs[contract.MessageAttrDocumentID].StringValue != "3" || *attrs[contract.MessageAttrSigner].StringValue != "Bob" ||
		*attrs[contract.MessageAttrSigner].DataType != "String" {
		t.Errorf("message attributes = %+v, want documentId 3 and signer Bob (String)", attrs)
	}
	if *pub.in[0].TopicArn != topicARN || *pub.in[0].Subject != "Sign document 3" {
		t.Errorf("published to %s with subject %q", *pub.in[0].TopicArn, *pub.in[0].Subject)
	}
	for _, want := range []string{"Hello Bob", "documents/3", "2cf24dba5fb0a30e26e83b2ac5b9e29e1b161e5c1fa7425e73043362938b9824",
		"run 3", "Deadline:  2026-11-22T12:01:31Z", "works once"} {
		if !strings.Contains(msg, want) {
			t.Errorf("message lacks %q:\n%s", want, msg)
		}
	}
}

// TestEachAttemptIssuesANewCode: a retried task stores a new code's hash
// and sends its link, so the previous link no longer matches.
func TestEachAttemptIssuesANewCode(t *testing.T) {
	store, notifier := &fakeStore{}, &fakeNotifier{}
	h := NewHandler(store, notifier)
	for range 2 {
		if _, err := h.Handle(t.Context(), fixture(t)); err != nil {
			t.Fatal(err)
		}
	}
	first, second := notifier.codes[0], notifier.codes[1]
	if first == second || contract.CodeMatches(first, store.puts[1].CodeHash) || !contract.CodeMatches(second, store.puts[1].CodeHash) {
		t.Errorf("second attempt: code reused or its hash not stored (codes %d and %d characters)", len(first), len(second))
	}
}

// TestNotifyFailureIsRetried: a failed publish is transient; the request
// stays stored (with a code nobody knows) and the retry notifies.
func TestNotifyFailureIsRetried(t *testing.T) {
	notifier := &fakeNotifier{err: errors.New("sns: throttled")}
	store := &fakeStore{}
	_, err := newTestHandler(store, notifier).Handle(t.Context(), fixture(t))
	if errorType(err) != contract.ErrorSignatureServiceUnavailable || strings.Contains(err.Error(), testCode) {
		t.Errorf("Handle = %v (%s), want SignatureServiceUnavailable without the code", err, errorType(err))
	}
	if len(store.puts) != 1 || len(notifier.sent) != 1 {
		t.Errorf("stored %d, notified %d; want the put before the notification", len(store.puts), len(notifier.sent))
	}
	notifier.err = nil
	if _, err := newTestHandler(store, notifier).Handle(t.Context(), fixture(t)); err != nil {
		t.Errorf("retry = %v", err)
	}
}

// TestStoreFailureNotifiesNobody: no link goes out for a request that was
// not stored.
func TestStoreFailureNotifiesNobody(t *testing.T) {
	notifier := &fakeNotifier{}
	_, err := newTestHandler(&fakeStore{err: errors.New("dynamodb down")}, notifier).Handle(t.Context(), fixture(t))
	if err == nil || len(notifier.sent) != 0 {
		t.Errorf("Handle = %v with %d notifications, want an error and none", err, len(notifier.sent))
	}
}

func TestNewSNSNotifierRefusesBadConfig(t *testing.T) {
	tests := []struct{ topic, url, wantErr string }{
		{"", apiURL, contract.EnvNotificationTopic},
		{"my-topic", apiURL, contract.EnvNotificationTopic},
		{topicARN, "", contract.EnvAPIURL},
		{topicARN, "https://abc.example.com", contract.EnvAPIURL},
		{topicARN, "ftp://abc.example.com/", contract.EnvAPIURL},
		{topicARN, "https:///", contract.EnvAPIURL},
		{topicARN, "https://abc.example.com/?a=1", contract.EnvAPIURL},
		{topicARN, "https://abc.example.com/#x", contract.EnvAPIURL},
		{topicARN, "not a url/", contract.EnvAPIURL},
	}
	for _, tt := range tests {
		_, err := NewSNSNotifier(&fakePublisher{}, tt.topic, tt.url)
		if err == nil || !strings.Contains(err.Error(), tt.wantErr) {
			t.Errorf("NewSNSNotifier(%q, %q) = %v, want an error naming %s", tt.topic, tt.url, err, tt.wantErr)
		}
	}
	if _, err := NewSNSNotifier(&fakePublisher{}, topicARN, "http://127.0.0.1:4566/_api/abc/"); err != nil {
		t.Errorf("local API URL refused: %v", err)
	}
}

// TestPublishErrorNamesTheRequest: the error says what failed, for whom,
// and never carries the message (which holds the code).
func TestPublishErrorNamesTheRequest(t *testing.T) {
	pub := &fakePublisher{err: errors.New("AuthorizationError")}
	n, _ := NewSNSNotifier(pub, topicARN, apiURL)
	r := store1(t)
	err := n.Notify(t.Context(), r, testCode)
	if err == nil || !strings.Contains(err.Error(), "3/Bob") || strings.Contains(err.Error(), testCode) {
		t.Errorf("Notify = %v, want an error naming 3/Bob without the code", err)
	}
}

// store1 is the request the fixture stores.
func store1(t *testing.T) tokenstore.Request {
	t.Helper()
	store := &fakeStore{}
	if _, err := newTestHandler(store, &fakeNotifier{}).Handle(t.Context(), fixture(t)); err != nil {
		t.Fatal(err)
	}
	return store.puts[0]
}

// TestSubjectFitsSNS: the longest document id still gives a subject SNS
// takes (at most 100 characters, no line break).
func TestSubjectFitsSNS(t *testing.T) {
	r := store1(t)
	r.DocumentID = strings.Repeat("d", contract.MaxDocumentIDLength)
	subject, _ := message(r, apiURL+"sign/x/Bob#code")
	if len(subject) > MaxSubjectLength || strings.ContainsAny(subject, "\r\n") {
		t.Errorf("subject of %d characters %q, want at most %d on one line", len(subject), subject, MaxSubjectLength)
	}
}
