package documents_test

import (
	"context"
	"errors"
	"io"
	"strings"
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/s3"
	s3types "github.com/aws/aws-sdk-go-v2/service/s3/types"
	"github.com/aws/smithy-go"

	"github.com/hitl-go/docsign/internal/contract"
	"github.com/hitl-go/docsign/internal/documents"
	"github.com/hitl-go/docsign/internal/signature"
)

// fakeS3 is a versioned bucket answering GetObject with S3's errors.
type fakeS3 struct {
	versions map[string][]string // key → bodies, oldest first; version ids "v1", "v2", …
	deleted  map[string]bool     // "key@version" removed
	err      error
	metadata map[string]string // of the last PutObject
}

func (f *fakeS3) GetObject(_ context.Context, in *s3.GetObjectInput, _ ...func(*s3.Options)) (*s3.GetObjectOutput, error) {
	if f.err != nil {
		return nil, f.err
	}
	bodies := f.versions[*in.Key]
	if len(bodies) == 0 {
		return nil, &s3types.NoSuchKey{Message: aws.String("The specified key does not exist.")}
	}
	v := len(bodies)
	if in.VersionId != nil {
		if _, err := parseVersion(*in.VersionId, &v); err != nil || v < 1 || v > len(bodies) || f.deleted[*in.Key+"@"+*in.VersionId] {
			return nil, &smithy.GenericAPIError{Code: "NoSuchVersion", Message: "The specified version does not exist."}
		}
	}
	id := "v" + string(rune('0'+v))
	return &s3.GetObjectOutput{Body: io.NopCloser(strings.NewReader(bodies[v-1])), VersionId: &id}, nil
}

func parseVersion(id string, v *int) (int, error) {
	if len(id) != 2 || id[0] != 'v' || id[1] < '1' || id[1] > '9' {
		return 0, errors.New("bad version id")
	}
	*v = int(id[1] - '0')
	return 1, nil
}

const helloSHA256 = "2cf24dba5fb0a30e26e83b2ac5b9e29e1b161e5c1fa7425e73043362938b9824" // "hello"

func TestPinAndCheck(t *testing.T) {
	s3c := &fakeS3{versions: map[string][]string{"documents/3": {"old", "hello"}}, deleted: map[string]bool{}}
	doc, err := documents.Pin(t.Context(), s3c, "docs", "3")
	want := signature.Document{Bucket: "docs", Key: "documents/3", VersionID: "v2", SHA256: helloSHA256}
	if err != nil || doc != want {
		t.Fatalf("Pin = %+v, %v; want %+v", doc, err, want)
	}
	if err := documents.Check(t.Context(), s3c, doc); err != nil {
		t.Errorf("Check of the pinned version = %v, want nil", err)
	}
	// A new version uploaded later does not change what was pinned.
	s3c.versions["documents/3"] = append(s3c.versions["documents/3"], "newer")
	if err := documents.Check(t.Context(), s3c, doc); err != nil {
		t.Errorf("Check after a newer upload = %v, want nil", err)
	}
	tests := []struct {
		name string
		doc  signature.Document
		s3   *fakeS3
		want error
	}{
		{"bytes differ from the pinned hash", signature.Document{Bucket: "docs", Key: "documents/3", VersionID: "v1", SHA256: helloSHA256}, s3c, documents.ErrChanged},
		{"version deleted", want, &fakeS3{versions: s3c.versions, deleted: map[string]bool{"documents/3@v2": true}}, documents.ErrNotFound},
		{"document deleted", want, &fakeS3{}, documents.ErrNotFound},
	}
	for _, tt := range tests {
		if err := documents.Check(t.Context(), tt.s3, tt.doc); !errors.Is(err, tt.want) {
			t.Errorf("%s: Check = %v, want %v", tt.name, err, tt.want)
		}
	}
}

func TestPinRefusals(t *testing.T) {
	transient := &smithy.GenericAPIError{Code: "SlowDown", Message: "Please reduce your request rate."}
	tests := []struct {
		name     string
		s3       *fakeS3
		notFound bool
	}{
		{"missing", &fakeS3{}, true},
		{"S3 failing", &fakeS3{err: transient}, false},
	}
	for _, tt := range tests {
		_, err := documents.Pin(t.Context(), tt.s3, "docs", "3")
		if err == nil || errors.Is(err, documents.ErrNotFound) != tt.notFound {
			t.Errorf("%s: Pin = %v, want an error (not found: %t)", tt.name, err, tt.notFound)
		}
	}
}

func (f *fakeS3) PutObject(_ context.Context, in *s3.PutObjectInput, _ ...func(*s3.Options)) (*s3.PutObjectOutput, error) {
	if f.err != nil {
		return nil, f.err
	}
	body, _ := io.ReadAll(in.Body)
	f.versions[*in.Key] = append(f.versions[*in.Key], string(body))
	f.metadata = in.Metadata
	id := "v" + string(rune('0'+len(f.versions[*in.Key])))
	if f.deleted["unversioned"] {
		id = "null"
	}
	return &s3.PutObjectOutput{VersionId: &id}, nil
}

// TestPutThenPin: the version Put reports is the one a run pins.
func TestPutThenPin(t *testing.T) {
	s3c := &fakeS3{versions: map[string][]string{"documents/3": {"old"}}, deleted: map[string]bool{}}
	put, err := documents.Put(t.Context(), s3c, "docs", "3", []byte("hello"), "")
	want := signature.Document{Bucket: "docs", Key: "documents/3", VersionID: "v2", SHA256: helloSHA256}
	if err != nil || put != want {
		t.Fatalf("Put = %+v, %v; want %+v", put, err, want)
	}
	if pinned, err := documents.Pin(t.Context(), s3c, "docs", "3"); err != nil || pinned != put {
		t.Errorf("Pin after Put = %+v, %v; want %+v", pinned, err, put)
	}
	s3c.deleted["unversioned"] = true
	if _, err := documents.Put(t.Context(), s3c, "docs", "4", []byte("x"), ""); err == nil || !strings.Contains(err.Error(), "is the bucket versioned?") {
		t.Errorf("Put to an unversioned bucket = %v, want an error asking whether it is versioned", err)
	}
	s3c.err = errors.New("boom")
	if _, err := documents.Put(t.Context(), s3c, "docs", "3", nil, ""); err == nil || !strings.Contains(err.Error(), "put s3://docs/documents/3: boom") {
		t.Errorf("Put failing = %v, want it named", err)
	}
}

// TestPutRecordsUploader: the uploader's ARN rides along as S3 metadata; no
// uploader, no metadata.
func TestPutRecordsUploader(t *testing.T) {
	const caller = "arn:aws:sts::000000000000:assumed-role/Operator/alice"
	s3c := &fakeS3{versions: map[string][]string{}, deleted: map[string]bool{}}
	if _, err := documents.Put(t.Context(), s3c, "docs", "3", []byte("hello"), caller); err != nil {
		t.Fatal(err)
	}
	if got := s3c.metadata[contract.MetadataUploadedBy]; got != caller || len(s3c.metadata) != 1 {
		t.Errorf("metadata = %v, want only %s = %s", s3c.metadata, contract.MetadataUploadedBy, caller)
	}
	if _, err := documents.Put(t.Context(), s3c, "docs", "3", []byte("hello"), ""); err != nil || s3c.metadata != nil {
		t.Errorf("Put without an uploader = %v, metadata %v; want none", err, s3c.metadata)
	}
}

// headS3 answers HeadObject with the metadata of one version.
type headS3 struct {
	metadata map[string]map[string]string // version id → metadata
	asked    *s3.HeadObjectInput
}

func (h *headS3) HeadObject(_ context.Context, in *s3.HeadObjectInput, _ ...func(*s3.Options)) (*s3.HeadObjectOutput, error) {
	h.asked = in
	md, ok := h.metadata[aws.ToString(in.VersionId)]
	if !ok {
		return nil, &smithy.GenericAPIError{Code: "NoSuchVersion", Message: "The specified version does not exist."}
	}
	return &s3.HeadObjectOutput{Metadata: md}, nil
}

func TestUploadedBy(t *testing.T) {
	const caller = "arn:aws:iam::000000000000:user/alice"
	h := &headS3{metadata: map[string]map[string]string{"v1": {contract.MetadataUploadedBy: caller}, "v2": {}}}
	tests := []struct {
		version, want string
		wantErr       bool
	}{
		{"v1", caller, false},
		{"v2", "", false},
		{"v3", "", true},
	}
	for _, tt := range tests {
		doc := signature.Document{Bucket: "docs", Key: "documents/3", VersionID: tt.version, SHA256: helloSHA256}
		got, err := documents.UploadedBy(t.Context(), h, doc)
		if got != tt.want || (err != nil) != tt.wantErr {
			t.Errorf("UploadedBy(%s) = %q, %v; want %q (error: %v)", tt.version, got, err, tt.want, tt.wantErr)
		}
		if aws.ToString(h.asked.VersionId) != tt.version || aws.ToString(h.asked.Key) != doc.Key {
			t.Errorf("UploadedBy(%s) read %s version %s, want the pinned version", tt.version, aws.ToString(h.asked.Key), aws.ToString(h.asked.VersionId))
		}
	}
}
