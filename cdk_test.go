package main

import (
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"

	"github.com/aws/aws-cdk-go/awscdk/v2"
	"github.com/aws/aws-cdk-go/awscdk/v2/assertions"
	"github.com/aws/jsii-runtime-go"
	"github.com/hitl-go/docsign/internal/contract"
)

// The CDK app's tests share the fixtures and helpers below. The rest, by
// concern: context_test.go (context parsing), workflow_test.go (the state
// machine), template_test.go (table, functions, assets), iam_test.go (IAM),
// tools_test.go (asl-validator, cfn-lint) and guard_test.go (AWS Control
// Tower proactive controls with cfn-guard).
//
// One jsii runtime serves the whole test binary, and each synthesis still
// costs seconds of jsii calls, so the tests share two apps, each synthesized
// once on first use: the cdk.json context with timeout=90s, and three signers
// given as -c would give them (a JSON string) with timeout=12s.
var (
	outRoot  string // removed after the tests
	fixtures = map[string]*fixture{
		"default": {context: map[string]any{contextTimeout: "90s"}},
		"three": {context: map[string]any{
			contextTimeout:       "12s",
			contextRemovalPolicy: "retain",
			contextSigners: `[{"name":"Alice","mode":"auto"},{"name":"Bob","mode":"callback","email":"bob@example.com"},` +
				`{"name":"Carol","mode":"callback","email":"carol@example.org"}]`,
		}},
	}
)

type fixture struct {
	context  map[string]any // on top of cdk.json's context
	once     sync.Once
	err      error
	dir      string         // cloud assembly
	template map[string]any // the stack's template
	assert   assertions.Template
}

// The jsii runtime starts while the packages initialize (awscdk registers its
// classes with it), before TestMain: environment set here does not reach it.
// Silence its Node banners (JSII_SILENCE_WARNING_DEPRECATED_NODE_VERSION=1,
// JSII_SILENCE_WARNING_END_OF_LIFE_NODE_VERSION=20) in the environment of
// go test itself.
func TestMain(m *testing.M) {
	var err error
	if outRoot, err = os.MkdirTemp("", "docsign-cdk-test-"); err != nil {
		fmt.Fprintln(os.Stderr, err)
		os.Exit(1)
	}
	// Keep the tests' and the Lambda builds' temporary files inside outRoot.
	os.Setenv("TMPDIR", outRoot)
	code := m.Run()
	// No jsii.Close(): it races with jsii's own watcher of the runtime
	// process (go test -race reports it). The runtime exits when this process
	// does, as its stdin closes; its unpacked copy stays in the system's
	// temporary directory (jsii-runtime.*).
	os.RemoveAll(outRoot)
	os.Exit(code)
}

// synth returns the named fixture's synthesized stack, synthesizing it once.
func synth(t *testing.T, name string) *fixture {
	t.Helper()
	f := fixtures[name]
	f.once.Do(func() {
		ctx := cdkJSON(t)["context"].(map[string]any)
		ctx["aws:cdk:enable-path-metadata"] = true // as the CDK CLI sets it
		for k, v := range f.context {
			ctx[k] = v
		}
		f.dir = filepath.Join(outRoot, name)
		app := awscdk.NewApp(&awscdk.AppProps{Context: &ctx, Outdir: jsii.String(f.dir)})
		var stack awscdk.Stack
		if stack, f.err = defineStack(app); f.err != nil {
			return
		}
		f.assert = assertions.Template_FromStack(stack, nil)
		f.template = jsonValue(f.assert.ToJSON()).(map[string]any)
	})
	if f.err != nil {
		t.Fatalf("synth %s: %v", name, f.err)
	}
	return f
}

func cdkJSON(t *testing.T) map[string]any {
	t.Helper()
	b, err := os.ReadFile(filepath.Join(repoRoot(t), "cdk.json"))
	if err != nil {
		t.Fatal(err)
	}
	var v map[string]any
	if err := json.Unmarshal(b, &v); err != nil {
		t.Fatalf("cdk.json: %v", err)
	}
	return v
}

func repoRoot(t *testing.T) string {
	t.Helper()
	dir, err := os.Getwd()
	if err != nil {
		t.Fatal(err)
	}
	for ; ; dir = filepath.Dir(dir) {
		if _, err := os.Stat(filepath.Join(dir, "go.mod")); err == nil {
			return dir
		}
		if filepath.Dir(dir) == dir {
			t.Fatal("no go.mod above the working directory")
		}
	}
}

// jsonValue round-trips v through JSON so it can be walked as plain maps.
func jsonValue(v any) any {
	b, err := json.Marshal(v)
	if err != nil {
		panic(err)
	}
	var out any
	if err := json.Unmarshal(b, &out); err != nil {
		panic(err)
	}
	return out
}

// resources returns the template's resources of type typ by logical ID.
func (f *fixture) resources(typ string) map[string]map[string]any {
	out := map[string]map[string]any{}
	for id, r := range f.template["Resources"].(map[string]any) {
		if r := r.(map[string]any); r["Type"] == typ {
			out[id] = r
		}
	}
	return out
}

// only returns the logical ID and resource of the one resource of type typ.
func (f *fixture) only(t *testing.T, typ string) (string, map[string]any) {
	t.Helper()
	rs := f.resources(typ)
	if len(rs) != 1 {
		t.Fatalf("got %d %s resources, want 1", len(rs), typ)
	}
	for id, r := range rs {
		return id, r
	}
	panic("unreachable")
}

// functions maps each Lambda function's Go package (its Metadata) to its logical ID.
func (f *fixture) functions(t *testing.T) map[string]string {
	t.Helper()
	out := map[string]string{}
	for id, r := range f.resources("AWS::Lambda::Function") {
		pkg, _ := r["Metadata"].(map[string]any)[contract.MetadataGoPackage].(string)
		if pkg == "" || out[pkg] != "" {
			t.Fatalf("function %s: Metadata %s = %q: missing or not unique", id, contract.MetadataGoPackage, pkg)
		}
		out[pkg] = id
	}
	return out
}

const (
	pinPkg      = "./lambdas/pindocument"
	signPkg     = "./lambdas/signdocument"
	requestPkg  = "./lambdas/requestsignature"
	completePkg = "./lambdas/completesignature"
	pagePkg     = "./lambdas/signpage"
	docsPkg     = "./lambdas/documentsapi"
)

func mustJSON(v any) string {
	b, err := json.Marshal(v)
	if err != nil {
		panic(err)
	}
	return string(b)
}

// match runs a CDK assertion, turning its panic into a test error.
func match(t *testing.T, what string, assert func()) {
	t.Helper()
	defer func() {
		if r := recover(); r != nil {
			t.Errorf("%s: %v", what, r)
		}
	}()
	assert()
}

// resourceWith returns the logical ID of the one resource of type typ whose
// construct path contains path.
func (f *fixture) resourceWith(t *testing.T, typ, path string) string {
	t.Helper()
	var ids []string
	for id, r := range f.resources(typ) {
		if p, _ := r["Metadata"].(map[string]any)["aws:cdk:path"].(string); strings.Contains(p, "/"+path+"/") {
			ids = append(ids, id)
		}
	}
	if len(ids) != 1 {
		t.Fatalf("got %s resources %v under %q, want one", typ, ids, path)
	}
	return ids[0]
}

// constructOf returns the top-level construct (under the stack) that defined r.
func constructOf(r map[string]any) string {
	path, _ := r["Metadata"].(map[string]any)["aws:cdk:path"].(string)
	parts := strings.Split(path, "/")
	if len(parts) < 2 {
		return ""
	}
	return parts[1]
}
