// Package documents pins a document — the current version of
// documents/<documentId> in the document bucket, and the SHA-256 of its
// bytes — and checks later that the pinned version is still there, unchanged.
// The same code runs on AWS and against the local stand-in: it reads and
// hashes the bytes rather than trusting a stored checksum.
package documents

import (
	"bytes"
	"context"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"io"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/s3"
	s3types "github.com/aws/aws-sdk-go-v2/service/s3/types"
	"github.com/aws/smithy-go"

	"github.com/hitl-go/docsign/internal/contract"
	"github.com/hitl-go/docsign/internal/signature"
)

// S3 lists the S3 calls this package makes.
type S3 interface {
	GetObject(context.Context, *s3.GetObjectInput, ...func(*s3.Options)) (*s3.GetObjectOutput, error)
}

var _ S3 = (*s3.Client)(nil)

// NewClient returns an S3 client for cfg. An endpoint set in the
// configuration (AWS_ENDPOINT_URL or AWS_ENDPOINT_URL_S3: the local
// stand-in) is addressed path-style, as it serves no per-bucket host names.
func NewClient(cfg aws.Config) *s3.Client {
	// The client has resolved its endpoint by the time options apply.
	return s3.NewFromConfig(cfg, func(o *s3.Options) { o.UsePathStyle = o.BaseEndpoint != nil })
}

var (
	// ErrNotFound reports that the document, or its pinned version, does not exist.
	ErrNotFound = errors.New("document not found")
	// ErrChanged reports that the pinned version's bytes no longer hash to the pinned SHA-256.
	ErrChanged = errors.New("document changed")
	// ErrExists reports that PutNew found the document stored already.
	ErrExists = errors.New("document exists")
)

// Pin reads the current version of the document documentID in bucket and
// returns it pinned. A missing document is ErrNotFound; an object without a
// version id (an unversioned bucket) is an error, as it could not be pinned.
func Pin(ctx context.Context, client S3, bucket, documentID string) (signature.Document, error) {
	key := contract.DocumentKey(documentID)
	out, err := client.GetObject(ctx, &s3.GetObjectInput{Bucket: &bucket, Key: &key})
	if err != nil {
		return signature.Document{}, readError(bucket, key, "", err)
	}
	defer out.Body.Close()
	sum, err := Hash(out.Body)
	if err != nil {
		return signature.Document{}, fmt.Errorf("read s3://%s/%s: %w", bucket, key, err)
	}
	version := aws.ToString(out.VersionId)
	if version == "" || version == "null" {
		return signature.Document{}, fmt.Errorf("s3://%s/%s has no version id: is the bucket versioned?", bucket, key)
	}
	return signature.Document{Bucket: bucket, Key: key, VersionID: version, SHA256: sum}, nil
}

// Check reads the pinned version of doc and reports ErrNotFound if it is
// gone, ErrChanged if its bytes no longer hash to doc.SHA256.
func Check(ctx context.Context, client S3, doc signature.Document) error {
	out, err := client.GetObject(ctx, &s3.GetObjectInput{Bucket: &doc.Bucket, Key: &doc.Key, VersionId: &doc.VersionID})
	if err != nil {
		return readError(doc.Bucket, doc.Key, doc.VersionID, err)
	}
	defer out.Body.Close()
	sum, err := Hash(out.Body)
	if err != nil {
		return fmt.Errorf("read s3://%s/%s version %s: %w", doc.Bucket, doc.Key, doc.VersionID, err)
	}
	if sum != doc.SHA256 {
		return fmt.Errorf("s3://%s/%s version %s has SHA-256 %s, pinned %s: %w", doc.Bucket, doc.Key, doc.VersionID, sum, doc.SHA256, ErrChanged)
	}
	return nil
}

// Hash returns the lowercase hex SHA-256 of r's bytes: a pinned document's sha256.
func Hash(r io.Reader) (string, error) {
	h := sha256.New()
	if _, err := io.Copy(h, r); err != nil {
		return "", err
	}
	return hex.EncodeToString(h.Sum(nil)), nil
}

// readError classifies a failed GetObject: the object or version missing is
// ErrNotFound (S3 answers NoSuchKey, NoSuchVersion, or a 404 without a code;
// a delete marker as the current version answers NoSuchKey).
func readError(bucket, key, version string, err error) error {
	where := fmt.Sprintf("s3://%s/%s", bucket, key)
	if version != "" {
		where += " version " + version
	}
	var noKey *s3types.NoSuchKey
	var api smithy.APIError
	if errors.As(err, &noKey) || errors.As(err, &api) && (api.ErrorCode() == "NoSuchVersion" || api.ErrorCode() == "NotFound") {
		return fmt.Errorf("%s: %w", where, ErrNotFound)
	}
	return fmt.Errorf("get %s: %w", where, err)
}

// Putter lists the S3 call Put makes.
type Putter interface {
	PutObject(context.Context, *s3.PutObjectInput, ...func(*s3.Options)) (*s3.PutObjectOutput, error)
}

var _ Putter = (*s3.Client)(nil)

// Put stores body as the document documentID in bucket, a new version of
// documents/<documentID>, and returns that version as a run would pin it
// (unless another upload lands first). A non-empty uploadedBy is kept with
// the version as metadata contract.MetadataUploadedBy. A bucket that answers
// without a version id is not versioned: an error, as nothing could be pinned.
func Put(ctx context.Context, client Putter, bucket, documentID string, body []byte, uploadedBy string) (signature.Document, error) {
	return put(ctx, client, bucket, documentID, body, uploadedBy, nil)
}

// PutNew is Put only if the document has no current version yet (S3's
// conditional write, If-None-Match: *), so that of two uploads of one id
// only the first is stored; the other gets ErrExists.
func PutNew(ctx context.Context, client Putter, bucket, documentID string, body []byte, uploadedBy string) (signature.Document, error) {
	return put(ctx, client, bucket, documentID, body, uploadedBy, aws.String("*"))
}

func put(ctx context.Context, client Putter, bucket, documentID string, body []byte, uploadedBy string, ifNoneMatch *string) (signature.Document, error) {
	key := contract.DocumentKey(documentID)
	sum, _ := Hash(bytes.NewReader(body)) // reading bytes cannot fail
	in := &s3.PutObjectInput{Bucket: &bucket, Key: &key, Body: bytes.NewReader(body), ContentLength: aws.Int64(int64(len(body))),
		IfNoneMatch: ifNoneMatch}
	if uploadedBy != "" {
		in.Metadata = map[string]string{contract.MetadataUploadedBy: uploadedBy}
	}
	out, err := client.PutObject(ctx, in)
	var api smithy.APIError
	if errors.As(err, &api) && api.ErrorCode() == "PreconditionFailed" {
		return signature.Document{}, fmt.Errorf("put s3://%s/%s: %w", bucket, key, ErrExists)
	}
	if err != nil {
		return signature.Document{}, fmt.Errorf("put s3://%s/%s: %w", bucket, key, err)
	}
	version := aws.ToString(out.VersionId)
	if version == "" || version == "null" {
		return signature.Document{}, fmt.Errorf("put s3://%s/%s: no version id in the answer: is the bucket versioned?", bucket, key)
	}
	return signature.Document{Bucket: bucket, Key: key, VersionID: version, SHA256: sum}, nil
}

// Header lists the S3 call UploadedBy makes.
type Header interface {
	HeadObject(context.Context, *s3.HeadObjectInput, ...func(*s3.Options)) (*s3.HeadObjectOutput, error)
}

var _ Header = (*s3.Client)(nil)

// UploadedBy returns who stored the pinned version, as Put recorded it
// (contract.MetadataUploadedBy), or "" when nobody was recorded.
func UploadedBy(ctx context.Context, client Header, doc signature.Document) (string, error) {
	out, err := client.HeadObject(ctx, &s3.HeadObjectInput{Bucket: &doc.Bucket, Key: &doc.Key, VersionId: &doc.VersionID})
	if err != nil {
		return "", fmt.Errorf("read the metadata of s3://%s/%s version %s: %w", doc.Bucket, doc.Key, doc.VersionID, err)
	}
	return out.Metadata[contract.MetadataUploadedBy], nil
}
