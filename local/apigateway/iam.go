package apigateway

import (
	"context"
	"crypto/hmac"
	"crypto/sha256"
	"encoding/hex"
	"net/http"
	"slices"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	v4 "github.com/aws/aws-sdk-go-v2/aws/signer/v4"
)

// maxClockSkew is how far X-Amz-Date may be from now when signatures are
// checked, as AWS allows.
const maxClockSkew = 15 * time.Minute

// iamCaller is who signed an AWS_IAM request.
type iamCaller struct {
	accessKey string
}

// authorizer is the caller as requestContext.authorizer.iam shows it. An
// access key locally stands for an IAM user of that name in the account.
func (c *iamCaller) authorizer(account string) *IAMAuthorizer {
	return &IAMAuthorizer{
		AccessKey: c.accessKey,
		AccountID: account,
		CallerID:  c.accessKey,
		UserARN:   "arn:aws:iam::" + account + ":user/" + c.accessKey,
		UserID:    c.accessKey,
	}
}

// authorize checks an AWS_IAM request's SigV4 signature: its shape always,
// the signature itself and its freshness when the Service has keys. Every
// refusal is the same 403, as API Gateway's.
func (s *Service) authorize(r *http.Request, body []byte) (*iamCaller, error) {
	auth := r.Header.Values("Authorization")
	dates := r.Header.Values("X-Amz-Date")
	if len(auth) != 1 || len(dates) != 1 {
		return nil, errForbidden
	}
	sig, err := parseSigV4(auth[0])
	if err != nil {
		return nil, errForbidden
	}
	signed, err := time.Parse(amzDateLayout, dates[0])
	if err != nil || dates[0][:8] != sig.date || sig.region != s.region || sig.service != signedService ||
		!slices.Contains(sig.signedHeaders, "x-amz-date") {
		return nil, errForbidden
	}
	for _, h := range sig.signedHeaders {
		if h != "host" && h != "content-length" && len(r.Header.Values(h)) == 0 {
			return nil, errForbidden
		}
	}
	if s.keys == nil {
		return &iamCaller{accessKey: sig.accessKey}, nil
	}
	secret, ok := s.keys[sig.accessKey]
	if !ok {
		return nil, errForbidden
	}
	if skew := s.now().Sub(signed); skew > maxClockSkew || skew < -maxClockSkew {
		return nil, errForbidden
	}
	if !verify(r, body, sig, secret, signed) {
		return nil, errForbidden
	}
	return &iamCaller{accessKey: sig.accessKey}, nil
}

// verify recomputes the signature with the SDK's signer over a request
// holding only what the client signed.
func verify(r *http.Request, body []byte, sig sigV4, secret string, signed time.Time) bool {
	u := *r.URL
	vr := &http.Request{Method: r.Method, URL: &u, Host: r.Host, Header: http.Header{}}
	for _, h := range sig.signedHeaders {
		switch h {
		case "host":
		case "content-length":
			vr.ContentLength = r.ContentLength
		default:
			vr.Header[http.CanonicalHeaderKey(h)] = r.Header.Values(h)
		}
	}
	creds := aws.Credentials{AccessKeyID: sig.accessKey, SecretAccessKey: secret}
	if slices.Contains(sig.signedHeaders, "x-amz-security-token") {
		creds.SessionToken = r.Header.Get("X-Amz-Security-Token")
	}
	err := v4.NewSigner().SignHTTP(context.Background(), creds, vr, sha256Hex(string(body)),
		signedService, sig.region, signed)
	if err != nil {
		return false
	}
	want, err := parseSigV4(vr.Header.Get("Authorization"))
	if err != nil || !slices.Equal(want.signedHeaders, sig.signedHeaders) {
		return false
	}
	return hmac.Equal([]byte(want.signature), []byte(sig.signature))
}

func sha256Hex(body string) string {
	sum := sha256.Sum256([]byte(body))
	return hex.EncodeToString(sum[:])
}
