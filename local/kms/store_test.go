package kms

import (
	"context"
	"crypto/sha256"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/kms"
	"github.com/aws/aws-sdk-go-v2/service/kms/types"
)

// TestKeysSurviveRestart signs with one Service, then checks with a new
// Service on the same directory that the key, its public key and its
// creation date are the same and the old signature still verifies.
func TestKeysSurviveRestart(t *testing.T) {
	ctx := context.Background()
	dir := filepath.Join(t.TempDir(), "kms")
	first, _ := newClient(t, newTestService(t, dir))
	signed, err := first.Sign(ctx, &kms.SignInput{KeyId: aws.String(testARN), Message: []byte("before restart"),
		SigningAlgorithm: types.SigningAlgorithmSpecEcdsaSha256})
	if err != nil {
		t.Fatal(err)
	}
	pub1 := publicKey(t, first, testARN)
	created1 := creationDate(t, first)

	second, _ := newClient(t, newTestService(t, dir))
	pub2 := publicKey(t, second, testARN)
	if !pub1.Equal(pub2) {
		t.Fatal("the key changed across a restart")
	}
	if got := creationDate(t, second); got != created1 {
		t.Errorf("CreationDate changed across a restart: %s, then %s", created1, got)
	}
	digest := sha256.Sum256([]byte("before restart"))
	if !verifyDER(pub2, digest[:], signed.Signature) {
		t.Error("a signature made before the restart does not verify with the key after it")
	}
	if _, err := second.Verify(ctx, &kms.VerifyInput{KeyId: aws.String(testKeyID), Message: []byte("before restart"),
		Signature: signed.Signature, SigningAlgorithm: types.SigningAlgorithmSpecEcdsaSha256}); err != nil {
		t.Errorf("Verify after restart: %v", err)
	}
	if other := publicKey(t, second, otherARN); other.Equal(pub2) {
		t.Error("two keys share their material")
	}
}

func creationDate(t *testing.T, c *kms.Client) string {
	t.Helper()
	out, err := c.DescribeKey(context.Background(), &kms.DescribeKeyInput{KeyId: aws.String(testARN)})
	if err != nil {
		t.Fatal(err)
	}
	return out.KeyMetadata.CreationDate.String()
}

func TestInMemoryKeysAreFreshPerService(t *testing.T) {
	a, _ := newClient(t, newTestService(t, ""))
	b, _ := newClient(t, newTestService(t, ""))
	if publicKey(t, a, testARN).Equal(publicKey(t, b, testARN)) {
		t.Error("two in-memory services made the same key")
	}
}

func TestKeyFileModes(t *testing.T) {
	parent := t.TempDir()
	dir := filepath.Join(parent, "kms")
	if err := os.Mkdir(dir, 0o755); err != nil { // an existing, too open dir
		t.Fatal(err)
	}
	newTestService(t, dir)
	info, err := os.Stat(dir)
	if err != nil {
		t.Fatal(err)
	}
	if got := info.Mode().Perm(); got != 0o700 {
		t.Errorf("directory mode %04o, want 0700", got)
	}
	entries, err := os.ReadDir(dir)
	if err != nil {
		t.Fatal(err)
	}
	var names []string
	for _, e := range entries {
		names = append(names, e.Name())
		info, err := e.Info()
		if err != nil {
			t.Fatal(err)
		}
		if got := info.Mode().Perm(); got != 0o600 {
			t.Errorf("%s: mode %04o, want 0600", e.Name(), got)
		}
		data, err := os.ReadFile(filepath.Join(dir, e.Name()))
		if err != nil {
			t.Fatal(err)
		}
		if _, err := parseKeyPEM(data); err != nil {
			t.Errorf("%s: %v", e.Name(), err)
		}
	}
	want := "us-east-1_000000000000_" + otherKeyID + ".pem,us-east-1_000000000000_" + testKeyID + ".pem"
	if got := strings.Join(names, ","); got != want {
		t.Errorf("files %s, want %s (no temporary file left)", got, want)
	}
}

// TestConcurrentStartsAgree starts services on one empty directory at once:
// every one must end up with the same key.
func TestConcurrentStartsAgree(t *testing.T) {
	dir := filepath.Join(t.TempDir(), "kms")
	const n = 8
	svcs := make([]*Service, n)
	errs := make([]error, n)
	var wg sync.WaitGroup
	for i := range n {
		wg.Go(func() { svcs[i], errs[i] = New(Options{Keys: testKeys(), Dir: dir}) })
	}
	wg.Wait()
	for i := range n {
		if errs[i] != nil {
			t.Fatalf("start %d: %v", i, errs[i])
		}
		if !svcs[i].byARN[testARN].private.Equal(svcs[0].byARN[testARN].private) {
			t.Fatalf("start %d has another key than start 0", i)
		}
	}
}

func TestNewRefuses(t *testing.T) {
	p256 := func(arn string) Key {
		return Key{LogicalID: "K", ARN: arn, KeySpec: "ECC_NIST_P256", KeyUsage: "SIGN_VERIFY"}
	}
	tests := []struct {
		name string
		keys []Key
		want string
	}{
		{"symmetric default", []Key{{LogicalID: "Bucket", ARN: testARN}}, "KeySpec SYMMETRIC_DEFAULT with KeyUsage ENCRYPT_DECRYPT is not supported"},
		{"RSA", []Key{{LogicalID: "K", ARN: testARN, KeySpec: "RSA_2048", KeyUsage: "SIGN_VERIFY"}}, "KeySpec RSA_2048"},
		{"P-256 for key agreement", []Key{{LogicalID: "K", ARN: testARN, KeySpec: "ECC_NIST_P256", KeyUsage: "KEY_AGREEMENT"}}, "KeyUsage KEY_AGREEMENT"},
		{"not an ARN", []Key{p256(testKeyID)}, "is not a key ARN"},
		{"alias ARN", []Key{p256("arn:aws:kms:us-east-1:000000000000:alias/signing")}, "is not a key ARN"},
		{"upper-case key id", []Key{p256(strings.ToUpper(testARN))}, "is not a key ARN"},
		{"twice", []Key{p256(testARN), p256(testARN)}, "served twice"},
		{"same id in another region", []Key{p256(testARN), p256(strings.Replace(testARN, "us-east-1", "eu-west-1", 1))}, "served twice"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			_, err := New(Options{Keys: tc.keys})
			if err == nil || !strings.Contains(err.Error(), tc.want) {
				t.Errorf("got %v, want an error with %q", err, tc.want)
			}
		})
	}
}

func TestNewRefusesBadKeyFiles(t *testing.T) {
	name := keyFileName("us-east-1", "000000000000", testKeyID)
	tests := []struct {
		name    string
		content string
		mode    os.FileMode
		want    string
	}{
		{"garbage", "not a key", 0o600, "not a single PEM"},
		{"truncated", "-----BEGIN PRIVATE KEY-----\nMIGHAgEAMBMGByqGSM49AgEGCCqGSM49AwEHBG0wawIBAQQg\n-----END PRIVATE KEY-----\n", 0o600, "parse PKCS#8"},
		{"open to others", "whatever", 0o644, "open to others"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			dir := t.TempDir()
			path := filepath.Join(dir, name)
			if err := os.WriteFile(path, []byte(tc.content), tc.mode); err != nil {
				t.Fatal(err)
			}
			if err := os.Chmod(path, tc.mode); err != nil {
				t.Fatal(err)
			}
			_, err := New(Options{Keys: testKeys(), Dir: dir})
			if err == nil || !strings.Contains(err.Error(), tc.want) {
				t.Errorf("got %v, want an error with %q", err, tc.want)
			}
			if got, _ := os.ReadFile(path); string(got) != tc.content {
				t.Error("the bad key file was replaced")
			}
		})
	}
}
