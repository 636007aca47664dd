package kms

import (
	"crypto/sha256"
	"encoding/base64"
	"os"
	"path/filepath"
	"testing"

	"github.com/hitl-go/docsign/internal/awsclitest"
)

// TestAWSCLI drives the service with the real AWS CLI (v1, from the machine
// image): sign a file, verify the signature through the CLI and, from the
// public key the CLI fetched, with crypto/ecdsa.
func TestAWSCLI(t *testing.T) {
	svc := newTestService(t, "")
	_, url := newClient(t, svc)
	cli := awsclitest.New(t, url)
	aws := func(args ...string) map[string]any {
		t.Helper()
		return cli.JSON(append([]string{"kms"}, args...)...)
	}

	message := []byte(`{"documentId":"1","decision":"sign"}`)
	msgFile := filepath.Join(t.TempDir(), "message")
	if err := os.WriteFile(msgFile, message, 0o600); err != nil {
		t.Fatal(err)
	}
	signed := aws("sign", "--key-id", testKeyID, "--message", "fileb://"+msgFile,
		"--message-type", "RAW", "--signing-algorithm", "ECDSA_SHA_256")
	if signed["KeyId"] != testARN || signed["SigningAlgorithm"] != "ECDSA_SHA_256" {
		t.Fatalf("sign: %v", signed)
	}
	sigB64, _ := signed["Signature"].(string)
	sig, err := base64.StdEncoding.DecodeString(sigB64)
	if err != nil {
		t.Fatalf("sign printed Signature %q: %v", sigB64, err)
	}
	sigFile := filepath.Join(t.TempDir(), "signature")
	if err := os.WriteFile(sigFile, sig, 0o600); err != nil {
		t.Fatal(err)
	}
	verified := aws("verify", "--key-id", testARN, "--message", "fileb://"+msgFile, "--message-type", "RAW",
		"--signature", "fileb://"+sigFile, "--signing-algorithm", "ECDSA_SHA_256")
	if verified["SignatureValid"] != true {
		t.Errorf("verify: %v", verified)
	}

	pub := aws("get-public-key", "--key-id", testARN)
	der, err := base64.StdEncoding.DecodeString(pub["PublicKey"].(string))
	if err != nil {
		t.Fatal(err)
	}
	key, err := parsePublicKeyForTest(der)
	if err != nil {
		t.Fatal(err)
	}
	digest := sha256.Sum256(message)
	if !verifyDER(key, digest[:], sig) {
		t.Error("the CLI's signature does not verify with the CLI's public key")
	}
	described := aws("describe-key", "--key-id", testARN)
	meta, _ := described["KeyMetadata"].(map[string]any)
	if meta["KeyState"] != "Enabled" || meta["KeySpec"] != "ECC_NIST_P256" {
		t.Errorf("describe-key: %v", described)
	}
}
