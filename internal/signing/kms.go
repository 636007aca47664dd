package signing

import (
	"context"
	"fmt"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/kms"
	"github.com/aws/aws-sdk-go-v2/service/kms/types"

	"github.com/hitl-go/docsign/internal/jws"
)

// KMSSignAPI is the part of the KMS client KMSSigner uses.
type KMSSignAPI interface {
	Sign(ctx context.Context, in *kms.SignInput, optFns ...func(*kms.Options)) (*kms.SignOutput, error)
}

// KMSSigner signs with a KMS key (ECC_NIST_P256, SIGN_VERIFY): it sends
// the digest with MessageType DIGEST and ECDSA_SHA_256, so KMS signs the
// SHA-256 of the JWS signing input without hashing it again.
type KMSSigner struct {
	Client KMSSignAPI
	// KeyID names the key: its ARN, key id or alias.
	KeyID string
}

var _ jws.Signer = KMSSigner{}

// SignDigest signs a 32-byte SHA-256 digest and returns KMS's DER signature.
func (k KMSSigner) SignDigest(ctx context.Context, digest []byte) ([]byte, error) {
	out, err := k.Client.Sign(ctx, &kms.SignInput{
		KeyId:            aws.String(k.KeyID),
		Message:          digest,
		MessageType:      types.MessageTypeDigest,
		SigningAlgorithm: types.SigningAlgorithmSpecEcdsaSha256,
	})
	if err != nil {
		return nil, fmt.Errorf("kms sign with %s: %w", k.KeyID, err)
	}
	if out.SigningAlgorithm != types.SigningAlgorithmSpecEcdsaSha256 {
		return nil, fmt.Errorf("kms sign with %s: signed with %s, not ECDSA_SHA_256", k.KeyID, out.SigningAlgorithm)
	}
	return out.Signature, nil
}
