package s3

import (
	"context"
	"io"
	"net/http"
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/s3"
)

// TestPresignedAndRanges: a presigned GET of a version matches and is
// served; a ranged GET of a version returns that part; ListBuckets lists
// the template's buckets only.
func TestPresignedAndRanges(t *testing.T) {
	_, url := serve(t, "")
	c := client(url)
	ctx := context.Background()
	v1 := put(t, c, docBucket, "documents/p", "0123456789")
	put(t, c, docBucket, "documents/p", "later")

	req, err := s3.NewPresignClient(c).PresignGetObject(ctx, &s3.GetObjectInput{Bucket: aws.String(docBucket), Key: aws.String("documents/p"), VersionId: &v1})
	if err != nil {
		t.Fatal(err)
	}
	hreq, err := http.NewRequest(req.Method, req.URL, nil)
	if err != nil {
		t.Fatal(err)
	}
	if !Matches(hreq) {
		t.Errorf("Matches(presigned %s) = false", req.URL)
	}
	resp, err := http.DefaultClient.Do(hreq)
	if err != nil {
		t.Fatal(err)
	}
	body, _ := io.ReadAll(resp.Body)
	resp.Body.Close()
	if resp.StatusCode != 200 || string(body) != "0123456789" {
		t.Errorf("presigned GET: %d %q", resp.StatusCode, body)
	}

	out, err := c.GetObject(ctx, &s3.GetObjectInput{Bucket: aws.String(docBucket), Key: aws.String("documents/p"), VersionId: &v1, Range: aws.String("bytes=2-4")})
	if err != nil {
		t.Fatal(err)
	}
	part, _ := io.ReadAll(out.Body)
	out.Body.Close()
	if string(part) != "234" || aws.ToString(out.ContentRange) != "bytes 2-4/10" {
		t.Errorf("ranged GET of version 1: %q, Content-Range %q", part, aws.ToString(out.ContentRange))
	}

	list, err := c.ListBuckets(ctx, &s3.ListBucketsInput{})
	if err != nil {
		t.Fatal(err)
	}
	var names []string
	for _, b := range list.Buckets {
		names = append(names, aws.ToString(b.Name))
	}
	if !equal(names, []string{docBucket, plainBucket}) {
		t.Errorf("ListBuckets = %v", names)
	}
}

func TestNewRefuses(t *testing.T) {
	tests := []struct {
		name    string
		buckets []Bucket
	}{
		{"upper case", []Bucket{{LogicalID: "B", Name: "Docs"}}},
		{"too short", []Bucket{{LogicalID: "B", Name: "ab"}}},
		{"dot-dot", []Bucket{{LogicalID: "B", Name: "a..b"}}},
		{"slash", []Bucket{{LogicalID: "B", Name: "a/b"}}},
		{"twice", []Bucket{{LogicalID: "A", Name: "docs"}, {LogicalID: "B", Name: "docs"}}},
	}
	for _, tt := range tests {
		if _, err := New(Options{Buckets: tt.buckets}); err == nil {
			t.Errorf("%s: New accepted %v", tt.name, tt.buckets)
		}
	}
}
