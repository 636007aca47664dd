package stack_test

import (
	"bytes"
	"crypto/ecdsa"
	"crypto/sha256"
	"crypto/x509"
	"encoding/json"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"

	"github.com/hitl-go/docsign/internal/stacktest"
)

// TestStorageAWSCLI: the real AWS CLI (v1, the machine image's) stores two
// versions of a document, reads the first back by version ID, and gets a
// signature that verifies with the public key it gets from KMS.
func TestStorageAWSCLI(t *testing.T) {
	stacktest.NeedDynalite(t)
	if _, err := exec.LookPath("aws"); err != nil {
		stacktest.NeedTool(t, &stacktest.ToolMissingError{Msg: "the AWS CLI (aws) is not on PATH"})
	}
	st, _, c := startStorage(t, t.TempDir(), true)
	dir := t.TempDir()
	aws := func(out any, args ...string) {
		t.Helper()
		cmd := exec.Command("aws", append(args, "--endpoint-url", st.Endpoint(), "--output", "json")...)
		// functionConfig (in startStorage) left only the functions' AWS_*
		// variables: the endpoint comes from --endpoint-url here.
		cmd.Env = append(os.Environ(), "AWS_ENDPOINT_URL=", "AWS_CONFIG_FILE="+os.DevNull, "AWS_SHARED_CREDENTIALS_FILE="+os.DevNull)
		var stdout, stderr bytes.Buffer
		cmd.Stdout, cmd.Stderr = &stdout, &stderr
		if err := cmd.Run(); err != nil {
			t.Fatalf("aws %s: %v\n%s", strings.Join(args, " "), err, stderr.String())
		}
		if out != nil {
			if err := json.Unmarshal(stdout.Bytes(), out); err != nil {
				t.Fatalf("aws %s: %v\n%s", strings.Join(args, " "), err, stdout.String())
			}
		}
	}
	file := func(name, content string) string {
		path := filepath.Join(dir, name)
		if err := os.WriteFile(path, []byte(content), 0o600); err != nil {
			t.Fatal(err)
		}
		return path
	}

	var versions []string
	for _, body := range []string{"first", "second"} {
		var put struct{ VersionId string }
		aws(&put, "s3api", "put-object", "--bucket", c.bucket, "--key", "documents/cli", "--body", file(body, body))
		versions = append(versions, put.VersionId)
	}
	if versions[0] == "" || versions[0] == versions[1] {
		t.Fatalf("put-object twice gave versions %q, want two distinct ones", versions)
	}
	got := filepath.Join(dir, "got")
	aws(nil, "s3api", "get-object", "--bucket", c.bucket, "--key", "documents/cli", "--version-id", versions[0], got)
	if data, err := os.ReadFile(got); err != nil || string(data) != "first" {
		t.Errorf("get-object --version-id %s = %q, %v; want first", versions[0], data, err)
	}

	var key struct {
		PublicKey []byte // base64 in the JSON output
		KeySpec   string
	}
	aws(&key, "kms", "get-public-key", "--key-id", c.key)
	pub, err := x509.ParsePKIXPublicKey(key.PublicKey)
	if err != nil || key.KeySpec != "ECC_NIST_P256" {
		t.Fatalf("get-public-key: %s, %v; want an ECC_NIST_P256 public key", key.KeySpec, err)
	}
	message := "signed with the AWS CLI"
	var signed struct{ Signature []byte }
	aws(&signed, "kms", "sign", "--key-id", c.key, "--message", "fileb://"+file("message", message),
		"--message-type", "RAW", "--signing-algorithm", "ECDSA_SHA_256")
	digest := sha256.Sum256([]byte(message))
	if ec, ok := pub.(*ecdsa.PublicKey); !ok || !ecdsa.VerifyASN1(ec, digest[:], signed.Signature) {
		t.Error("the signature from `aws kms sign` does not verify with the key from `aws kms get-public-key`")
	}
}
