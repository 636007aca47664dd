package contract

import (
	"crypto/sha256"
	"crypto/subtle"
	"encoding/base64"
	"encoding/hex"
	"net/url"
)

// Message attributes of a notification (SNS MessageAttributes, String).
const (
	MessageAttrDocumentID = "documentId"
	MessageAttrSigner     = "signer"
)

// HTTP API route paths, relative to ApiUrl.
const (
	SignRoutePrefix      = "sign/"      // sign/<documentId>/<signer>: the signing page (GET) and its answer (POST)
	DocumentsRoutePrefix = "documents/" // documents/<documentId>: store and start (POST), status (GET); AWS_IAM
)

// CodeBytes is the length of a signing link's one-time code before encoding.
const CodeBytes = 32

// SignPath is the signing page's path under ApiUrl.
func SignPath(documentID, signer string) string {
	return SignRoutePrefix + url.PathEscape(documentID) + "/" + url.PathEscape(signer)
}

// SigningLink is the link a notification carries: the code rides in the
// fragment, which browsers never send, so it stays out of every server log.
func SigningLink(apiURL, documentID, signer, code string) string {
	return apiURL + SignPath(documentID, signer) + "#" + code
}

// HashCode is what the table keeps of a code: its SHA-256, lowercase hex.
func HashCode(code string) string {
	sum := sha256.Sum256([]byte(code))
	return hex.EncodeToString(sum[:])
}

// CodeMatches reports, in constant time, whether code hashes to hash.
func CodeMatches(code, hash string) bool {
	return len(hash) == 2*sha256.Size && subtle.ConstantTimeCompare([]byte(HashCode(code)), []byte(hash)) == 1
}

// CheckCode reports whether code has the shape of a one-time code: CodeBytes
// bytes, base64url without padding.
func CheckCode(code string) bool {
	b, err := base64.RawURLEncoding.Strict().DecodeString(code)
	return err == nil && len(b) == CodeBytes
}
