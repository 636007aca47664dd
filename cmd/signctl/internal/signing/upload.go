package signing

import (
	"context"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"

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
	refuse := func(format string, args ...any) ([]byte, error) {
		return nil, cli.UsageError(fmt.Sprintf("--file %s: ", path) + fmt.Sprintf(format, args...))
	}
	if path == "" {
		return refuse("the path is empty")
	}
	info, err := os.Stat(path)
	switch {
	case errors.Is(err, fs.ErrNotExist):
		return refuse("no such file")
	case err != nil:
		return refuse("%v", err)
	case info.IsDir():
		return refuse("is a directory, not a document")
	case !info.Mode().IsRegular():
		return refuse("is not a regular file")
	case info.Size() > MaxDocumentSize:
		return refuse("is %d bytes; a document is at most %d MiB", info.Size(), MaxDocumentSize>>20)
	}
	f, err := os.Open(path)
	if err != nil {
		return refuse("cannot be read: %v", err)
	}
	defer f.Close()
	body, err := io.ReadAll(io.LimitReader(f, MaxDocumentSize+1))
	if err != nil {
		return refuse("cannot be read: %v", err)
	}
	if len(body) > MaxDocumentSize { // it grew since Stat
		return refuse("is over %d MiB", MaxDocumentSize>>20)
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
	doc, err := documents.Put(ctx, api, bucket, id, body)
	if err != nil {
		return signature.Document{}, fmt.Errorf("upload document %s: %w", id, err)
	}
	return doc, nil
}
