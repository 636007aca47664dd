package signing_test

import (
	"context"
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/rand"
	"errors"
	"io"
	"reflect"
	"strings"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/s3"
	s3types "github.com/aws/aws-sdk-go-v2/service/s3/types"

	"github.com/hitl-go/docsign/internal/contract"
	"github.com/hitl-go/docsign/internal/jws"
	"github.com/hitl-go/docsign/internal/signature"
	"github.com/hitl-go/docsign/internal/signing"
)

const keyARN = "arn:aws:kms:us-east-1:000000000000:key/00000000-0000-4000-8000-000000000000"

var doc = signature.Document{Bucket: "docs", Key: "documents/3", VersionID: "v1",
	SHA256: "2cf24dba5fb0a30e26e83b2ac5b9e29e1b161e5c1fa7425e73043362938b9824"} // "hello"

// bucket answers GetObject with body, or NoSuchKey when it is "".
type bucket struct{ body string }

func (b bucket) GetObject(_ context.Context, in *s3.GetObjectInput, _ ...func(*s3.Options)) (*s3.GetObjectOutput, error) {
	if b.body == "" {
		return nil, &s3types.NoSuchKey{}
	}
	return &s3.GetObjectOutput{Body: io.NopCloser(strings.NewReader(b.body)), VersionId: in.VersionId}, nil
}

func TestSign(t *testing.T) {
	key, err := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	if err != nil {
		t.Fatal(err)
	}
	kmsLike := jws.SignerFunc(func(_ context.Context, digest []byte) ([]byte, error) {
		return ecdsa.SignASN1(rand.Reader, key, digest)
	})
	at := time.Date(2026, 12, 5, 12, 0, 0, 0, time.UTC)
	sealer := &signing.Sealer{Documents: bucket{"hello"}, Key: kmsLike, KeyARN: keyARN, Now: func() time.Time { return at }}
	run := "arn:aws:states:us-east-1:000000000000:execution:Signing:3"
	env, err := sealer.Sign(t.Context(), "3", doc, "Bob", run, contract.AuthenticatedByLink)
	if err != nil {
		t.Fatal(err)
	}
	st, err := signature.Verify(env, &key.PublicKey, signature.Expected{KeyARN: keyARN, DocumentID: "3", Document: doc, ExecutionARN: run})
	if err != nil || st.AuthenticatedBy != contract.AuthenticatedByLink || st.SignedAt != "2026-12-05T12:00:00Z" {
		t.Errorf("Verify = %+v, %v; want Bob's statement, authenticated by link", st, err)
	}

	tests := []struct {
		name     string
		sealer   *signing.Sealer
		wantType string
	}{
		{"bytes changed", &signing.Sealer{Documents: bucket{"hello!"}, Key: kmsLike, KeyARN: keyARN, Now: time.Now}, contract.ErrorDocumentChanged},
		{"version gone", &signing.Sealer{Documents: bucket{""}, Key: kmsLike, KeyARN: keyARN, Now: time.Now}, contract.ErrorDocumentChanged},
		{"KMS failing", &signing.Sealer{Documents: bucket{"hello"}, KeyARN: keyARN, Now: time.Now,
			Key: jws.SignerFunc(func(context.Context, []byte) ([]byte, error) { return nil, errors.New("ThrottlingException") })},
			contract.ErrorSignatureServiceUnavailable},
	}
	for _, tt := range tests {
		got, err := tt.sealer.Sign(t.Context(), "3", doc, "Bob", run, contract.AuthenticatedByLink)
		if err == nil || reflect.TypeOf(err).Elem().Name() != tt.wantType || got != (signature.Envelope{}) {
			t.Errorf("%s: Sign = %+v, %v; want errorType %s", tt.name, got, err, tt.wantType)
		}
	}
}

func TestNewNeedsTheKey(t *testing.T) {
	if _, err := signing.New(aws.Config{}, func(string) string { return "" }); err == nil || !strings.Contains(err.Error(), contract.EnvSigningKeyARN) {
		t.Errorf("New without %s = %v, want an error naming it", contract.EnvSigningKeyARN, err)
	}
}
