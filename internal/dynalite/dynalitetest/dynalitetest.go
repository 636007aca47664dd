// Package dynalitetest starts dynalite for tests, following the project's
// rule: skip when dynalite is missing outside CI, fail when it is missing in CI.
package dynalitetest

import (
	"context"
	"errors"
	"os"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/credentials"
	"github.com/aws/aws-sdk-go-v2/service/dynamodb"

	"github.com/hitl-go/docsign/internal/dynalite"
)

// Start runs an in-memory dynalite on a free loopback port, stopped when the test ends.
func Start(t testing.TB) *dynalite.Server {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	s, err := dynalite.Start(ctx, dynalite.Options{})
	if errors.Is(err, dynalite.ErrNotInstalled) && os.Getenv("CI") == "" {
		t.Skipf("dynalite not available (CI unset, so skipping): %v", err)
	}
	if err != nil {
		t.Fatalf("start dynalite: %v", err)
	}
	t.Cleanup(func() {
		if err := s.Stop(); err != nil {
			t.Errorf("stop dynalite: %v", err)
		}
	})
	return s
}

// Client returns a DynamoDB client for the server, with dummy credentials.
func Client(s *dynalite.Server) *dynamodb.Client {
	return dynamodb.New(dynamodb.Options{
		Region:       "us-east-1",
		BaseEndpoint: aws.String(s.Endpoint()),
		Credentials:  credentials.NewStaticCredentialsProvider("local", "local", ""),
	})
}
