package sns

import (
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
)

func TestMatches(t *testing.T) {
	tests := []struct {
		name, url, auth string
		want            bool
	}{
		{"signed for sns", "/", signedScope, true},
		{"signed for sns in another region", "/", strings.Replace(signedScope, "us-east-1", "eu-west-1", 1), true},
		{"signed for s3", "/bucket/key", strings.Replace(signedScope, "/sns/", "/s3/", 1), false},
		{"signed for sqs", "/", strings.Replace(signedScope, "/sns/", "/sqs/", 1), false},
		{"presigned for sns", "/?Action=Publish&X-Amz-Credential=local%2F20261206%2Fus-east-1%2Fsns%2Faws4_request", "", true},
		{"unsigned", "/?Action=Publish", "", false},
		{"SigV2", "/", "AWS local:abc", false},
		{"scope without aws4_request", "/", "AWS4-HMAC-SHA256 Credential=local/20261206/us-east-1/sns/other, Signature=0", false},
		{"scope too long", "/", "AWS4-HMAC-SHA256 Credential=local/x/20261206/us-east-1/sns/aws4_request, Signature=0", false},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			r := httptest.NewRequest(http.MethodPost, tc.url, nil)
			if tc.auth != "" {
				r.Header.Set("Authorization", tc.auth)
			}
			if got := Matches(r); got != tc.want {
				t.Errorf("Matches: got %v, want %v", got, tc.want)
			}
		})
	}
}

// TestGETQueryString: the query protocol also takes its parameters in a
// GET's query string.
func TestGETQueryString(t *testing.T) {
	svc := newTestService(t, "")
	r := httptest.NewRequest(http.MethodGet, "/?Action=GetTopicAttributes&TopicArn="+testTopicARN, nil)
	r.Header.Set("Authorization", signedScope)
	rec := httptest.NewRecorder()
	svc.ServeHTTP(rec, r)
	body := rec.Body.String()
	if rec.Code != http.StatusOK || !strings.Contains(body, `<GetTopicAttributesResponse xmlns="`+Namespace+`">`) ||
		!strings.Contains(body, "<key>TopicArn</key><value>"+testTopicARN+"</value>") || rec.Header().Get("x-amzn-RequestId") == "" {
		t.Errorf("%d %s", rec.Code, body)
	}
}
