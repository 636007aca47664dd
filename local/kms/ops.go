package kms

import (
	"crypto/ecdsa"
	"crypto/rand"
	"crypto/sha256"
	"net/http"

	"github.com/hitl-go/docsign/local/internal/apierror"
)

// sha256Size is the digest length ECDSA_SHA_256 takes with MessageType DIGEST.
const sha256Size = sha256.Size

type signOutput struct {
	KeyID            string `json:"KeyId"`
	Signature        []byte // base64 in JSON, as the protocol carries blobs
	SigningAlgorithm string
}

type verifyOutput struct {
	KeyID            string `json:"KeyId"`
	SignatureValid   bool
	SigningAlgorithm string
}

type getPublicKeyOutput struct {
	KeyID                 string `json:"KeyId"`
	PublicKey             []byte
	CustomerMasterKeySpec string
	KeySpec               string
	KeyUsage              string
	SigningAlgorithms     []string
}

type describeKeyOutput struct {
	KeyMetadata keyMetadata
}

type keyMetadata struct {
	AWSAccountID          string `json:"AWSAccountId"`
	KeyID                 string `json:"KeyId"`
	Arn                   string
	CreationDate          float64 // epoch seconds, the JSON protocols' timestamp
	Enabled               bool
	Description           string
	KeyUsage              string
	KeyState              string
	Origin                string
	KeyManager            string
	CustomerMasterKeySpec string
	KeySpec               string
	SigningAlgorithms     []string
	MultiRegion           bool
}

// prepareSign resolves and checks a Sign or Verify request up to the
// cryptography: the key, the algorithm, the digest to sign and DryRun.
func (s *Service) prepareSign(in members, verify bool) (*key, *signRequest, []byte, *APIError) {
	r, err := decodeSignRequest(in, verify)
	if err != nil {
		return nil, nil, nil, err
	}
	k, err := s.lookup(r.keyID)
	if err != nil {
		return nil, nil, nil, err
	}
	if r.algorithm != algECDSASHA256 {
		return nil, nil, nil, apierror.New(codeInvalidKeyUsage,
			"%s is not a valid signing algorithm for KMS key %s (KeySpec %s); use %s", r.algorithm, k.ARN, k.KeySpec, algECDSASHA256)
	}
	var digest []byte
	switch r.messageType {
	case messageTypeRaw:
		sum := sha256.Sum256(r.message)
		digest = sum[:]
	case messageTypeDigest:
		if len(r.message) != sha256Size {
			return nil, nil, nil, apierror.New(codeValidation, "Digest is invalid length for algorithm %s.", r.algorithm)
		}
		digest = r.message
	default:
		return nil, nil, nil, apierror.New(codeValidation, "MessageType %s is valid for ML-DSA keys only, not %s", r.messageType, k.KeySpec)
	}
	if err := checkGrantTokens(r.grantTokens); err != nil {
		return nil, nil, nil, err
	}
	if r.dryRun {
		return nil, nil, nil, &APIError{Code: codeDryRunOperation, Status: statusDryRunOperation,
			Message: "The request would have succeeded, but the DryRun option is set."}
	}
	return k, r, digest, nil
}

func (s *Service) sign(in members) (any, *APIError) {
	k, r, digest, apiErr := s.prepareSign(in, false)
	if apiErr != nil {
		return nil, apiErr
	}
	sig, err := ecdsa.SignASN1(rand.Reader, k.private, digest)
	if err != nil {
		return nil, &APIError{Code: codeInternal, Status: http.StatusInternalServerError, Message: "sign: " + err.Error()}
	}
	return signOutput{KeyID: k.ARN, Signature: sig, SigningAlgorithm: r.algorithm}, nil
}

func (s *Service) verify(in members) (any, *APIError) {
	k, r, digest, apiErr := s.prepareSign(in, true)
	if apiErr != nil {
		return nil, apiErr
	}
	// A malformed signature is just one that does not verify, as in KMS.
	if !ecdsa.VerifyASN1(&k.private.PublicKey, digest, r.signature) {
		return nil, apierror.New(codeInvalidSignature, "The signature is not valid for this message, key and signing algorithm")
	}
	return verifyOutput{KeyID: k.ARN, SignatureValid: true, SigningAlgorithm: r.algorithm}, nil
}

// resolveKey decodes and checks the request of GetPublicKey or DescribeKey.
func (s *Service) resolveKey(in members) (*key, *APIError) {
	var v validation
	r, err := decodeKeyRequest(in, &v)
	if err != nil {
		return nil, err
	}
	if err := v.err(); err != nil {
		return nil, err
	}
	k, err := s.lookup(r.keyID)
	if err != nil {
		return nil, err
	}
	if err := checkGrantTokens(r.grantTokens); err != nil {
		return nil, err
	}
	return k, nil
}

func (s *Service) getPublicKey(in members) (any, *APIError) {
	k, err := s.resolveKey(in)
	if err != nil {
		return nil, err
	}
	return getPublicKeyOutput{KeyID: k.ARN, PublicKey: k.publicDER, CustomerMasterKeySpec: k.KeySpec,
		KeySpec: k.KeySpec, KeyUsage: k.KeyUsage, SigningAlgorithms: []string{algECDSASHA256}}, nil
}

func (s *Service) describeKey(in members) (any, *APIError) {
	k, err := s.resolveKey(in)
	if err != nil {
		return nil, err
	}
	return describeKeyOutput{KeyMetadata: keyMetadata{
		AWSAccountID: k.account, KeyID: k.id, Arn: k.ARN,
		CreationDate: float64(k.created.UnixMilli()) / 1000,
		Enabled:      true, Description: k.Description, KeyUsage: k.KeyUsage, KeyState: "Enabled",
		Origin: "AWS_KMS", KeyManager: "CUSTOMER", CustomerMasterKeySpec: k.KeySpec, KeySpec: k.KeySpec,
		SigningAlgorithms: []string{algECDSASHA256},
	}}, nil
}
