package s3

import (
	"bytes"
	"context"
	"fmt"
	"io/fs"
	"net/http/httptest"
	"os"
	"path/filepath"
	"sync"
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/s3"
	s3types "github.com/aws/aws-sdk-go-v2/service/s3/types"
)

func TestMatches(t *testing.T) {
	const sig = ", SignedHeaders=host;x-amz-date, Signature=abc"
	tests := []struct {
		name, auth, query string
		want              bool
	}{
		{"s3 signature", "AWS4-HMAC-SHA256 Credential=AKID/20261205/us-east-1/s3/aws4_request" + sig, "", true},
		{"presigned URL", "", "X-Amz-Credential=AKID%2F20261205%2Fus-east-1%2Fs3%2Faws4_request&X-Amz-Signature=abc", true},
		{"dynamodb signature", "AWS4-HMAC-SHA256 Credential=AKID/20261205/us-east-1/dynamodb/aws4_request" + sig, "", false},
		{"lambda signature", "AWS4-HMAC-SHA256 Credential=AKID/20261205/us-east-1/lambda/aws4_request" + sig, "", false},
		{"presigned for another service", "", "X-Amz-Credential=AKID%2F20261205%2Fus-east-1%2Fstates%2Faws4_request", false},
		{"unsigned", "", "", false},
		{"short scope", "AWS4-HMAC-SHA256 Credential=AKID/s3/aws4_request" + sig, "", false},
		{"other scheme", "Bearer Credential=AKID/20261205/us-east-1/s3/aws4_request", "", false},
	}
	for _, tt := range tests {
		r := httptest.NewRequest("GET", "/docs-bucket/k?"+tt.query, nil)
		if tt.auth != "" {
			r.Header.Set("Authorization", tt.auth)
		}
		if got := Matches(r); got != tt.want {
			t.Errorf("%s: Matches = %v, want %v", tt.name, got, tt.want)
		}
	}
}

// TestNoChecksums records that gofakes3 has no S3 additional checksums: a
// SHA-256 sent with PutObject is neither verified nor stored, so HeadObject
// with ChecksumMode ENABLED returns none. The workflow reads and hashes.
func TestNoChecksums(t *testing.T) {
	_, url := serve(t, "")
	c := client(url)
	ctx := context.Background()
	_, err := c.PutObject(ctx, &s3.PutObjectInput{Bucket: aws.String(docBucket), Key: aws.String("k"),
		Body: bytes.NewReader([]byte("hello")), ChecksumAlgorithm: s3types.ChecksumAlgorithmSha256})
	if err != nil {
		t.Fatal(err)
	}
	head, err := c.HeadObject(ctx, &s3.HeadObjectInput{Bucket: aws.String(docBucket), Key: aws.String("k"), ChecksumMode: s3types.ChecksumModeEnabled})
	if err != nil {
		t.Fatal(err)
	}
	if head.ChecksumSHA256 != nil {
		t.Errorf("HeadObject returned ChecksumSHA256 %q: the stand-in does not compute checksums", *head.ChecksumSHA256)
	}
}

// TestUnversionedBucket: a bucket without versioning keeps one object per
// key, reports no version IDs, and keeps one body file per key on disk.
func TestUnversionedBucket(t *testing.T) {
	dir := t.TempDir()
	_, url := serve(t, dir)
	c := client(url)
	if v := put(t, c, plainBucket, "a", "one"); v != "" {
		t.Errorf("PutObject in an unversioned bucket returned version %q", v)
	}
	put(t, c, plainBucket, "a", "two")
	if got, err := get(t, c, plainBucket, "a", ""); err != nil || got != "two" {
		t.Errorf("GetObject = %q, %v", got, err)
	}
	if got := listVersions(t, c, plainBucket); !equal(got, []string{"Vnull"}) {
		t.Errorf("ListObjectVersions = %v, want [Vnull]", got)
	}
	if n := countFiles(t, filepath.Join(dir, plainBucket)); n != 2 {
		t.Errorf("%d files for one object, want a record and a body", n)
	}
	_, url2 := serve(t, dir)
	c2 := client(url2)
	if got, err := get(t, c2, plainBucket, "a", ""); err != nil || got != "two" {
		t.Errorf("after restart, GetObject = %q, %v", got, err)
	}
	if _, err := c2.DeleteObject(context.Background(), &s3.DeleteObjectInput{Bucket: aws.String(plainBucket), Key: aws.String("a")}); err != nil {
		t.Fatal(err)
	}
	if n := countFiles(t, filepath.Join(dir, plainBucket)); n != 0 {
		t.Errorf("%d files left after DeleteObject", n)
	}
}

// TestFileModes: the data folder is private to the user.
func TestFileModes(t *testing.T) {
	dir := filepath.Join(t.TempDir(), "s3")
	_, url := serve(t, dir)
	put(t, client(url), docBucket, "documents/x", "private")
	err := filepath.WalkDir(dir, func(p string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		info, err := d.Info()
		if err != nil {
			return err
		}
		want := os.FileMode(0o600)
		if d.IsDir() {
			want = 0o700 | fs.ModeDir
		}
		if info.Mode() != want {
			t.Errorf("%s: mode %v, want %v", p, info.Mode(), want)
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
}

func countFiles(t *testing.T, dir string) int {
	t.Helper()
	n := 0
	err := filepath.WalkDir(dir, func(_ string, d fs.DirEntry, err error) error {
		if err == nil && !d.IsDir() {
			n++
		}
		return err
	})
	if err != nil {
		t.Fatal(err)
	}
	return n
}

// TestListPages pages through objects and versions one or two at a time.
func TestListPages(t *testing.T) {
	_, url := serve(t, "")
	c := client(url)
	ctx := context.Background()
	for i := range 5 {
		put(t, c, docBucket, fmt.Sprintf("documents/%d", i), "a")
		put(t, c, docBucket, fmt.Sprintf("documents/%d", i), "b")
	}
	put(t, c, docBucket, "other/x", "c")
	var keys []string
	p := s3.NewListObjectsV2Paginator(c, &s3.ListObjectsV2Input{Bucket: aws.String(docBucket), Prefix: aws.String("documents/"), MaxKeys: aws.Int32(2)})
	for p.HasMorePages() {
		page, err := p.NextPage(ctx)
		if err != nil {
			t.Fatal(err)
		}
		for _, o := range page.Contents {
			keys = append(keys, aws.ToString(o.Key))
		}
	}
	if want := []string{"documents/0", "documents/1", "documents/2", "documents/3", "documents/4"}; !equal(keys, want) {
		t.Errorf("ListObjectsV2 pages = %v, want %v", keys, want)
	}
	top, err := c.ListObjectsV2(ctx, &s3.ListObjectsV2Input{Bucket: aws.String(docBucket), Delimiter: aws.String("/")})
	if err != nil || len(top.CommonPrefixes) != 2 || len(top.Contents) != 0 {
		t.Errorf("ListObjectsV2 with delimiter: %v prefixes, %v objects, %v", len(top.CommonPrefixes), len(top.Contents), err)
	}
	seen := map[string]bool{}
	in := &s3.ListObjectVersionsInput{Bucket: aws.String(docBucket), MaxKeys: aws.Int32(3)}
	for {
		page, err := c.ListObjectVersions(ctx, in)
		if err != nil {
			t.Fatal(err)
		}
		for _, v := range page.Versions {
			id := aws.ToString(v.VersionId)
			if seen[id] {
				t.Errorf("version %s listed twice", id)
			}
			seen[id] = true
		}
		if !aws.ToBool(page.IsTruncated) {
			break
		}
		in.KeyMarker, in.VersionIdMarker = page.NextKeyMarker, page.NextVersionIdMarker
	}
	if len(seen) != 11 {
		t.Errorf("ListObjectVersions pages gave %d versions, want 11", len(seen))
	}
}

// TestMultipartOverLimit: an object assembled from parts is bounded too.
func TestMultipartOverLimit(t *testing.T) {
	_, url := serve(t, "")
	c := client(url)
	ctx := context.Background()
	bucket, key := aws.String(docBucket), aws.String("documents/big")
	up, err := c.CreateMultipartUpload(ctx, &s3.CreateMultipartUploadInput{Bucket: bucket, Key: key})
	if err != nil {
		t.Fatal(err)
	}
	var parts []s3types.CompletedPart
	for n := int32(1); n <= 2; n++ {
		out, err := c.UploadPart(ctx, &s3.UploadPartInput{Bucket: bucket, Key: key, UploadId: up.UploadId, PartNumber: aws.Int32(n),
			Body: bytes.NewReader(make([]byte, 600<<10))})
		if err != nil {
			t.Fatalf("UploadPart %d: %v", n, err)
		}
		parts = append(parts, s3types.CompletedPart{ETag: out.ETag, PartNumber: aws.Int32(n)})
	}
	_, err = c.CompleteMultipartUpload(ctx, &s3.CompleteMultipartUploadInput{Bucket: bucket, Key: key, UploadId: up.UploadId,
		MultipartUpload: &s3types.CompletedMultipartUpload{Parts: parts}})
	if errorCode(err) != "EntityTooLarge" {
		t.Errorf("CompleteMultipartUpload of 1.2 MiB over a 1 MiB limit: %v, want EntityTooLarge", err)
	}
	if _, err := get(t, c, docBucket, "documents/big", ""); errorCode(err) != "NoSuchKey" {
		t.Errorf("GetObject after the refused upload: %v, want NoSuchKey", err)
	}
}

// TestConcurrentPuts: puts racing on one key each get their own version.
func TestConcurrentPuts(t *testing.T) {
	dir := t.TempDir()
	_, url := serve(t, dir)
	c := client(url)
	var wg sync.WaitGroup
	for i := range 8 {
		wg.Go(func() {
			body := bytes.NewReader([]byte(fmt.Sprint(i)))
			if _, err := c.PutObject(context.Background(), &s3.PutObjectInput{Bucket: aws.String(docBucket), Key: aws.String("documents/race"), Body: body}); err != nil {
				t.Errorf("PutObject %d: %v", i, err)
			}
		})
	}
	wg.Wait()
	if got := listVersions(t, c, docBucket); len(got) != 8 {
		t.Errorf("%d versions after 8 puts, want 8", len(got))
	}
	_, url2 := serve(t, dir)
	if got := listVersions(t, client(url2), docBucket); len(got) != 8 {
		t.Errorf("after restart, %d versions, want 8", len(got))
	}
}
