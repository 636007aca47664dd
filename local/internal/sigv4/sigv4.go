// Package sigv4 reads what the local stack's router needs of a request's
// SigV4 signature: which region and service it was signed for. It checks
// no signature (local/apigateway does, for its AWS_IAM routes).
package sigv4

import (
	"net/http"
	"strings"
)

// CredentialScope returns the region and service of r's SigV4 credential
// scope (AKID/DATE/REGION/SERVICE/aws4_request), from the Authorization
// header or a presigned URL's X-Amz-Credential, or "" and "" when r carries
// none.
func CredentialScope(r *http.Request) (region, service string) {
	scope := r.URL.Query().Get("X-Amz-Credential")
	if auth, ok := strings.CutPrefix(r.Header.Get("Authorization"), "AWS4-HMAC-SHA256 "); ok {
		for _, part := range strings.Split(auth, ",") {
			if v, ok := strings.CutPrefix(strings.TrimSpace(part), "Credential="); ok {
				scope = v
			}
		}
	}
	f := strings.Split(scope, "/")
	if len(f) != 5 || f[4] != "aws4_request" {
		return "", ""
	}
	return f[2], f[3]
}
