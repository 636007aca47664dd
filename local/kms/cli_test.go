package kms

import (
	"crypto/sha256"
	"encoding/base64"
	"encoding/json"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
)

// TestAWSCLI drives the service with the real AWS CLI (v1, from the machine
// image): sign a file, verify the signature through the CLI and, from the
// public key the CLI fetched, with crypto/ecdsa.
func TestAWSCLI(t *testing.T) {
	if _, err := exec.LookPath("aws"); err != nil {
		if os.Getenv("CI") == "" {
			t.Skip("aws CLI not installed")
		}
		t.Fatal("aws CLI not installed (required in CI)")
	}
	svc := newTestService(t, "")
	_, url := newClient(t, svc)
	var env []string
	for _, kv := range os.Environ() {
		if !strings.HasPrefix(kv, "AWS_") {
			env = append(env, kv)
		}
	}
	env = append(env, "AWS_ACCESS_KEY_ID=local", "AWS_SECRET_ACCESS_KEY=local", "AWS_DEFAULT_REGION=us-east-1",
		"AWS_CONFIG_FILE="+os.DevNull, "AWS_SHARED_CREDENTIALS_FILE="+os.DevNull)
	aws := func(args ...string) map[string]any {
		t.Helper()
		cmd := exec.Command("aws", append(append([]string{"kms"}, args...), "--endpoint-url", url, "--output", "json")...)
		cmd.Env = env
		out, err := cmd.Output()
		if err != nil {
			stderr := ""
			if ee, ok := err.(*exec.ExitError); ok {
				stderr = string(ee.Stderr)
			}
			t.Fatalf("aws kms %s: %v\n%s", args[0], err, stderr)
		}
		var m map[string]any
		if err := json.Unmarshal(out, &m); err != nil {
			t.Fatalf("aws kms %s printed %s: %v", args[0], out, err)
		}
		return m
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
