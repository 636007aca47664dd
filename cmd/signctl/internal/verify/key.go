package verify

import (
	"context"
	"crypto/ecdsa"
	"encoding/pem"
	"fmt"
	"os"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/kms"

	"github.com/hitl-go/docsign/cmd/signctl/internal/cli"
	"github.com/hitl-go/docsign/internal/jws"
)

// keyReader lists the KMS call of `signctl verify`.
type keyReader interface {
	GetPublicKey(context.Context, *kms.GetPublicKeyInput, ...func(*kms.Options)) (*kms.GetPublicKeyOutput, error)
}

// pemType is the PEM block of a SubjectPublicKeyInfo, as `openssl pkey
// -pubout` writes it.
const pemType = "PUBLIC KEY"

// ReadPublicKey reads a P-256 public key from a PEM file (--public-key): a
// "PUBLIC KEY" block holding a SubjectPublicKeyInfo, what
// --export-public-key writes. Anything else is a usage error.
func ReadPublicKey(path string) (*ecdsa.PublicKey, error) {
	data, err := os.ReadFile(path)
	if err != nil {
		return nil, cli.UsageError(fmt.Sprintf("--public-key %s: %v", path, err))
	}
	block, _ := pem.Decode(data)
	if block == nil || block.Type != pemType {
		return nil, cli.UsageError(fmt.Sprintf("--public-key %s: not a PEM %q block (write one with --export-public-key)", path, pemType))
	}
	pub, err := jws.PublicKeyFromDER(block.Bytes)
	if err != nil {
		return nil, cli.UsageError(fmt.Sprintf("--public-key %s: %v", path, err))
	}
	return pub, nil
}

// kmsPublicKey asks KMS for the signing key's public half, and writes it as
// PEM to export unless that is "".
func kmsPublicKey(ctx context.Context, api keyReader, keyARN, export string) (*ecdsa.PublicKey, error) {
	out, err := api.GetPublicKey(ctx, &kms.GetPublicKeyInput{KeyId: aws.String(keyARN)})
	if err != nil {
		return nil, fmt.Errorf("get the public key of %s: %w", keyARN, err)
	}
	pub, err := jws.PublicKeyFromDER(out.PublicKey)
	if err != nil {
		return nil, fmt.Errorf("public key of %s: %w", keyARN, err)
	}
	if export != "" {
		data := pem.EncodeToMemory(&pem.Block{Type: pemType, Bytes: out.PublicKey})
		if err := os.WriteFile(export, data, 0o644); err != nil {
			return nil, &cli.Error{Code: "ExportFailed", Exit: cli.ExitError, Msg: fmt.Sprintf("--export-public-key: %v", err), Err: err}
		}
	}
	return pub, nil
}
