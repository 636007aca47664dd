package signing

import (
	"context"
	"fmt"
	"io"

	"github.com/hitl-go/docsign/cmd/signctl/internal/cli"
	"github.com/hitl-go/docsign/internal/contract"
	"github.com/hitl-go/docsign/internal/documents"
	"github.com/hitl-go/docsign/internal/signature"
)

// MaxDocumentSize bounds a document signctl uploads: 64 MiB, the largest
// object the local stand-in's S3 takes in one PutObject (local/s3/service.go).
const MaxDocumentSize = 64 << 20

// ReadDocumentFile reads the file to upload as a document. A missing,
// unreadable or oversized file, or one that is not a regular file, is a
// usage error: the command refuses it before anything changes.
func ReadDocumentFile(path string) ([]byte, error) {
	f, size, err := cli.OpenFile("--file", path)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	tooBig := cli.UsageError(fmt.Sprintf("--file %s: is %d bytes; a document is at most %d MiB", path, size, MaxDocumentSize>>20))
	if size > MaxDocumentSize {
		return nil, tooBig
	}
	body, err := io.ReadAll(io.LimitReader(f, MaxDocumentSize+1))
	if err != nil {
		return nil, cli.UsageError(fmt.Sprintf("--file %s: cannot be read: %v", path, err))
	}
	if len(body) > MaxDocumentSize { // it grew since it was opened
		return nil, tooBig
	}
	return body, nil
}

// Upload stores body as document id in the stack's document bucket
// (output DocumentBucketName) and returns the version it made.
func Upload(ctx context.Context, api documents.Putter, outputs cli.Outputs, id string, body []byte) (signature.Document, error) {
	bucket, err := outputs.Require(contract.OutputDocumentBucketName)
	if err != nil {
		return signature.Document{}, err
	}
	doc, err := documents.Put(ctx, api, bucket, id, body, "") // CloudTrail names the operator; no STS call to learn the ARN
	if err != nil {
		return signature.Document{}, fmt.Errorf("upload document %s: %w", id, err)
	}
	return doc, nil
}
