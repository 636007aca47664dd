package s3

import (
	"bytes"
	"context"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"io"
	"net/http/httptest"
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/credentials"
	"github.com/aws/aws-sdk-go-v2/service/s3"
	s3types "github.com/aws/aws-sdk-go-v2/service/s3/types"
	"github.com/aws/smithy-go"
)

const (
	docBucket   = "docs-bucket"
	plainBucket = "plain-bucket"
)

var testBuckets = []Bucket{
	{LogicalID: "Documents", Name: docBucket, Versioned: true},
	{LogicalID: "Plain", Name: plainBucket},
}

// serve starts a Service on dir ("" in memory) behind an httptest server.
func serve(t *testing.T, dir string) (*Service, string) {
	t.Helper()
	svc, err := New(Options{Buckets: testBuckets, Dir: dir, MaxObjectSize: 1 << 20})
	if err != nil {
		t.Fatal(err)
	}
	srv := httptest.NewServer(svc)
	t.Cleanup(srv.Close)
	return svc, srv.URL
}

// client is the real SDK's S3 client for the endpoint, path-style.
func client(url string) *s3.Client {
	return s3.New(s3.Options{
		Region:       "us-east-1",
		BaseEndpoint: aws.String(url),
		UsePathStyle: true,
		Credentials:  credentials.NewStaticCredentialsProvider("AKIDLOCAL", "local-secret", ""),
	})
}

func sha(b []byte) string {
	h := sha256.Sum256(b)
	return hex.EncodeToString(h[:])
}

func put(t *testing.T, c *s3.Client, bucket, key, body string) string {
	t.Helper()
	out, err := c.PutObject(context.Background(), &s3.PutObjectInput{Bucket: &bucket, Key: &key, Body: bytes.NewReader([]byte(body))})
	if err != nil {
		t.Fatalf("PutObject %s/%s: %v", bucket, key, err)
	}
	return aws.ToString(out.VersionId)
}

func get(t *testing.T, c *s3.Client, bucket, key, version string) (string, error) {
	t.Helper()
	in := &s3.GetObjectInput{Bucket: &bucket, Key: &key}
	if version != "" {
		in.VersionId = &version
	}
	out, err := c.GetObject(context.Background(), in)
	if err != nil {
		return "", err
	}
	defer out.Body.Close()
	b, err := io.ReadAll(out.Body)
	if got := aws.ToString(out.VersionId); version != "" && got != version {
		t.Errorf("GetObject %s?versionId=%s: x-amz-version-id %q", key, version, got)
	}
	return string(b), err
}

func errorCode(err error) string {
	var api smithy.APIError
	if errors.As(err, &api) {
		return api.ErrorCode()
	}
	return ""
}

// TestVersionsThroughSDK pins a document as the workflow does — versionId
// plus SHA-256 of the bytes read — and walks its versions.
func TestVersionsThroughSDK(t *testing.T) {
	dir := t.TempDir()
	_, url := serve(t, dir)
	c := client(url)
	ctx := context.Background()
	key := "documents/doc-1"

	v1 := put(t, c, docBucket, key, "first draft")
	v2 := put(t, c, docBucket, key, "final text")
	if v1 == "" || v2 == "" || v1 == v2 {
		t.Fatalf("version IDs %q, %q: want two distinct", v1, v2)
	}
	for v, want := range map[string]string{v1: "first draft", v2: "final text", "": "final text"} {
		got, err := get(t, c, docBucket, key, v)
		if err != nil || got != want {
			t.Errorf("GetObject versionId=%q = %q, %v; want %q", v, got, err, want)
		}
		if err == nil && sha([]byte(got)) != sha([]byte(want)) {
			t.Errorf("sha256 of version %q differs", v)
		}
	}

	head, err := c.HeadObject(ctx, &s3.HeadObjectInput{Bucket: aws.String(docBucket), Key: &key, VersionId: &v1})
	if err != nil {
		t.Fatalf("HeadObject v1: %v", err)
	}
	if aws.ToString(head.VersionId) != v1 || aws.ToInt64(head.ContentLength) != int64(len("first draft")) {
		t.Errorf("HeadObject v1: version %q length %d", aws.ToString(head.VersionId), aws.ToInt64(head.ContentLength))
	}

	// Deleting the current version makes the previous one current again.
	if _, err := c.DeleteObject(ctx, &s3.DeleteObjectInput{Bucket: aws.String(docBucket), Key: &key, VersionId: &v2}); err != nil {
		t.Fatalf("DeleteObject v2: %v", err)
	}
	if got, err := get(t, c, docBucket, key, ""); err != nil || got != "first draft" {
		t.Errorf("after deleting v2, GetObject = %q, %v; want the first draft", got, err)
	}
	if _, err := get(t, c, docBucket, key, v2); errorCode(err) != "NoSuchVersion" {
		t.Errorf("GetObject of the deleted version: %v, want NoSuchVersion", err)
	}
	_, err = c.HeadObject(ctx, &s3.HeadObjectInput{Bucket: aws.String(docBucket), Key: &key, VersionId: &v2})
	var nf *s3types.NotFound
	if !errors.As(err, &nf) {
		t.Errorf("HeadObject of the deleted version: %v, want NotFound", err)
	}

	v3 := put(t, c, docBucket, key, "third")
	marker, err := c.DeleteObject(ctx, &s3.DeleteObjectInput{Bucket: aws.String(docBucket), Key: &key})
	if err != nil || !aws.ToBool(marker.DeleteMarker) {
		t.Fatalf("DeleteObject: %v, marker %v", err, marker)
	}
	if _, err := get(t, c, docBucket, key, ""); errorCode(err) != "NoSuchKey" {
		t.Errorf("GetObject behind a delete marker: %v, want NoSuchKey", err)
	}
	want := []string{"M" + aws.ToString(marker.VersionId), "V" + v3, "V" + v1}
	if got := listVersions(t, c, docBucket); !equal(got, want) {
		t.Errorf("ListObjectVersions = %v, want %v", got, want)
	}

	// A new Service on the same folder serves the same versions.
	_, url2 := serve(t, dir)
	c2 := client(url2)
	if got := listVersions(t, c2, docBucket); !equal(got, want) {
		t.Errorf("after restart, ListObjectVersions = %v, want %v", got, want)
	}
	if got, err := get(t, c2, docBucket, key, v1); err != nil || got != "first draft" {
		t.Errorf("after restart, GetObject v1 = %q, %v", got, err)
	}
	v4 := put(t, c2, docBucket, key, "fourth")
	if v4 <= v3 {
		t.Errorf("after restart, version %q does not sort after %q", v4, v3)
	}
}

// listVersions lists a bucket's versions newest first, "M" for a delete
// marker and "V" for a version, then the ID.
func listVersions(t *testing.T, c *s3.Client, bucket string) []string {
	t.Helper()
	out, err := c.ListObjectVersions(context.Background(), &s3.ListObjectVersionsInput{Bucket: &bucket})
	if err != nil {
		t.Fatalf("ListObjectVersions: %v", err)
	}
	var got []string
	for _, m := range out.DeleteMarkers {
		got = append(got, "M"+aws.ToString(m.VersionId))
	}
	for _, v := range out.Versions {
		got = append(got, "V"+aws.ToString(v.VersionId))
	}
	return got
}

func equal(a, b []string) bool {
	if len(a) != len(b) {
		return false
	}
	for i := range a {
		if a[i] != b[i] {
			return false
		}
	}
	return true
}
