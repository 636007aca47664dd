package s3

import (
	"encoding/json"
	"os"
	"path/filepath"
	"testing"

	"github.com/hitl-go/docsign/internal/awsclitest"
)

// TestAWSCLI drives the Service with the real AWS CLI (v1, from the machine
// image): s3api put-object and get-object by version, list-object-versions,
// and the high-level aws s3 cp both ways.
func TestAWSCLI(t *testing.T) {
	_, url := serve(t, t.TempDir())
	work := t.TempDir()
	cli := awsclitest.New(t, url)
	cli.Dir = work
	aws := func(args ...string) []byte {
		t.Helper()
		out, err := cli.Run(args...)
		if err != nil {
			t.Fatal(err)
		}
		return out
	}
	field := func(out []byte, name string) string {
		t.Helper()
		var m map[string]any
		if err := json.Unmarshal(out, &m); err != nil {
			t.Fatalf("aws printed %s: %v", out, err)
		}
		s, _ := m[name].(string)
		return s
	}
	write := func(name, body string) string {
		p := filepath.Join(work, name)
		if err := os.WriteFile(p, []byte(body), 0o600); err != nil {
			t.Fatal(err)
		}
		return p
	}

	v1 := field(aws("s3api", "put-object", "--bucket", docBucket, "--key", "documents/cli", "--body", write("one.txt", "one")), "VersionId")
	v2 := field(aws("s3api", "put-object", "--bucket", docBucket, "--key", "documents/cli", "--body", write("two.txt", "two")), "VersionId")
	if v1 == "" || v2 == "" || v1 == v2 {
		t.Fatalf("put-object version IDs %q, %q", v1, v2)
	}
	got := aws("s3api", "get-object", "--bucket", docBucket, "--key", "documents/cli", "--version-id", v1, "out.txt")
	if field(got, "VersionId") != v1 {
		t.Errorf("get-object --version-id: %s", got)
	}
	if b, _ := os.ReadFile(filepath.Join(work, "out.txt")); string(b) != "one" {
		t.Errorf("get-object of version 1 wrote %q", b)
	}
	head := aws("s3api", "head-object", "--bucket", docBucket, "--key", "documents/cli", "--version-id", v1)
	if field(head, "VersionId") != v1 {
		t.Errorf("head-object --version-id: %s", head)
	}
	var listed struct{ Versions []struct{ VersionId string } }
	if err := json.Unmarshal(aws("s3api", "list-object-versions", "--bucket", docBucket), &listed); err != nil || len(listed.Versions) != 2 ||
		listed.Versions[0].VersionId != v2 || listed.Versions[1].VersionId != v1 {
		t.Errorf("list-object-versions: %+v, %v", listed, err)
	}

	aws("s3", "cp", write("up.txt", "copied up"), "s3://"+docBucket+"/documents/cp")
	aws("s3", "cp", "s3://"+docBucket+"/documents/cp", filepath.Join(work, "down.txt"))
	if b, _ := os.ReadFile(filepath.Join(work, "down.txt")); string(b) != "copied up" {
		t.Errorf("aws s3 cp round trip gave %q", b)
	}
}
