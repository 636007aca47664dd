package cloudformation

import (
	"context"
	"encoding/json"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/hitl-go/docsign/internal/contract"
)

// TestSynthesizedSigningStack reads a copy of `cdk synth -c timeout=12s`
// output of this project's app (testdata/cdk) and the app as it is now: in
// CI (CI set) synthesized by the test, else the project's cdk.out when
// present.
func TestSynthesizedSigningStack(t *testing.T) {
	tests := []struct {
		name     string
		assembly func(*testing.T) string
	}{
		{"testdata/cdk", func(*testing.T) string { return "testdata/cdk" }},
		{"current app", currentAssembly},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			a, err := Load(tt.assembly(t), Options{})
			if err != nil {
				t.Fatal(err)
			}
			checkSigningStack(t, a)
		})
	}
}

// repoRoot is the repository root, relative to this package.
var repoRoot = filepath.Join("..", "..")

// synthesized is the app synthesized once for the package's tests.
var synthesized struct {
	once sync.Once
	tmp  string // removed by TestMain
	dir  string
	err  error
}

func TestMain(m *testing.M) {
	code := m.Run()
	if synthesized.tmp != "" {
		os.RemoveAll(synthesized.tmp)
	}
	os.Exit(code)
}

// currentAssembly returns a cloud assembly of the app as it is now. Outside
// CI it is the project's cdk.out, skipping without one; in CI it is
// synthesized into a temporary directory, failing without node or the CDK
// CLI.
func currentAssembly(t *testing.T) string {
	t.Helper()
	if os.Getenv("CI") == "" {
		dir := filepath.Join(repoRoot, "cdk.out")
		if _, err := os.Stat(filepath.Join(dir, "manifest.json")); err != nil {
			t.Skipf("no cloud assembly in %s (run make synth); CI synthesizes one", dir)
		}
		return dir
	}
	synthesized.once.Do(func() { synthesized.dir, synthesized.err = synth() })
	if synthesized.err != nil {
		t.Fatal(synthesized.err)
	}
	return synthesized.dir
}

// synth runs `npx --no-install cdk synth -q -o <dir>` in the repository root
// into a directory that TestMain removes.
func synth() (string, error) {
	if _, err := os.Stat(filepath.Join(repoRoot, "node_modules", "aws-cdk")); err != nil {
		return "", fmt.Errorf("the CDK CLI is not installed (node_modules/aws-cdk): run `npm ci`")
	}
	dir, err := os.MkdirTemp("", "cloudformation-test-")
	if err != nil {
		return "", err
	}
	synthesized.tmp = dir
	out := filepath.Join(dir, "cdk.out")
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Minute)
	defer cancel()
	cmd := exec.CommandContext(ctx, "npx", "--no-install", "cdk", "synth", "-q", "-o", out)
	cmd.Dir = repoRoot
	cmd.Env = append(os.Environ(), "JSII_SILENCE_WARNING_DEPRECATED_NODE_VERSION=1")
	if b, err := cmd.CombinedOutput(); err != nil {
		return "", fmt.Errorf("cdk synth: %v\n%s", err, b)
	}
	return out, nil
}

func checkSigningStack(t *testing.T, a *Assembly) {
	if len(a.Stacks) != 1 || a.Stacks[0].Name != "DocumentSigningStack" {
		t.Fatalf("got %d stacks, want DocumentSigningStack alone", len(a.Stacks))
	}
	s := a.Stacks[0]
	if len(s.Tables) != 1 || len(s.StateMachines) != 1 || len(s.Functions) != 6 || len(s.Buckets) != 1 || len(s.Keys) != 1 ||
		len(s.Topics) != 1 || len(s.HTTPAPIs) != 1 {
		t.Fatalf("got %d tables, %d state machines, %d functions, %d buckets, %d keys, %d topics, %d HTTP APIs; want 1, 1, 6, 1, 1, 1, 1",
			len(s.Tables), len(s.StateMachines), len(s.Functions), len(s.Buckets), len(s.Keys), len(s.Topics), len(s.HTTPAPIs))
	}
	table, sm, bucket, key := s.Tables[0], s.StateMachines[0], s.Buckets[0], s.Keys[0]
	fns := map[string]Function{}
	for _, f := range s.Functions {
		fns[f.GoPackage] = f
	}
	complete := fns["./lambdas/completesignature"]
	if want := []string{ssmNote}; !slices.Equal(s.Notes, want) {
		t.Errorf("Notes = %q, want %q (CDK's bootstrap check is left to AWS)", s.Notes, want)
	}
	out := a.Outputs()["DocumentSigningStack"]
	checks := []struct{ what, got, want string }{
		{"output StateMachineArn", out["StateMachineArn"], sm.ARN},
		{"output TableName", out["TableName"], table.Name},
		{"output CompleteSignatureFunctionName", out["CompleteSignatureFunctionName"], complete.Name},
		{"complete-signature TABLE_NAME", complete.Environment["TABLE_NAME"], table.Name},
		{"request-signature TABLE_NAME", fns["./lambdas/requestsignature"].Environment["TABLE_NAME"], table.Name},
		{"table keys", keyString(table.KeySchema), "documentId HASH, signer RANGE"},
		{"TTL attribute", table.TTL.AttributeName, "expiresAt"},
		{"complete-signature tracing mode", complete.TracingMode, "Active"},
		{"output DocumentBucketName", out["DocumentBucketName"], bucket.Name},
		{"output SigningKeyArn", out["SigningKeyArn"], key.ARN},
		{"pin-document DOCUMENT_BUCKET", fns["./lambdas/pindocument"].Environment["DOCUMENT_BUCKET"], bucket.Name},
		{"complete-signature SIGNING_KEY_ARN", complete.Environment["SIGNING_KEY_ARN"], key.ARN},
		{"signing key spec and usage", key.KeySpec + " " + key.KeyUsage, "ECC_NIST_P256 SIGN_VERIFY"},
		{"output NotificationTopicArn", out["NotificationTopicArn"], s.Topics[0].ARN},
		{"request-signature NOTIFICATION_TOPIC_ARN", fns["./lambdas/requestsignature"].Environment["NOTIFICATION_TOPIC_ARN"], s.Topics[0].ARN},
		{"output ApiUrl", out["ApiUrl"], s.HTTPAPIs[0].Endpoint + "/"},
		{"request-signature API_URL", fns["./lambdas/requestsignature"].Environment["API_URL"], s.HTTPAPIs[0].Endpoint + "/"},
		{"sign-page COMPLETE_SIGNATURE_FUNCTION", fns["./lambdas/signpage"].Environment["COMPLETE_SIGNATURE_FUNCTION"], complete.Name},
	}
	if !bucket.Versioned {
		t.Errorf("document bucket %s is not versioned; a run pins a version", bucket.Name)
	}
	if complete.Description == "" {
		t.Errorf("complete-signature has no Description; the construct gives every function one")
	}
	for _, c := range checks {
		if c.got != c.want || c.got == "" {
			t.Errorf("%s = %q, want %q", c.what, c.got, c.want)
		}
	}
	for _, pkg := range []string{"./lambdas/pindocument", "./lambdas/signdocument", "./lambdas/requestsignature", "./lambdas/completesignature"} {
		f, ok := fns[pkg]
		if !ok {
			t.Errorf("no function with Metadata %s = %s", contract.MetadataGoPackage, pkg)
			continue
		}
		if f.Runtime != "provided.al2023" || !slices.Equal(f.Architectures, []string{"arm64"}) || f.LogFormat != "JSON" || len(f.Name) > 64 {
			t.Errorf("%s: runtime %s, architectures %q, log format %s, name %q; want provided.al2023, arm64, JSON, ≤ 64 chars",
				pkg, f.Runtime, f.Architectures, f.LogFormat, f.Name)
		}
	}
	checkDefinition(t, sm, s.Functions)
	for _, typ := range s.NotEmulated {
		if typ == typeTable || typ == typeFunction || typ == typeStateMachine || typ == "AWS::CDK::Metadata" {
			t.Errorf("NotEmulated lists %s", typ)
		}
	}
}

// checkDefinition checks the definition is resolved JSON whose Lambda ARNs
// are the template's functions.
func checkDefinition(t *testing.T, sm StateMachine, fns []Function) {
	var def struct {
		StartAt        string
		TimeoutSeconds int
	}
	if err := json.Unmarshal([]byte(sm.Definition), &def); err != nil || def.StartAt == "" || def.TimeoutSeconds == 0 {
		t.Errorf("definition %s: %v; want JSON with StartAt and TimeoutSeconds", sm.Definition, err)
	}
	for _, leftover := range []string{"Fn::", `"Ref"`, "${"} {
		if strings.Contains(sm.Definition, leftover) {
			t.Errorf("definition still holds %s: %s", leftover, sm.Definition)
		}
	}
	arns := regexp.MustCompile(`arn:aws:lambda:[^"]+`).FindAllString(sm.Definition, -1)
	if len(arns) < 2 {
		t.Errorf("definition names %d Lambda ARNs, want one per signer", len(arns))
	}
	for _, arn := range arns {
		if !slices.ContainsFunc(fns, func(f Function) bool { return f.ARN == arn }) {
			t.Errorf("definition invokes %s, not a function of the template", arn)
		}
	}
}

func keyString(ks []KeyElement) string {
	var parts []string
	for _, k := range ks {
		parts = append(parts, k.AttributeName+" "+k.KeyType)
	}
	return strings.Join(parts, ", ")
}
