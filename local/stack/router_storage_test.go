package stack

import (
	"cmp"
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
)

// s3Auth is the Authorization header of a SigV4-signed S3 request.
const s3Auth = "AWS4-HMAC-SHA256 Credential=local/20261205/us-east-1/s3/aws4_request, SignedHeaders=host;x-amz-date, Signature=00"

// snsAuth is the Authorization header of a SigV4-signed SNS request.
var snsAuth = strings.Replace(s3Auth, "/s3/", "/sns/", 1)

// TestRouterServices: S3 and SNS requests (by SigV4 credential scope), KMS
// requests (by X-Amz-Target), HTTP API requests and the outbox (by path)
// reach their services, from a loopback host and the stack's own origin only.
func TestRouterServices(t *testing.T) {
	named := func(name string) http.Handler {
		return http.HandlerFunc(func(w http.ResponseWriter, _ *http.Request) { io.WriteString(w, name) })
	}
	rt := &router{stepFunctions: named("stepfunctions"), dynamoDB: named("dynamodb"),
		lambda: named("lambda"), s3: named("s3"), kms: named("kms"), sns: named("sns"), apis: named("apis"),
		outbox: named("outbox"), console: named("console")}
	tests := []struct {
		name                 string
		method, path, target string
		auth, query          string
		host, origin         string // default 127.0.0.1:4566 and none
		want                 string
		wantStatus           int
	}{
		{"KMS", "POST", "/", "TrentService.Sign", "", "", "", "", "kms", 200},
		{"KMS unknown operation", "POST", "/", "TrentService.Encrypt", "", "", "", "", "kms", 200},
		{"S3 object", "PUT", "/bucket/documents/3", "", s3Auth, "", "", "", "s3", 200},
		{"S3 bucket listing", "GET", "/bucket", "", s3Auth, "?versions", "", "", "s3", 200},
		{"S3 bucket named like a Lambda path", "GET", "/2015-03-31/functions/", "", s3Auth, "", "", "", "s3", 200},
		{"S3 presigned", "GET", "/bucket/k", "", "", "?X-Amz-Credential=local%2F20261205%2Fus-east-1%2Fs3%2Faws4_request", "", "", "s3", 200},
		{"unsigned GET is the console's", "GET", "/bucket/k", "", "", "", "", "", "console", 200},
		{"signed for Lambda", "GET", "/2015-03-31/functions/", "", strings.Replace(s3Auth, "/s3/", "/lambda/", 1), "", "", "", "lambda", 200},
		{"SNS", "POST", "/", "", snsAuth, "", "", "", "sns", 200},
		{"SNS presigned", "GET", "/", "", "", "?Action=Publish&X-Amz-Credential=local%2F20261205%2Fus-east-1%2Fsns%2Faws4_request", "", "", "sns", 200},
		{"HTTP API page", "GET", "/_api/abc123/sign/doc-1/Bob", "", "", "", "", "", "apis", 200},
		{"HTTP API signed for execute-api", "POST", "/_api/abc123/documents/doc-1", "", strings.Replace(s3Auth, "/s3/", "/execute-api/", 1), "", "", "", "apis", 200},
		{"HTTP API from its own page", "POST", "/_api/abc123/sign/doc-1/Bob", "", "", "", "", "http://127.0.0.1:4566", "apis", 200},
		{"HTTP API with a JSON target header", "POST", "/_api/abc123/x", "DynamoDB_20120810.Scan", "", "", "", "", "apis", 200},
		{"outbox", "GET", "/_local/outbox", "", "", "", "", "", "outbox", 200},
		{"outbox from the console", "GET", "/_local/outbox", "", "", "", "", "http://127.0.0.1:4566", "outbox", 200},
		{"under /_local/ is the console's", "GET", "/_local/other", "", "", "", "", "", "console", 200},
		{"unknown JSON service names what is served", "POST", "/", "AmazonSQS.SendMessage", "", "", "", "", "DynamoDB, Lambda, S3, KMS, SNS and HTTP APIs only", 400},
		{"S3 foreign host", "GET", "/bucket/k", "", s3Auth, "", "bucket.attacker.example:4566", "", "AccessDeniedException", 403},
		{"S3 foreign origin", "PUT", "/bucket/k", "", s3Auth, "", "", "http://attacker.example", "AccessDeniedException", 403},
		{"KMS foreign host", "POST", "/", "TrentService.Sign", "", "", "attacker.example:4566", "", "AccessDeniedException", 403},
		{"KMS foreign origin", "POST", "/", "TrentService.GetPublicKey", "", "", "", "null", "AccessDeniedException", 403},
		{"SNS foreign host", "POST", "/", "", snsAuth, "", "sns.attacker.example", "", "AccessDeniedException", 403},
		{"HTTP API foreign host", "GET", "/_api/abc123/sign/doc-1/Bob", "", "", "", "attacker.example:4566", "", "AccessDeniedException", 403},
		{"HTTP API foreign origin", "POST", "/_api/abc123/sign/doc-1/Bob", "", "", "", "", "http://attacker.example", "AccessDeniedException", 403},
		{"outbox foreign host", "GET", "/_local/outbox", "", "", "", "rebound.attacker.example:4566", "", "AccessDeniedException", 403},
		{"outbox foreign origin", "GET", "/_local/outbox", "", "", "", "", "http://attacker.example", "AccessDeniedException", 403},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			r := httptest.NewRequest(tt.method, tt.path+tt.query, strings.NewReader("{}"))
			r.Host = cmp.Or(tt.host, "127.0.0.1:4566")
			for k, v := range map[string]string{"Origin": tt.origin, "X-Amz-Target": tt.target, "Authorization": tt.auth} {
				if v != "" {
					r.Header.Set(k, v)
				}
			}
			w := httptest.NewRecorder()
			rt.ServeHTTP(w, r)
			if got := w.Body.String(); w.Code != tt.wantStatus || !strings.Contains(got, tt.want) {
				t.Errorf("got %d %q, want %d and %q", w.Code, got, tt.wantStatus, tt.want)
			}
		})
	}
}
