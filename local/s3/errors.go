package s3

import (
	"encoding/xml"
	"fmt"
	"net/http"

	"github.com/johannesboyne/gofakes3"
)

// errBucketOwned refuses bucket configuration and life-cycle changes
// (CreateBucket, DeleteBucket, PutBucketVersioning, …). The template owns
// the buckets: in AWS the workflow's callers hold object permissions only,
// and S3 answers a caller without s3:CreateBucket or s3:DeleteBucket with
// 403 AccessDenied, so that is what the stand-in says too.
var errBucketOwned = gofakes3.ErrorMessage("AccessDenied", "Access Denied: the stack's template owns its buckets; bucket creation, deletion and configuration are not allowed")

// codeEntityTooLarge is S3's code for a body over the size limit.
const codeEntityTooLarge gofakes3.ErrorCode = "EntityTooLarge"

func errEntityTooLarge(limit int64) error {
	return gofakes3.ErrorMessagef(codeEntityTooLarge, "Your proposed upload exceeds the maximum allowed size (%d bytes in the local stand-in)", limit)
}

// s3Error is S3's XML error document.
type s3Error struct {
	XMLName   xml.Name `xml:"Error"`
	Code      string   `xml:"Code"`
	Message   string   `xml:"Message"`
	Resource  string   `xml:"Resource,omitempty"`
	RequestID string   `xml:"RequestId"`
}

// writeError answers r with S3's XML error (headers only for HEAD, as S3).
func writeError(w http.ResponseWriter, r *http.Request, status int, code, msg string) {
	w.Header().Set("Content-Type", "application/xml")
	w.WriteHeader(status)
	if r.Method == http.MethodHead {
		return
	}
	body, err := xml.Marshal(s3Error{Code: code, Message: msg, Resource: r.URL.Path, RequestID: w.Header().Get("x-amz-request-id")})
	if err != nil {
		panic(fmt.Sprintf("marshal S3 error: %v", err)) // a fixed struct of strings always marshals
	}
	_, _ = w.Write([]byte(xml.Header))
	_, _ = w.Write(body)
}
