package stacktest

import (
	"bytes"
	"context"
	"crypto/sha256"
	"encoding/hex"
	"fmt"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/s3"
	"github.com/aws/aws-sdk-go-v2/service/sfn"

	"github.com/hitl-go/docsign/internal/contract"
)

// DocumentBody is the small document the start helpers upload for id: its
// bytes differ per id, so each run pins its own SHA-256.
func DocumentBody(id string) []byte {
	return fmt.Appendf(nil, "Contract %s\n\nThe parties agree to the terms on page 2.\n", id)
}

// SHA256 is the lowercase hex SHA-256 of b, as a pinned document records it
// (internal/documents).
func SHA256(b []byte) string {
	sum := sha256.Sum256(b)
	return hex.EncodeToString(sum[:])
}

// Upload stores body as the document id, documents/<id> in the stack's
// document bucket, and returns the new version's id.
func (e *Env) Upload(ctx context.Context, id string, body []byte) (string, error) {
	out, err := e.S3.PutObject(ctx, &s3.PutObjectInput{Bucket: aws.String(e.Bucket),
		Key: aws.String(contract.DocumentKey(id)), Body: bytes.NewReader(body)})
	if err != nil {
		return "", fmt.Errorf("upload document %s to s3://%s: %w", id, e.Bucket, err)
	}
	return aws.ToString(out.VersionId), nil
}

// PrepareInput uploads DocumentBody(id) and returns the execution input
// that starts its run: since the run pins documents/<id> first
// (lambdas/pindocument), a run started without it fails DocumentNotFound.
func (e *Env) PrepareInput(ctx context.Context, id string) (string, error) {
	if _, err := e.Upload(ctx, id, DocumentBody(id)); err != nil {
		return "", err
	}
	return StartInput(id), nil
}

// StartDocument uploads DocumentBody(id) and starts the document's run,
// named after it, returning the run's ARN.
func (e *Env) StartDocument(ctx context.Context, id string) (string, error) {
	input, err := e.PrepareInput(ctx, id)
	if err != nil {
		return "", err
	}
	out, err := e.SFN.StartExecution(ctx, &sfn.StartExecutionInput{StateMachineArn: aws.String(e.Machine),
		Name: aws.String(id), Input: aws.String(input)})
	if err != nil {
		return "", fmt.Errorf("start %s: %w", id, err)
	}
	return aws.ToString(out.ExecutionArn), nil
}
