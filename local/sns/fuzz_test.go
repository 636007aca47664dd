package sns

import (
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
)

// FuzzDecodeRequest feeds arbitrary bodies through the request decoding and
// Publish's checks: the service must answer every one with a status of the
// API (no panic, no 5xx), and an answer of 200 must have kept the message.
func FuzzDecodeRequest(f *testing.F) {
	for _, seed := range []string{
		form(),
		form("MessageStructure", "json", "Message", `{"default":"d","email":"e"}`),
		form(attrs([4]string{"n", "Number", "StringValue", "1.5"}, [4]string{"raw", "Binary", "BinaryValue", "AAEC"})...),
		"Action=ListSubscriptionsByTopic&TopicArn=" + testTopicARN,
		"Action=GetTopicAttributes&TopicArn=" + testTopicARN,
		"Action=Publish&Message=%zz",
		"MessageAttributes.entry.999999.Name=x&Action=Publish",
		"",
	} {
		f.Add(seed)
	}
	svc, err := New(Options{Topics: testTopics()})
	if err != nil {
		f.Fatal(err)
	}
	f.Fuzz(func(t *testing.T, body string) {
		r := httptest.NewRequest(http.MethodPost, "/", strings.NewReader(body))
		r.Header.Set("Content-Type", "application/x-www-form-urlencoded")
		r.Header.Set("Authorization", signedScope)
		before := len(svc.Outbox())
		rec := httptest.NewRecorder()
		svc.ServeHTTP(rec, r)
		switch {
		case rec.Code >= 500:
			t.Fatalf("status %d for %q: %s", rec.Code, body, rec.Body)
		case rec.Code == http.StatusOK && strings.Contains(rec.Body.String(), "<PublishResponse") && len(svc.Outbox()) == before:
			t.Fatalf("publish accepted but not kept: %q", body)
		case rec.Code != http.StatusOK && len(svc.Outbox()) != before:
			t.Fatalf("refused publish kept: %q", body)
		}
	})
}
