package s3

import (
	"encoding/json"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
)

// TestAWSCLI drives the Service with the real AWS CLI (v1, from the machine
// image): s3api put-object and get-object by version, list-object-versions,
// and the high-level aws s3 cp both ways.
func TestAWSCLI(t *testing.T) {
	if _, err := exec.LookPath("aws"); err != nil {
		if os.Getenv("CI") == "" {
			t.Skip("aws CLI not installed")
		}
		t.Fatal("aws CLI not installed (required in CI)")
	}
	_, url := serve(t, t.TempDir())
	work := t.TempDir()
	var env []string
	for _, kv := range os.Environ() {
		if !strings.HasPrefix(kv, "AWS_") {
			env = append(env, kv)
		}
	}
	env = append(env, "AWS_ACCESS_KEY_ID=AKIDLOCAL", "AWS_SECRET_ACCESS_KEY=local-secret", "AWS_DEFAULT_REGION=us-east-1",
		"AWS_CONFIG_FILE="+os.DevNull, "AWS_SHARED_CREDENTIALS_FILE="+os.DevNull)
	aws := func(args ...string) []byte {
		t.Helper()
		cmd := exec.Command("aws", append(args, "--endpoint-url", url, "--output", "json")...)
		cmd.Env, cmd.Dir = env, work
		out, err := cmd.Output()
		if err != nil {
			stderr := ""
			if ee, ok := err.(*exec.ExitError); ok {
				stderr = string(ee.Stderr)
			}
			t.Fatalf("aws %s: %v\n%s", strings.Join(args[:2], " "), err, stderr)
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
