package sigv4

import (
	"net/http/httptest"
	"testing"
)

func TestCredentialScope(t *testing.T) {
	tests := []struct {
		auth, query     string
		region, service string
	}{
		{"AWS4-HMAC-SHA256 Credential=AKID/20261205/us-east-1/s3/aws4_request, SignedHeaders=host, Signature=00", "", "us-east-1", "s3"},
		{"", "?X-Amz-Credential=AKID%2F20261205%2Feu-west-1%2Fsns%2Faws4_request", "eu-west-1", "sns"},
		{"AWS4-HMAC-SHA256 Credential=AKID/20261205/us-east-1/s3", "", "", ""}, // no aws4_request
		{"AWS AKID:signature", "", "", ""}, // SigV2
		{"", "", "", ""},
	}
	for _, tt := range tests {
		r := httptest.NewRequest("GET", "/bucket/key"+tt.query, nil)
		if tt.auth != "" {
			r.Header.Set("Authorization", tt.auth)
		}
		if region, service := CredentialScope(r); region != tt.region || service != tt.service {
			t.Errorf("CredentialScope(%q, %q) = %q, %q; want %q, %q", tt.auth, tt.query, region, service, tt.region, tt.service)
		}
	}
}
