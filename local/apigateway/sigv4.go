package apigateway

import (
	"errors"
	"strings"
	"time"
)

// sigV4 is a parsed SigV4 Authorization header:
// "AWS4-HMAC-SHA256 Credential=<key>/<date>/<region>/<service>/aws4_request,
// SignedHeaders=<h1;h2>, Signature=<64 hex>".
type sigV4 struct {
	accessKey     string
	date          string // yyyymmdd
	region        string
	service       string
	signedHeaders []string // lower-case, sorted, with host
	signature     string
}

const (
	sigV4Algorithm = "AWS4-HMAC-SHA256"
	amzDateLayout  = "20060102T150405Z"
	signedService  = "execute-api"
)

var errMalformed = errors.New("malformed SigV4 authorization")

// parseSigV4 parses an Authorization header value; it checks the shape of
// every part, not what the parts name.
func parseSigV4(header string) (sigV4, error) {
	var sig sigV4
	rest, ok := strings.CutPrefix(header, sigV4Algorithm+" ")
	if !ok {
		return sig, errMalformed
	}
	fields := map[string]string{}
	for part := range strings.SplitSeq(rest, ",") {
		k, v, ok := strings.Cut(strings.TrimSpace(part), "=")
		if !ok || v == "" || fields[k] != "" {
			return sig, errMalformed
		}
		fields[k] = v
	}
	if len(fields) != 3 {
		return sig, errMalformed
	}
	cred := strings.Split(fields["Credential"], "/")
	if len(cred) != 5 || cred[4] != "aws4_request" || !isAccessKey(cred[0]) || !isDate(cred[1]) ||
		cred[2] == "" || cred[3] == "" {
		return sig, errMalformed
	}
	sig.accessKey, sig.date, sig.region, sig.service = cred[0], cred[1], cred[2], cred[3]
	sig.signedHeaders = strings.Split(fields["SignedHeaders"], ";")
	if !validSignedHeaders(sig.signedHeaders) {
		return sig, errMalformed
	}
	sig.signature = fields["Signature"]
	if len(sig.signature) != 64 || strings.Trim(sig.signature, "0123456789abcdef") != "" {
		return sig, errMalformed
	}
	return sig, nil
}

// isAccessKey accepts IAM's access key id alphabet and length.
func isAccessKey(s string) bool {
	if len(s) < 1 || len(s) > 128 {
		return false
	}
	for _, c := range s {
		if !('A' <= c && c <= 'Z' || 'a' <= c && c <= 'z' || '0' <= c && c <= '9') {
			return false
		}
	}
	return true
}

func isDate(s string) bool {
	_, err := time.Parse("20060102", s)
	return len(s) == 8 && err == nil
}

// validSignedHeaders wants lower-case header names in strictly ascending
// order, host among them, as the canonical request lists them.
func validSignedHeaders(hs []string) bool {
	host := false
	for i, h := range hs {
		if h == "" || (i > 0 && hs[i-1] >= h) {
			return false
		}
		for _, c := range h {
			if !('a' <= c && c <= 'z' || '0' <= c && c <= '9' || c == '-' || c == '_' || c == '.') {
				return false
			}
		}
		host = host || h == "host"
	}
	return host
}
