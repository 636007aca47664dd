package signing_test

import (
	"context"
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/rand"
	"errors"
	"strings"
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/kms"
	"github.com/aws/aws-sdk-go-v2/service/kms/types"

	"github.com/hitl-go/docsign/internal/jws"
	"github.com/hitl-go/docsign/internal/signing"
)

// fakeKMS is a KMSSignAPI that signs with a local key and records the request.
type fakeKMS func(ctx context.Context, in *kms.SignInput, optFns ...func(*kms.Options)) (*kms.SignOutput, error)

func (f fakeKMS) Sign(ctx context.Context, in *kms.SignInput, optFns ...func(*kms.Options)) (*kms.SignOutput, error) {
	return f(ctx, in, optFns...)
}

func TestKMSSigner(t *testing.T) {
	key, err := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	if err != nil {
		t.Fatal(err)
	}
	var got *kms.SignInput
	client := fakeKMS(func(_ context.Context, in *kms.SignInput, _ ...func(*kms.Options)) (*kms.SignOutput, error) {
		got = in
		der, err := ecdsa.SignASN1(rand.Reader, key, in.Message)
		return &kms.SignOutput{KeyId: aws.String(keyARN), Signature: der, SigningAlgorithm: types.SigningAlgorithmSpecEcdsaSha256}, err
	})
	compact, err := jws.Sign(context.Background(), signing.KMSSigner{Client: client, KeyID: keyARN}, jws.Header{KeyID: keyARN}, []byte(`{"a":1}`))
	if err != nil {
		t.Fatal(err)
	}
	if aws.ToString(got.KeyId) != keyARN || got.MessageType != types.MessageTypeDigest ||
		got.SigningAlgorithm != types.SigningAlgorithmSpecEcdsaSha256 || len(got.Message) != 32 {
		t.Errorf("Sign request: %+v", got)
	}
	if _, err := jws.Verify(compact, &key.PublicKey); err != nil {
		t.Error(err)
	}
}

func TestKMSSignerErrors(t *testing.T) {
	tests := []struct {
		name string
		out  *kms.SignOutput
		err  error
		want string
	}{
		{"KMS error", nil, &types.NotFoundException{Message: aws.String("Key does not exist")}, "does not exist"},
		{"other algorithm", &kms.SignOutput{SigningAlgorithm: types.SigningAlgorithmSpecEcdsaSha384}, nil, "ECDSA_SHA_384"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			client := fakeKMS(func(context.Context, *kms.SignInput, ...func(*kms.Options)) (*kms.SignOutput, error) {
				return tc.out, tc.err
			})
			_, err := signing.KMSSigner{Client: client, KeyID: keyARN}.SignDigest(context.Background(), make([]byte, 32))
			if err == nil || !strings.Contains(err.Error(), tc.want) || !strings.Contains(err.Error(), keyARN) {
				t.Errorf("got %v, want an error naming the key and %q", err, tc.want)
			}
			if tc.err != nil && !errors.Is(err, tc.err) {
				t.Errorf("the KMS error is not wrapped: %v", err)
			}
		})
	}
}
