package stack_test

import (
	"bytes"
	"context"
	"crypto/ecdsa"
	"crypto/sha256"
	"crypto/x509"
	"errors"
	"io"
	"net/http"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/config"
	"github.com/aws/aws-sdk-go-v2/service/kms"
	kmstypes "github.com/aws/aws-sdk-go-v2/service/kms/types"
	"github.com/aws/aws-sdk-go-v2/service/s3"
	s3types "github.com/aws/aws-sdk-go-v2/service/s3/types"
	"github.com/aws/smithy-go"
	"github.com/hitl-go/docsign/internal/logtest"
	"github.com/hitl-go/docsign/internal/stacktest"
	"github.com/hitl-go/docsign/local/stack"
)

// storageStack is the stack of testdata/storage: a versioned bucket, a
// P-256 signing key, and a symmetric key the local KMS leaves out.
const storageStack = "StorageStack"

// storageClients are S3 and KMS clients configured as a function's are.
type storageClients struct {
	s3     *s3.Client
	kms    *kms.Client
	bucket string // DocumentBucketName
	key    string // SigningKeyArn
}

// startStorage starts testdata/storage with its data in dir (or in memory)
// and returns the stack, its summary output and clients.
func startStorage(t *testing.T, dir string, inMemory bool) (*stack.Stack, *logtest.Buffer, storageClients) {
	t.Helper()
	out := &logtest.Buffer{}
	ctx, cancel := context.WithTimeout(context.Background(), 2*time.Minute)
	defer cancel()
	st, err := stack.Start(ctx, stack.Options{CDKOut: "testdata/storage", Addr: "127.0.0.1:0", DataDir: dir, InMemory: inMemory,
		OutputsFile: filepath.Join(t.TempDir(), "outputs.json"), Stdout: out})
	if err != nil {
		t.Fatalf("Start: %v\n%s", err, out.String())
	}
	t.Cleanup(func() { st.Close() })
	outputs := st.Outputs()[storageStack]
	cfg := functionConfig(t, st.Endpoint())
	return st, out, storageClients{s3: s3.NewFromConfig(cfg), kms: kms.NewFromConfig(cfg),
		bucket: outputs["DocumentBucketName"], key: outputs["SigningKeyArn"]}
}

// functionConfig loads the SDK configuration from the environment a
// function process gets (platformEnv), and from nothing of the user's: no
// UsePathStyle or endpoint set in code.
func functionConfig(t *testing.T, endpoint string) aws.Config {
	t.Helper()
	for _, kv := range os.Environ() {
		if name, _, _ := strings.Cut(kv, "="); strings.HasPrefix(name, "AWS_") {
			t.Setenv(name, "")
			os.Unsetenv(name)
		}
	}
	t.Setenv("AWS_CONFIG_FILE", os.DevNull)
	t.Setenv("AWS_SHARED_CREDENTIALS_FILE", os.DevNull)
	for k, v := range stack.PlatformEnv(endpoint, "us-east-1") {
		t.Setenv(k, v)
	}
	cfg, err := config.LoadDefaultConfig(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	return cfg
}

// TestStorageThroughTheEndpoint: a versioned bucket and a signing key of the
// template, reached with the SDK configured as functions are: two versions
// of an object, each readable by version ID; a KMS signature that verifies
// with the public key KMS gives.
func TestStorageThroughTheEndpoint(t *testing.T) {
	stacktest.NeedDynalite(t)
	st, out, c := startStorage(t, t.TempDir(), true)
	ctx := context.Background()
	if !regexp.MustCompile(`^storagestack-documentsbucket9ec9deb9-[a-z0-9]{12}$`).MatchString(c.bucket) {
		t.Errorf("DocumentBucketName = %q, want storagestack-documentsbucket9ec9deb9-<12 chars>", c.bucket)
	}
	if !regexp.MustCompile(`^arn:aws:kms:us-east-1:000000000000:key/[0-9a-f-]{36}$`).MatchString(c.key) {
		t.Errorf("SigningKeyArn = %q, want a key ARN", c.key)
	}
	encryptionKey := st.Outputs()[storageStack]["EncryptionKeyId"]
	if want := "KMS key StorageStack/EncryptionKey1B2C3D4E (SYMMETRIC_DEFAULT, ENCRYPT_DECRYPT) is not served"; !strings.Contains(out.String(), want) {
		t.Errorf("summary lacks %q:\n%s", want, out.String())
	}

	first, second := putTwice(t, c, "documents/3")
	if got := getObject(t, c, "documents/3", first); got != "first" {
		t.Errorf("GetObject version %s = %q, want first", first, got)
	}
	if got := getObject(t, c, "documents/3", ""); got != "second" {
		t.Errorf("GetObject current = %q, want second (version %s)", got, second)
	}

	message := []byte(`eyJhbGciOiJFUzI1NiJ9.eyJkb2N1bWVudElkIjoiMyJ9`)
	pub := publicKey(t, c)
	sig := sign(t, c, message)
	digest := sha256.Sum256(message)
	if !ecdsa.VerifyASN1(pub, digest[:], sig) {
		t.Error("the KMS signature does not verify with the key from GetPublicKey")
	}
	_, err := c.kms.DescribeKey(ctx, &kms.DescribeKeyInput{KeyId: aws.String(encryptionKey)})
	if nf := (*kmstypes.NotFoundException)(nil); !errors.As(err, &nf) {
		t.Errorf("DescribeKey of the key left out = %v, want NotFoundException", err)
	}
	_, err = c.s3.PutObject(ctx, &s3.PutObjectInput{Bucket: aws.String("not-in-the-template"), Key: aws.String("k"), Body: strings.NewReader("x")})
	if apiErr := smithy.APIError(nil); !errors.As(err, &apiErr) || apiErr.ErrorCode() != "NoSuchBucket" {
		t.Errorf("PutObject to a bucket not in the template = %v, want NoSuchBucket", err)
	}
}

// TestStorageRefusesForeignCallers: S3 and KMS requests naming another host,
// or sent from another origin, are refused like the other APIs'.
func TestStorageRefusesForeignCallers(t *testing.T) {
	stacktest.NeedDynalite(t)
	st, _, c := startStorage(t, t.TempDir(), true)
	s3Request := func() *http.Request {
		r, _ := http.NewRequest(http.MethodGet, st.Endpoint()+"/"+c.bucket+"/documents/3", nil)
		r.Header.Set("Authorization", stack.S3Auth)
		return r
	}
	kmsRequest := func() *http.Request {
		r, _ := http.NewRequest(http.MethodPost, st.Endpoint()+"/", strings.NewReader(`{"KeyId":"`+c.key+`"}`))
		r.Header.Set("X-Amz-Target", "TrentService.GetPublicKey")
		r.Header.Set("Content-Type", "application/x-amz-json-1.1")
		return r
	}
	tests := []struct {
		name    string
		request func() *http.Request
		host    string
		origin  string
	}{
		{"S3 foreign host", s3Request, c.bucket + ".attacker.example", ""},
		{"S3 foreign origin", s3Request, "", "http://attacker.example"},
		{"KMS foreign host", kmsRequest, "attacker.example:4566", ""},
		{"KMS foreign origin", kmsRequest, "", "null"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			r := tt.request()
			if tt.host != "" {
				r.Host = tt.host
			}
			if tt.origin != "" {
				r.Header.Set("Origin", tt.origin)
			}
			resp, err := http.DefaultClient.Do(r)
			if err != nil {
				t.Fatal(err)
			}
			body, _ := io.ReadAll(resp.Body)
			resp.Body.Close()
			if resp.StatusCode != http.StatusForbidden || !strings.Contains(string(body), "AccessDeniedException") {
				t.Errorf("got %d %s, want 403 AccessDeniedException", resp.StatusCode, body)
			}
		})
	}
	// From the stack's own host, with no origin, the same request is served.
	resp, err := http.DefaultClient.Do(kmsRequest())
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if resp.StatusCode != http.StatusOK {
		t.Errorf("GetPublicKey from the stack's own host: status %d, want 200", resp.StatusCode)
	}
}

// TestStorageSurvivesRestart: objects (every version) and the signing key
// survive a restart on the same data directory; in memory, nothing does.
func TestStorageSurvivesRestart(t *testing.T) {
	stacktest.NeedDynalite(t)
	dir := t.TempDir()
	st, _, c := startStorage(t, dir, false)
	first, second := putTwice(t, c, "documents/restart")
	message := []byte("signed before the restart")
	sig, pub := sign(t, c, message), publicKey(t, c)
	if err := st.Close(); err != nil {
		t.Fatal(err)
	}
	for _, sub := range []string{"s3", "kms"} {
		if _, err := os.Stat(filepath.Join(dir, sub)); err != nil {
			t.Errorf("data directory %s: %v", sub, err)
		}
	}

	_, _, c = startStorage(t, dir, false)
	for version, want := range map[string]string{first: "first", second: "second", "": "second"} {
		if got := getObject(t, c, "documents/restart", version); got != want {
			t.Errorf("after a restart, GetObject version %q = %q, want %q", version, got, want)
		}
	}
	digest := sha256.Sum256(message)
	if again := publicKey(t, c); !again.Equal(pub) || !ecdsa.VerifyASN1(again, digest[:], sig) {
		t.Error("after a restart the signing key changed: a signature made before no longer verifies")
	}

	memDir := t.TempDir()
	_, _, c = startStorage(t, memDir, true)
	_, err := c.s3.GetObject(context.Background(), &s3.GetObjectInput{Bucket: aws.String(c.bucket), Key: aws.String("documents/restart")})
	if nk := (*s3types.NoSuchKey)(nil); !errors.As(err, &nk) {
		t.Errorf("in memory, GetObject of an object stored on disk = %v, want NoSuchKey", err)
	}
	if publicKey(t, c).Equal(pub) {
		t.Error("in memory, the signing key is the one kept on disk")
	}
	for _, sub := range []string{"s3", "kms"} {
		if _, err := os.Stat(filepath.Join(memDir, sub)); !errors.Is(err, os.ErrNotExist) {
			t.Errorf("in memory, %s/%s exists (%v), want nothing written", memDir, sub, err)
		}
	}
}

// putTwice stores "first" then "second" under key and returns both version IDs.
func putTwice(t *testing.T, c storageClients, key string) (first, second string) {
	t.Helper()
	var versions []string
	for _, body := range []string{"first", "second"} {
		out, err := c.s3.PutObject(context.Background(), &s3.PutObjectInput{Bucket: aws.String(c.bucket), Key: aws.String(key),
			Body: bytes.NewReader([]byte(body))})
		if err != nil {
			t.Fatalf("PutObject %s: %v", body, err)
		}
		versions = append(versions, aws.ToString(out.VersionId))
	}
	if versions[0] == "" || versions[0] == versions[1] {
		t.Fatalf("PutObject twice gave versions %q, want two distinct ones", versions)
	}
	return versions[0], versions[1]
}

// getObject reads key's version ("" for the current one).
func getObject(t *testing.T, c storageClients, key, version string) string {
	t.Helper()
	in := &s3.GetObjectInput{Bucket: aws.String(c.bucket), Key: aws.String(key)}
	if version != "" {
		in.VersionId = aws.String(version)
	}
	out, err := c.s3.GetObject(context.Background(), in)
	if err != nil {
		t.Fatalf("GetObject %s version %q: %v", key, version, err)
	}
	defer out.Body.Close()
	data, err := io.ReadAll(out.Body)
	if err != nil {
		t.Fatal(err)
	}
	if version != "" && aws.ToString(out.VersionId) != version {
		t.Errorf("GetObject version %s answered version %s", version, aws.ToString(out.VersionId))
	}
	return string(data)
}

// sign signs message with the signing key (ECDSA_SHA_256, DER).
func sign(t *testing.T, c storageClients, message []byte) []byte {
	t.Helper()
	out, err := c.kms.Sign(context.Background(), &kms.SignInput{KeyId: aws.String(c.key), Message: message,
		MessageType: kmstypes.MessageTypeRaw, SigningAlgorithm: kmstypes.SigningAlgorithmSpecEcdsaSha256})
	if err != nil {
		t.Fatalf("Sign: %v", err)
	}
	if aws.ToString(out.KeyId) != c.key {
		t.Errorf("Sign answered KeyId %q, want %q", aws.ToString(out.KeyId), c.key)
	}
	return out.Signature
}

// publicKey is the signing key's public key from GetPublicKey.
func publicKey(t *testing.T, c storageClients) *ecdsa.PublicKey {
	t.Helper()
	out, err := c.kms.GetPublicKey(context.Background(), &kms.GetPublicKeyInput{KeyId: aws.String(c.key)})
	if err != nil {
		t.Fatalf("GetPublicKey: %v", err)
	}
	if out.KeySpec != kmstypes.KeySpecEccNistP256 || out.KeyUsage != kmstypes.KeyUsageTypeSignVerify {
		t.Errorf("GetPublicKey: %s %s, want ECC_NIST_P256 SIGN_VERIFY", out.KeySpec, out.KeyUsage)
	}
	pub, err := x509.ParsePKIXPublicKey(out.PublicKey)
	if err != nil {
		t.Fatalf("GetPublicKey: %v", err)
	}
	ec, ok := pub.(*ecdsa.PublicKey)
	if !ok {
		t.Fatalf("GetPublicKey: a %T, want *ecdsa.PublicKey", pub)
	}
	return ec
}
