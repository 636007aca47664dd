package kms

import (
	"context"
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/sha256"
	"crypto/x509"
	"encoding/asn1"
	"errors"
	"math/big"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/credentials"
	"github.com/aws/aws-sdk-go-v2/service/kms"
	"github.com/aws/aws-sdk-go-v2/service/kms/types"
)

const (
	testKeyID  = "1234abcd-12ab-34cd-56ef-1234567890ab"
	testARN    = "arn:aws:kms:us-east-1:000000000000:key/" + testKeyID
	otherKeyID = "0b9e8f1a-2c3d-4e5f-8a9b-0c1d2e3f4a5b"
	otherARN   = "arn:aws:kms:us-east-1:000000000000:key/" + otherKeyID
)

// testKeys are two signing keys, as a template would declare them.
func testKeys() []Key {
	return []Key{
		{LogicalID: "SigningKey", ARN: testARN, KeySpec: "ECC_NIST_P256", KeyUsage: "SIGN_VERIFY", Description: "signs statements"},
		{LogicalID: "OtherKey", ARN: otherARN, KeySpec: "ECC_NIST_P256", KeyUsage: "SIGN_VERIFY"},
	}
}

// newTestService serves testKeys, keeping them under dir ("" in memory).
func newTestService(t *testing.T, dir string) *Service {
	t.Helper()
	svc, err := New(Options{Keys: testKeys(), Dir: dir})
	if err != nil {
		t.Fatal(err)
	}
	return svc
}

// newClient starts svc on an httptest server and returns an SDK client for it.
func newClient(t *testing.T, svc *Service) (*kms.Client, string) {
	t.Helper()
	srv := httptest.NewServer(svc)
	t.Cleanup(srv.Close)
	return kms.New(kms.Options{
		Region:       "us-east-1",
		BaseEndpoint: aws.String(srv.URL),
		Credentials:  credentials.NewStaticCredentialsProvider("local", "local", ""),
		Retryer:      aws.NopRetryer{},
	}), srv.URL
}

// publicKey fetches a key's public key with GetPublicKey and parses it
// with crypto/x509, independently of the service's own code.
func publicKey(t *testing.T, c *kms.Client, keyID string) *ecdsa.PublicKey {
	t.Helper()
	out, err := c.GetPublicKey(context.Background(), &kms.GetPublicKeyInput{KeyId: aws.String(keyID)})
	if err != nil {
		t.Fatalf("GetPublicKey: %v", err)
	}
	k, err := x509.ParsePKIXPublicKey(out.PublicKey)
	if err != nil {
		t.Fatalf("GetPublicKey returned no SPKI: %v", err)
	}
	pub, ok := k.(*ecdsa.PublicKey)
	if !ok || pub.Curve != elliptic.P256() {
		t.Fatalf("GetPublicKey: %T, want a P-256 key", k)
	}
	if aws.ToString(out.KeyId) != testARN && aws.ToString(out.KeyId) != otherARN {
		t.Errorf("GetPublicKey KeyId %q, want a key ARN", aws.ToString(out.KeyId))
	}
	if out.KeySpec != types.KeySpecEccNistP256 || out.KeyUsage != types.KeyUsageTypeSignVerify ||
		len(out.SigningAlgorithms) != 1 || out.SigningAlgorithms[0] != types.SigningAlgorithmSpecEcdsaSha256 {
		t.Errorf("GetPublicKey: spec %s usage %s algorithms %v", out.KeySpec, out.KeyUsage, out.SigningAlgorithms)
	}
	return pub
}

// verifyDER checks a DER signature with crypto/ecdsa on the decoded r, s.
func verifyDER(pub *ecdsa.PublicKey, digest, der []byte) bool {
	var rs struct{ R, S *big.Int }
	if rest, err := asn1.Unmarshal(der, &rs); err != nil || len(rest) != 0 {
		return false
	}
	return ecdsa.Verify(pub, digest, rs.R, rs.S)
}

func TestSDKSignVerify(t *testing.T) {
	ctx := context.Background()
	c, _ := newClient(t, newTestService(t, ""))
	pub := publicKey(t, c, testKeyID)
	message := []byte(`eyJhbGciOiJFUzI1NiJ9.eyJkb2N1bWVudElkIjoiMSJ9`)
	digest := sha256.Sum256(message)
	tests := []struct {
		name        string
		keyID       string
		message     []byte
		messageType types.MessageType
	}{
		{"raw by key id", testKeyID, message, types.MessageTypeRaw},
		{"raw by ARN", testARN, message, types.MessageTypeRaw},
		{"message type omitted is RAW", testKeyID, message, ""},
		{"digest", testARN, digest[:], types.MessageTypeDigest},
		{"largest raw message", testKeyID, []byte(strings.Repeat("m", 4096)), types.MessageTypeRaw},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			out, err := c.Sign(ctx, &kms.SignInput{KeyId: aws.String(tc.keyID), Message: tc.message,
				MessageType: tc.messageType, SigningAlgorithm: types.SigningAlgorithmSpecEcdsaSha256})
			if err != nil {
				t.Fatalf("Sign: %v", err)
			}
			if aws.ToString(out.KeyId) != testARN || out.SigningAlgorithm != types.SigningAlgorithmSpecEcdsaSha256 {
				t.Errorf("Sign: KeyId %q, algorithm %s", aws.ToString(out.KeyId), out.SigningAlgorithm)
			}
			want := sha256.Sum256(tc.message)
			if tc.messageType == types.MessageTypeDigest {
				copy(want[:], tc.message)
			}
			if !verifyDER(pub, want[:], out.Signature) {
				t.Fatalf("signature %x does not verify with the GetPublicKey key", out.Signature)
			}
			// Verify accepts it, whichever message type names the same message.
			for _, m := range []struct {
				msg []byte
				mt  types.MessageType
			}{{tc.message, tc.messageType}, {want[:], types.MessageTypeDigest}} {
				v, err := c.Verify(ctx, &kms.VerifyInput{KeyId: aws.String(tc.keyID), Message: m.msg, MessageType: m.mt,
					Signature: out.Signature, SigningAlgorithm: types.SigningAlgorithmSpecEcdsaSha256})
				if err != nil || !v.SignatureValid || aws.ToString(v.KeyId) != testARN {
					t.Errorf("Verify(%s): %+v, %v", m.mt, v, err)
				}
			}
		})
	}
}

func TestSDKVerifyRefusesOtherSignatures(t *testing.T) {
	ctx := context.Background()
	c, _ := newClient(t, newTestService(t, ""))
	signed, err := c.Sign(ctx, &kms.SignInput{KeyId: aws.String(testKeyID), Message: []byte("statement"),
		SigningAlgorithm: types.SigningAlgorithmSpecEcdsaSha256})
	if err != nil {
		t.Fatal(err)
	}
	flipped := append([]byte(nil), signed.Signature...)
	flipped[len(flipped)-1] ^= 1
	tests := []struct {
		name, keyID string
		message     []byte
		signature   []byte
	}{
		{"other message", testKeyID, []byte("statement!"), signed.Signature},
		{"other key", otherKeyID, []byte("statement"), signed.Signature},
		{"flipped bit", testKeyID, []byte("statement"), flipped},
		{"not DER", testKeyID, []byte("statement"), []byte("not a signature")},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			_, err := c.Verify(ctx, &kms.VerifyInput{KeyId: aws.String(tc.keyID), Message: tc.message,
				Signature: tc.signature, SigningAlgorithm: types.SigningAlgorithmSpecEcdsaSha256})
			var invalid *types.KMSInvalidSignatureException
			if !errors.As(err, &invalid) {
				t.Errorf("Verify: got %v, want KMSInvalidSignatureException", err)
			}
		})
	}
}

func TestSDKDescribeKey(t *testing.T) {
	c, _ := newClient(t, newTestService(t, ""))
	before := time.Now().Add(-time.Minute)
	out, err := c.DescribeKey(context.Background(), &kms.DescribeKeyInput{KeyId: aws.String(testARN)})
	if err != nil {
		t.Fatal(err)
	}
	m := out.KeyMetadata
	checks := []struct{ field, got, want string }{
		{"KeyId", aws.ToString(m.KeyId), testKeyID},
		{"Arn", aws.ToString(m.Arn), testARN},
		{"AWSAccountId", aws.ToString(m.AWSAccountId), "000000000000"},
		{"Description", aws.ToString(m.Description), "signs statements"},
		{"KeySpec", string(m.KeySpec), "ECC_NIST_P256"},
		//lint:ignore SA1019 KMS still returns the deprecated field, and older SDKs read it.
		{"CustomerMasterKeySpec", string(m.CustomerMasterKeySpec), "ECC_NIST_P256"},
		{"KeyUsage", string(m.KeyUsage), "SIGN_VERIFY"},
		{"KeyState", string(m.KeyState), "Enabled"},
		{"KeyManager", string(m.KeyManager), "CUSTOMER"},
		{"Origin", string(m.Origin), "AWS_KMS"},
	}
	for _, c := range checks {
		if c.got != c.want {
			t.Errorf("%s: got %q, want %q", c.field, c.got, c.want)
		}
	}
	if !m.Enabled || len(m.SigningAlgorithms) != 1 || m.SigningAlgorithms[0] != types.SigningAlgorithmSpecEcdsaSha256 {
		t.Errorf("Enabled %v, SigningAlgorithms %v", m.Enabled, m.SigningAlgorithms)
	}
	if m.CreationDate == nil || m.CreationDate.Before(before) || m.CreationDate.After(time.Now()) {
		t.Errorf("CreationDate %v", m.CreationDate)
	}
}

// TestSDKErrors checks that the SDK decodes each error into its typed error.
func TestSDKErrors(t *testing.T) {
	ctx := context.Background()
	c, _ := newClient(t, newTestService(t, ""))
	sign := func(keyID string, alg types.SigningAlgorithmSpec, mt types.MessageType, msg []byte) error {
		_, err := c.Sign(ctx, &kms.SignInput{KeyId: aws.String(keyID), Message: msg, MessageType: mt, SigningAlgorithm: alg})
		return err
	}
	tests := []struct {
		name string
		err  error
		want any
	}{
		{"unknown key", sign("arn:aws:kms:us-east-1:000000000000:key/00000000-0000-0000-0000-000000000000",
			types.SigningAlgorithmSpecEcdsaSha256, "", []byte("m")), new(*types.NotFoundException)},
		{"alias", sign("alias/signing", types.SigningAlgorithmSpecEcdsaSha256, "", []byte("m")), new(*types.NotFoundException)},
		{"RSA algorithm", sign(testKeyID, types.SigningAlgorithmSpecRsassaPssSha256, "", []byte("m")), new(*types.InvalidKeyUsageException)},
		{"other curve's algorithm", sign(testKeyID, types.SigningAlgorithmSpecEcdsaSha384, "", []byte("m")), new(*types.InvalidKeyUsageException)},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			if !errors.As(tc.err, tc.want) {
				t.Errorf("got %v (%T), want %T", tc.err, tc.err, tc.want)
			}
		})
	}
	// ValidationException has no modelled type: the SDK reports its code.
	err := sign(testKeyID, types.SigningAlgorithmSpecEcdsaSha256, types.MessageTypeDigest, []byte("short"))
	var apiErr interface{ ErrorCode() string }
	if !errors.As(err, &apiErr) || apiErr.ErrorCode() != "ValidationException" || !strings.Contains(err.Error(), "Digest is invalid length") {
		t.Errorf("short digest: %v", err)
	}
}

func parsePublicKeyForTest(der []byte) (*ecdsa.PublicKey, error) {
	k, err := x509.ParsePKIXPublicKey(der)
	if err != nil {
		return nil, err
	}
	pub, ok := k.(*ecdsa.PublicKey)
	if !ok {
		return nil, errors.New("not an ECDSA key")
	}
	return pub, nil
}
