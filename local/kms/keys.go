package kms

import (
	"crypto/ecdsa"
	"crypto/x509"
	"fmt"
	"regexp"
	"time"
)

// Key is one KMS key to serve, as a template's AWS::KMS::Key resource
// declares it.
type Key struct {
	// LogicalID is the resource's logical id in the template (for messages).
	LogicalID string
	// ARN is the key ARN, arn:aws:kms:<region>:<account>:key/<uuid>.
	ARN string
	// KeySpec must be ECC_NIST_P256; empty is CloudFormation's default,
	// SYMMETRIC_DEFAULT, which is not served.
	KeySpec string
	// KeyUsage must be SIGN_VERIFY; empty is CloudFormation's default,
	// ENCRYPT_DECRYPT, which is not served.
	KeyUsage string
	// Description is the key's description (DescribeKey returns it).
	Description string
}

// The only key served: an ECC P-256 signing key.
const (
	keySpecP256       = "ECC_NIST_P256"
	keyUsageSign      = "SIGN_VERIFY"
	algECDSASHA256    = "ECDSA_SHA_256"
	messageTypeRaw    = "RAW"
	messageTypeDigest = "DIGEST"
)

// keyARN matches a key ARN and captures its partition, region, account and
// key id. Key ids are lower-case UUIDs, as KMS creates them.
var keyARN = regexp.MustCompile(`^arn:(aws[a-z-]*):kms:([a-z]{2}(?:-[a-z]+)+-\d+):(\d{12}):key/([0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12})$`)

// key is a served key with its material.
type key struct {
	Key
	id, region, account string
	private             *ecdsa.PrivateKey
	publicDER           []byte // SubjectPublicKeyInfo, as GetPublicKey returns it
	created             time.Time
}

// checkKey refuses a key this service cannot serve, naming it.
func checkKey(k Key) (id, region, account string, err error) {
	name := k.LogicalID
	if name == "" {
		name = k.ARN
	}
	m := keyARN.FindStringSubmatch(k.ARN)
	if m == nil {
		return "", "", "", fmt.Errorf("kms key %s: ARN %q is not a key ARN (arn:aws:kms:<region>:<account>:key/<uuid>)", name, k.ARN)
	}
	spec, usage := k.KeySpec, k.KeyUsage
	if spec == "" {
		spec = "SYMMETRIC_DEFAULT"
	}
	if usage == "" {
		usage = "ENCRYPT_DECRYPT"
	}
	if !Serves(spec, usage) {
		return "", "", "", fmt.Errorf("kms key %s: KeySpec %s with KeyUsage %s is not supported by the local KMS (only %s with %s)",
			name, spec, usage, keySpecP256, keyUsageSign)
	}
	return m[4], m[2], m[3], nil
}

// Serves reports whether New accepts a key of this spec and usage (empty
// values are CloudFormation's defaults, which it does not), so that a caller
// can leave out keys it cannot serve rather than fail.
func Serves(keySpec, keyUsage string) bool {
	return keySpec == keySpecP256 && keyUsage == keyUsageSign
}

// newKey completes a checked key with its material.
func newKey(k Key, id, region, account string, private *ecdsa.PrivateKey, created time.Time) (*key, error) {
	der, err := x509.MarshalPKIXPublicKey(&private.PublicKey)
	if err != nil {
		return nil, fmt.Errorf("kms key %s: encode public key: %w", k.ARN, err)
	}
	return &key{Key: k, id: id, region: region, account: account, private: private, publicDER: der, created: created}, nil
}
