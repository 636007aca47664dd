package main

import (
	"crypto/sha256"
	"debug/elf"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"maps"
	"os"
	"os/exec"
	"path/filepath"
	"reflect"
	"slices"
	"sort"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/aws/aws-cdk-go/awscdk/v2"
	"github.com/aws/aws-cdk-go/awscdk/v2/assertions"
	"github.com/aws/jsii-runtime-go"

	"github.com/hitl-go/docsign/constructs/gofunction"
	"github.com/hitl-go/docsign/constructs/signingworkflow"
)

// Each synthesis starts Go builds and jsii work that cost seconds, so the
// tests share two apps: the cdk.json context with timeout=90s, and three
// signers given as -c would give them (a JSON string) with timeout=12s.
var (
	outRoot  string // removed after the tests
	fixtures = map[string]*fixture{
		"default": {context: map[string]any{contextTimeout: "90s"}},
		"three": {context: map[string]any{
			contextTimeout:       "12s",
			contextRemovalPolicy: "retain",
			contextSigners:       `[{"name":"Alice","mode":"auto"},{"name":"Bob","mode":"callback"},{"name":"Carol","mode":"callback"}]`,
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

func TestMain(m *testing.M) {
	if os.Getenv("JSII_SILENCE_WARNING_DEPRECATED_NODE_VERSION") == "" {
		os.Setenv("JSII_SILENCE_WARNING_DEPRECATED_NODE_VERSION", "1") // Node 20 banner
	}
	var err error
	if outRoot, err = os.MkdirTemp("", "docsign-cdk-test-"); err != nil {
		fmt.Fprintln(os.Stderr, err)
		os.Exit(1)
	}
	// The jsii runtime unpacks itself under TMPDIR: keep that inside outRoot.
	os.Setenv("TMPDIR", outRoot)
	code := m.Run()
	// No jsii.Close(): it races with jsii's own watcher of the runtime
	// process (go test -race reports it). The runtime exits when this process
	// does, as its stdin closes.
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

func TestParseTimeout(t *testing.T) {
	tests := []struct {
		in      any
		want    time.Duration
		wantErr string
	}{
		{in: nil, want: 168 * time.Hour},
		{in: "90s", want: 90 * time.Second},
		{in: "12s", want: 12 * time.Second},
		{in: "1m30s", want: 90 * time.Second},
		{in: "1s", want: time.Second},
		{in: "8760h", want: 8760 * time.Hour},
		{in: "90", wantErr: `context timeout="90": want a Go duration`},
		{in: "1.5s", wantErr: `context timeout="1.5s": 1.5s is not a whole number of seconds`},
		{in: "500ms", wantErr: "500ms is shorter than 1s"},
		{in: "0s", wantErr: "0s is shorter than 1s"},
		{in: "-5s", wantErr: "-5s is shorter than 1s"},
		{in: "abc", wantErr: `context timeout="abc": want a Go duration`},
		{in: "", wantErr: `context timeout="": want a Go duration`},
		{in: "8761h", wantErr: "longer than a Standard workflow may run"},
		{in: 90.0, wantErr: `context timeout="90": want a Go duration string`},
	}
	for _, tt := range tests {
		got, err := parseTimeout(tt.in)
		if msg := errorMismatch(err, tt.wantErr, contextTimeout); msg != "" {
			t.Errorf("parseTimeout(%#v): %s", tt.in, msg)
		}
		if err == nil && got != tt.want {
			t.Errorf("parseTimeout(%#v) = %v, want %v", tt.in, got, tt.want)
		}
	}
}

func TestParseSigners(t *testing.T) {
	alice := signingworkflow.Signer{Name: "Alice", Mode: signingworkflow.Auto}
	tests := []struct {
		name    string
		in      any
		want    []signingworkflow.Signer
		wantErr string
	}{
		{name: "default", in: nil, want: signingworkflow.DefaultSigners()},
		{name: "-c string", in: `[{"name":"Alice","mode":"auto"}]`, want: []signingworkflow.Signer{alice}},
		{name: "cdk.json list", in: []any{map[string]any{"name": "Alice", "mode": "auto"}}, want: []signingworkflow.Signer{alice}},
		{name: "names", in: `[{"name":"a_B-9","mode":"callback"}]`, want: []signingworkflow.Signer{{Name: "a_B-9", Mode: signingworkflow.Callback}}},
		{name: "empty list", in: `[]`, wantErr: "at least one signer is required"},
		{name: "null", in: `null`, wantErr: "at least one signer is required"},
		{name: "empty name", in: `[{"name":"","mode":"auto"}]`, wantErr: "signers[0].name: is empty"},
		{name: "space in name", in: `[{"name":"Bo b","mode":"auto"}]`, wantErr: `signers[0].name: "Bo b" must be 1-50 characters`},
		{name: "long name", in: `[{"name":"` + strings.Repeat("x", 51) + `","mode":"auto"}]`, wantErr: "must be 1-50 characters"},
		{name: "duplicate", in: `[{"name":"Bob","mode":"auto"},{"name":"Bob","mode":"callback"}]`, wantErr: `signers[1].name: "Bob" is not unique`},
		{name: "bad mode", in: `[{"name":"Bob","mode":"manual"}]`, wantErr: `signers[0].mode: "manual" for signer "Bob" must be "auto" or "callback"`},
		{name: "no mode", in: `[{"name":"Bob"}]`, wantErr: `signers[0].mode: "" for signer "Bob"`},
		{name: "typo", in: `[{"nmae":"Bob","mode":"auto"}]`, wantErr: `unknown field "nmae"`},
		{name: "object", in: `{"name":"Bob","mode":"auto"}`, wantErr: "want a JSON list"},
		{name: "not JSON", in: `Alice`, wantErr: "want a JSON list"},
		{name: "trailing", in: `[{"name":"A","mode":"auto"}] x`, wantErr: "unexpected data after the list"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := parseSigners(tt.in)
			if msg := errorMismatch(err, tt.wantErr, contextSigners); msg != "" {
				t.Fatal(msg)
			}
			if err == nil && !reflect.DeepEqual(got, tt.want) {
				t.Errorf("got %+v, want %+v", got, tt.want)
			}
		})
	}
}

func TestParseRemovalPolicy(t *testing.T) {
	tests := []struct {
		in      any
		want    awscdk.RemovalPolicy
		wantErr string
	}{
		{in: nil, want: awscdk.RemovalPolicy_DESTROY},
		{in: "destroy", want: awscdk.RemovalPolicy_DESTROY},
		{in: "retain", want: awscdk.RemovalPolicy_RETAIN},
		{in: "snapshot", wantErr: `context removalPolicy="snapshot": want "destroy" or "retain"`},
		{in: true, wantErr: `context removalPolicy="true"`},
	}
	for _, tt := range tests {
		got, err := parseRemovalPolicy(tt.in)
		if msg := errorMismatch(err, tt.wantErr, contextRemovalPolicy); msg != "" {
			t.Errorf("parseRemovalPolicy(%#v): %s", tt.in, msg)
		}
		if err == nil && got != tt.want {
			t.Errorf("parseRemovalPolicy(%#v) = %v, want %v", tt.in, got, tt.want)
		}
	}
}

// errorMismatch describes how err differs from wanting an error containing
// want (none when want is "") raised as a *ContextError for key.
func errorMismatch(err error, want, key string) string {
	var ce *ContextError
	switch {
	case want == "" && err != nil:
		return fmt.Sprintf("unexpected error %v", err)
	case want == "":
		return ""
	case err == nil:
		return fmt.Sprintf("got no error, want one containing %q", want)
	case !strings.Contains(err.Error(), want):
		return fmt.Sprintf("got error %q, want it to contain %q", err, want)
	case !errors.As(err, &ce) || ce.Key != key:
		return fmt.Sprintf("got error %#v, want a *ContextError for %q", err, key)
	}
	return ""
}

func TestCDKJSON(t *testing.T) {
	v := cdkJSON(t)
	if app, _ := v["app"].(string); !strings.Contains(app, "go run cdk.go") {
		t.Errorf(`cdk.json app = %q, want it to run "go run cdk.go"`, app)
	}
	ctx := v["context"].(map[string]any)
	if got, err := parseTimeout(ctx[contextTimeout]); err != nil || got != defaultTimeout {
		t.Errorf("cdk.json timeout = %v (%v), want %v", got, err, defaultTimeout)
	}
	if got, err := parseSigners(ctx[contextSigners]); err != nil || !reflect.DeepEqual(got, signingworkflow.DefaultSigners()) {
		t.Errorf("cdk.json signers = %+v (%v), want %+v", got, err, signingworkflow.DefaultSigners())
	}
	if got, err := parseRemovalPolicy(ctx[contextRemovalPolicy]); err != nil || got != awscdk.RemovalPolicy_DESTROY {
		t.Errorf("cdk.json removalPolicy = %v (%v), want destroy", got, err)
	}
	for _, flag := range []string{"@aws-cdk/aws-iam:minimizePolicies", "@aws-cdk/core:enablePartitionLiterals"} {
		if ctx[flag] != true {
			t.Errorf("cdk.json context %s = %v, want true (current feature flags)", flag, ctx[flag])
		}
	}
}

func TestBadContextFailsSynth(t *testing.T) {
	ctx := map[string]any{contextTimeout: "1.5s"}
	app := awscdk.NewApp(&awscdk.AppProps{Context: &ctx, Outdir: jsii.String(filepath.Join(outRoot, "bad"))})
	_, err := defineStack(app)
	if msg := errorMismatch(err, `context timeout="1.5s": 1.5s is not a whole number of seconds`, contextTimeout); msg != "" {
		t.Error(msg)
	}
}

func TestSynthError(t *testing.T) {
	build := &gofunction.BuildError{Package: "./lambdas/x", Err: errors.New("exit status 1")}
	prop := &signingworkflow.InvalidPropError{Prop: "timeout", Reason: "bad"}
	wrapped := fmt.Errorf("workflow: %w", prop)
	tests := []struct {
		recovered any
		want      error
	}{
		{recovered: build, want: build},
		{recovered: prop, want: prop},
		{recovered: wrapped, want: wrapped},
		{recovered: errors.New("some bug"), want: nil},
		{recovered: "a string", want: nil},
	}
	for i, tt := range tests {
		got := synthError(tt.recovered)
		if tt.want == nil && got != nil || tt.want != nil && !errors.Is(got, tt.want) {
			t.Errorf("%d: synthError(%v) = %v, want %v", i, tt.recovered, got, tt.want)
		}
	}
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
		pkg, _ := r["Metadata"].(map[string]any)[gofunction.MetadataKey].(string)
		if pkg == "" || out[pkg] != "" {
			t.Fatalf("function %s: Metadata %s = %q: missing or not unique", id, gofunction.MetadataKey, pkg)
		}
		out[pkg] = id
	}
	return out
}

const (
	signPkg     = "./lambdas/signdocument"
	requestPkg  = "./lambdas/requestsignature"
	completePkg = "./lambdas/completesignature"
)

// definition decodes the state machine's DefinitionString, standing in
// sample values for the tokens CloudFormation resolves at deploy time.
func (f *fixture) definition(t *testing.T) map[string]any {
	t.Helper()
	_, sm := f.only(t, "AWS::StepFunctions::StateMachine")
	join := sm["Properties"].(map[string]any)["DefinitionString"].(map[string]any)["Fn::Join"].([]any)
	var b strings.Builder
	for _, part := range join[1].([]any) {
		switch p := part.(type) {
		case string:
			b.WriteString(p)
		case map[string]any:
			b.WriteString(sampleValue(t, p))
		}
	}
	var def map[string]any
	if err := json.Unmarshal([]byte(b.String()), &def); err != nil {
		t.Fatalf("DefinitionString is not JSON: %v\n%s", err, b.String())
	}
	return def
}

func sampleValue(t *testing.T, token map[string]any) string {
	t.Helper()
	if token["Ref"] == "AWS::Partition" {
		return "aws"
	}
	if att, ok := token["Fn::GetAtt"].([]any); ok && len(att) == 2 && att[1] == "Arn" {
		return sampleFunctionARN(att[0].(string))
	}
	t.Fatalf("unexpected token in DefinitionString: %v", token)
	return ""
}

func sampleFunctionARN(logicalID string) string {
	return "arn:aws:lambda:us-east-1:000000000000:function:" + logicalID
}

func TestStateMachineDefinition(t *testing.T) {
	tests := []struct {
		fixture string
		signers []signingworkflow.Signer
		timeout float64
	}{
		{fixture: "default", signers: signingworkflow.DefaultSigners(), timeout: 90},
		{fixture: "three", timeout: 12, signers: append(signingworkflow.DefaultSigners(),
			signingworkflow.Signer{Name: "Carol", Mode: signingworkflow.Callback})},
	}
	for _, tt := range tests {
		t.Run(tt.fixture, func(t *testing.T) {
			f := synth(t, tt.fixture)
			fns := f.functions(t)
			def := f.definition(t)
			if got := def["TimeoutSeconds"]; got != tt.timeout {
				t.Errorf("TimeoutSeconds = %v, want %v", got, tt.timeout)
			}
			states := def["States"].(map[string]any)
			parallel, _ := states[def["StartAt"].(string)].(map[string]any)
			if len(states) != 1 || parallel["Type"] != "Parallel" || parallel["End"] != true {
				t.Fatalf("want one Parallel state that ends the run, got %v", states)
			}
			if got, want := parallel["Parameters"], map[string]any{"documentId.$": "$.documentId"}; !reflect.DeepEqual(got, want) {
				t.Errorf("Parallel Parameters = %v, want %v", got, want)
			}
			wantSelector := map[string]any{"documentId.$": "$[0].documentId", "signatures.$": "$"}
			if got := parallel["ResultSelector"]; !reflect.DeepEqual(got, wantSelector) {
				t.Errorf("Parallel ResultSelector = %v, want %v", got, wantSelector)
			}
			branches := parallel["Branches"].([]any)
			if len(branches) != len(tt.signers) {
				t.Fatalf("got %d branches, want %d (one per signer)", len(branches), len(tt.signers))
			}
			for i, s := range tt.signers {
				want := wantBranch(s, tt.timeout, fns)
				if got := branches[i]; !reflect.DeepEqual(got, want) {
					t.Errorf("branch %d:\n got %s\nwant %s", i, mustJSON(got), mustJSON(want))
				}
			}
		})
	}
}

// wantBranch is the one-state branch for signer s.
func wantBranch(s signingworkflow.Signer, timeout float64, fns map[string]string) map[string]any {
	retry := []any{map[string]any{
		"ErrorEquals": []any{"Lambda.ServiceException", "Lambda.AWSLambdaException", "Lambda.SdkClientException",
			"Lambda.TooManyRequestsException", "Lambda.ClientExecutionTimeoutException"},
		"IntervalSeconds": 2.0, "MaxAttempts": 6.0, "BackoffRate": 2.0, "JitterStrategy": "FULL",
	}}
	state := map[string]any{"Type": "Task", "End": true, "Retry": retry}
	name := signingworkflow.AutoStateName(s.Name)
	if s.Mode == signingworkflow.Auto {
		state["Resource"] = "arn:aws:states:::lambda:invoke"
		state["Parameters"] = map[string]any{
			"FunctionName": sampleFunctionARN(fns[signPkg]),
			"Payload":      map[string]any{"documentId.$": "$.documentId", "signer": s.Name},
		}
		state["ResultSelector"] = map[string]any{
			"documentId.$": "$.Payload.documentId", "signer.$": "$.Payload.signer",
			"signature.$": "$.Payload.signature", "signedAt.$": "$.Payload.signedAt",
		}
	} else {
		name = signingworkflow.CallbackStateName(s.Name)
		state["Resource"] = "arn:aws:states:::lambda:invoke.waitForTaskToken"
		state["Parameters"] = map[string]any{
			"FunctionName": sampleFunctionARN(fns[requestPkg]),
			"Payload": map[string]any{
				"taskToken.$": "$$.Task.Token", "documentId.$": "$.documentId", "signer": s.Name,
				"executionArn.$": "$$.Execution.Id", "startedAt.$": "$$.Execution.StartTime",
				"timeoutSeconds": timeout,
			},
		}
	}
	return map[string]any{"StartAt": name, "States": map[string]any{name: state}}
}

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

func TestStateMachineResource(t *testing.T) {
	f := synth(t, "default")
	smID, _ := f.only(t, "AWS::StepFunctions::StateMachine")
	logGroup := f.resourceWith(t, "AWS::Logs::LogGroup", "Workflow/Logs")
	match(t, "state machine", func() {
		f.assert.HasResourceProperties(jsii.String("AWS::StepFunctions::StateMachine"), map[string]any{
			"StateMachineType": "STANDARD",
			"LoggingConfiguration": map[string]any{
				"Level":                "ERROR",
				"IncludeExecutionData": false,
				"Destinations": []any{map[string]any{"CloudWatchLogsLogGroup": map[string]any{
					"LogGroupArn": map[string]any{"Fn::GetAtt": []any{logGroup, "Arn"}},
				}}},
			},
			"TracingConfiguration": map[string]any{"Enabled": true},
		})
	})
	outputs := f.template["Outputs"].(map[string]any)
	fns := f.functions(t)
	tableID, _ := f.only(t, "AWS::DynamoDB::Table")
	for name, want := range map[string]any{
		"StateMachineArn":               map[string]any{"Ref": smID},
		"StateMachineName":              map[string]any{"Fn::GetAtt": []any{smID, "Name"}},
		"TableName":                     map[string]any{"Ref": tableID},
		"CompleteSignatureFunctionName": map[string]any{"Ref": fns[completePkg]},
		"RequestSignatureFunctionName":  map[string]any{"Ref": fns[requestPkg]},
		"SignDocumentFunctionName":      map[string]any{"Ref": fns[signPkg]},
	} {
		got, _ := outputs[name].(map[string]any)
		if !reflect.DeepEqual(got["Value"], want) {
			t.Errorf("output %s = %v, want %v", name, got["Value"], want)
		}
	}
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

func TestTableAndRemovalPolicy(t *testing.T) {
	tests := []struct {
		fixture string
		policy  string
	}{
		{fixture: "default", policy: "Delete"},
		{fixture: "three", policy: "Retain"}, // removalPolicy=retain
	}
	for _, tt := range tests {
		t.Run(tt.fixture, func(t *testing.T) {
			f := synth(t, tt.fixture)
			match(t, "table", func() {
				f.assert.ResourceCountIs(jsii.String("AWS::DynamoDB::Table"), jsii.Number(1))
				f.assert.HasResourceProperties(jsii.String("AWS::DynamoDB::Table"), map[string]any{
					"KeySchema": []any{
						map[string]any{"AttributeName": "documentId", "KeyType": "HASH"},
						map[string]any{"AttributeName": "signer", "KeyType": "RANGE"},
					},
					"AttributeDefinitions": []any{
						map[string]any{"AttributeName": "documentId", "AttributeType": "S"},
						map[string]any{"AttributeName": "signer", "AttributeType": "S"},
					},
					"BillingMode":                      "PAY_PER_REQUEST",
					"PointInTimeRecoverySpecification": map[string]any{"PointInTimeRecoveryEnabled": true},
					"TimeToLiveSpecification":          map[string]any{"AttributeName": "expiresAt", "Enabled": true},
				})
			})
			for _, typ := range []string{"AWS::DynamoDB::Table", "AWS::Logs::LogGroup"} {
				for id, r := range f.resources(typ) {
					if r["DeletionPolicy"] != tt.policy || r["UpdateReplacePolicy"] != tt.policy {
						t.Errorf("%s: DeletionPolicy %v, UpdateReplacePolicy %v, want %s",
							id, r["DeletionPolicy"], r["UpdateReplacePolicy"], tt.policy)
					}
					if days := r["Properties"].(map[string]any)["RetentionInDays"]; typ == "AWS::Logs::LogGroup" && days != 30.0 {
						t.Errorf("%s: RetentionInDays = %v, want 30", id, days)
					}
				}
			}
		})
	}
}

func TestFunctions(t *testing.T) {
	f := synth(t, "default")
	fns := f.functions(t)
	tableID, _ := f.only(t, "AWS::DynamoDB::Table")
	table := map[string]any{"Ref": tableID}
	tests := []struct {
		pkg string
		env map[string]any
	}{
		{pkg: signPkg},
		{pkg: requestPkg, env: map[string]any{"TABLE_NAME": table}},
		{pkg: completePkg, env: map[string]any{
			"TABLE_NAME": table, "CALLBACK_SIGNERS": "Bob", "CLAIM_LEASE_SECONDS": "30",
		}},
	}
	if len(fns) != len(tests) {
		t.Errorf("got functions %v, want %d", fns, len(tests))
	}
	for _, tt := range tests {
		t.Run(tt.pkg, func(t *testing.T) {
			fn := f.resources("AWS::Lambda::Function")[fns[tt.pkg]]
			props := fn["Properties"].(map[string]any)
			logGroup := f.resourceWith(t, "AWS::Logs::LogGroup", constructOf(fn))
			want := map[string]any{
				"Runtime": "provided.al2023", "Architectures": []any{"arm64"}, "Handler": "bootstrap",
				"Timeout": 10.0, "TracingConfig": map[string]any{"Mode": "Active"},
				"LoggingConfig": map[string]any{"LogFormat": "JSON", "LogGroup": map[string]any{"Ref": logGroup}},
			}
			for k, v := range want {
				if !reflect.DeepEqual(props[k], v) {
					t.Errorf("%s = %v, want %v", k, props[k], v)
				}
			}
			var gotEnv any
			if e, ok := props["Environment"].(map[string]any); ok {
				gotEnv = e["Variables"]
			}
			if tt.env == nil && gotEnv != nil || tt.env != nil && !reflect.DeepEqual(gotEnv, any(tt.env)) {
				t.Errorf("Environment.Variables = %v, want %v", gotEnv, tt.env)
			}
			checkAsset(t, f, props)
		})
	}
	three := synth(t, "three")
	complete := three.resources("AWS::Lambda::Function")[three.functions(t)[completePkg]]
	env := complete["Properties"].(map[string]any)["Environment"].(map[string]any)["Variables"].(map[string]any)
	if got := env["CALLBACK_SIGNERS"]; got != "Bob,Carol" {
		t.Errorf("three signers: CALLBACK_SIGNERS = %v, want Bob,Carol", got)
	}
}

// checkAsset checks the function's code asset is a static linux/arm64 binary
// named bootstrap, and that its asset hash derives from the binary alone.
func checkAsset(t *testing.T, f *fixture, props map[string]any) {
	t.Helper()
	key := props["Code"].(map[string]any)["S3Key"].(string)
	hash := strings.TrimSuffix(key, ".zip")
	bin := filepath.Join(f.dir, "asset."+hash, "bootstrap")
	b, err := os.ReadFile(bin)
	if err != nil {
		t.Fatalf("asset: %v", err)
	}
	binHash := sha256.Sum256(b)
	// CDK stages a custom hash h under sha256(h).
	if want := sha256.Sum256([]byte(hex.EncodeToString(binHash[:]))); hex.EncodeToString(want[:]) != hash {
		t.Errorf("asset hash %s is not derived from the binary's SHA-256", hash)
	}
	exe, err := elf.Open(bin)
	if err != nil {
		t.Fatalf("bootstrap: %v", err)
	}
	defer exe.Close()
	if exe.Machine != elf.EM_AARCH64 || exe.OSABI != elf.ELFOSABI_NONE && exe.OSABI != elf.ELFOSABI_LINUX {
		t.Errorf("bootstrap is %v/%v, want linux arm64", exe.Machine, exe.OSABI)
	}
	for _, p := range exe.Progs {
		if p.Type == elf.PT_INTERP || p.Type == elf.PT_DYNAMIC {
			t.Errorf("bootstrap is dynamically linked, want a static binary (CGO_ENABLED=0)")
		}
	}
}

// The IAM statements each role may have, exactly. Beyond what the issue
// grants, CDK adds X-Ray writes (functions and state machine), log delivery
// (state machine) and lambda:InvokeFunction (state machine).
func TestIAMStatements(t *testing.T) {
	f := synth(t, "default")
	fns := f.functions(t)
	tableID, _ := f.only(t, "AWS::DynamoDB::Table")
	smID, sm := f.only(t, "AWS::StepFunctions::StateMachine")
	tableARN := map[string]any{"Fn::GetAtt": []any{tableID, "Arn"}}
	allow := func(resource any, actions ...string) map[string]any {
		var action any = actions[0]
		if len(actions) > 1 {
			action = toAny(actions)
		}
		return map[string]any{"Effect": "Allow", "Action": action, "Resource": resource}
	}
	xray := allow("*", "xray:PutTelemetryRecords", "xray:PutTraceSegments")
	fnBase := func(pkg string) []any {
		logGroup := f.resourceWith(t, "AWS::Logs::LogGroup", constructOf(f.resources("AWS::Lambda::Function")[fns[pkg]]))
		return []any{allow(map[string]any{"Fn::GetAtt": []any{logGroup, "Arn"}}, "logs:CreateLogStream", "logs:PutLogEvents"), xray}
	}
	executions := map[string]any{"Fn::Join": []any{"", []any{
		"arn:", map[string]any{"Ref": "AWS::Partition"}, ":states:", map[string]any{"Ref": "AWS::Region"}, ":",
		map[string]any{"Ref": "AWS::AccountId"}, ":execution:", map[string]any{"Fn::GetAtt": []any{smID, "Name"}}, ":*",
	}}}
	fnARN := func(pkg string) any { return map[string]any{"Fn::GetAtt": []any{fns[pkg], "Arn"}} }
	versions := func(pkg string) any { return map[string]any{"Fn::Join": []any{"", []any{fnARN(pkg), ":*"}}} }
	want := map[string][]any{
		roleOf(t, f.resources("AWS::Lambda::Function")[fns[signPkg]], "Role"): fnBase(signPkg),
		roleOf(t, f.resources("AWS::Lambda::Function")[fns[requestPkg]], "Role"): append(fnBase(requestPkg),
			allow(tableARN, "dynamodb:PutItem")),
		roleOf(t, f.resources("AWS::Lambda::Function")[fns[completePkg]], "Role"): append(fnBase(completePkg),
			allow(tableARN, "dynamodb:GetItem", "dynamodb:UpdateItem"),
			allow(map[string]any{"Ref": smID}, "states:SendTaskFailure", "states:SendTaskSuccess"),
			allow(executions, "states:DescribeExecution", "states:GetExecutionHistory")),
		roleOf(t, sm, "RoleArn"): {
			allow([]any{fnARN(requestPkg), fnARN(signPkg), versions(requestPkg), versions(signPkg)}, "lambda:InvokeFunction"),
			allow("*", "logs:CreateLogDelivery", "logs:DeleteLogDelivery", "logs:DescribeLogGroups",
				"logs:DescribeResourcePolicies", "logs:GetLogDelivery", "logs:ListLogDeliveries",
				"logs:PutResourcePolicy", "logs:UpdateLogDelivery", "xray:GetSamplingRules",
				"xray:GetSamplingTargets", "xray:PutTelemetryRecords", "xray:PutTraceSegments"),
		},
	}
	got := map[string][]any{}
	for id, p := range f.resources("AWS::IAM::Policy") {
		props := p["Properties"].(map[string]any)
		roles := props["Roles"].([]any)
		if len(roles) != 1 {
			t.Fatalf("policy %s is attached to %v, want one role", id, roles)
		}
		role := roles[0].(map[string]any)["Ref"].(string)
		statements := props["PolicyDocument"].(map[string]any)["Statement"].([]any)
		for _, s := range statements {
			if action := mustJSON(s.(map[string]any)["Action"]); strings.Contains(action, "*") {
				t.Errorf("policy %s: wildcard action %s", id, action)
			}
		}
		got[role] = append(got[role], statements...)
	}
	if len(got) != len(want) {
		t.Errorf("policies attach to roles %v, want %d roles", slices.Sorted(maps.Keys(got)), len(want))
	}
	for role, statements := range want {
		if g, w := normalized(got[role]), normalized(statements); g != w {
			t.Errorf("role %s statements:\n got %s\nwant %s", role, g, w)
		}
	}
	for id, r := range f.resources("AWS::IAM::Role") {
		props := r["Properties"].(map[string]any)
		if props["ManagedPolicyArns"] != nil || props["Policies"] != nil {
			t.Errorf("role %s has managed or inline policies %v %v, want only its default policy",
				id, props["ManagedPolicyArns"], props["Policies"])
		}
	}
}

func roleOf(t *testing.T, r map[string]any, prop string) string {
	t.Helper()
	att, _ := r["Properties"].(map[string]any)[prop].(map[string]any)["Fn::GetAtt"].([]any)
	if len(att) != 2 {
		t.Fatalf("%s is not a GetAtt of a role: %v", prop, r["Properties"])
	}
	return att[0].(string)
}

// normalized renders statements in a canonical order for comparison: no
// action may be a wildcard, so sorting actions and resources loses nothing.
func normalized(statements []any) string {
	var out []string
	for _, s := range jsonValue(statements).([]any) {
		s := s.(map[string]any)
		for _, k := range []string{"Action", "Resource"} {
			if list, ok := s[k].([]any); ok {
				sort.Slice(list, func(i, j int) bool { return mustJSON(list[i]) < mustJSON(list[j]) })
			}
		}
		out = append(out, mustJSON(s))
	}
	sort.Strings(out)
	return "[" + strings.Join(out, ",\n") + "]"
}

func toAny[T any](xs []T) []any {
	out := make([]any, len(xs))
	for i, x := range xs {
		out[i] = x
	}
	return out
}

// tool returns the path of an external tool, skipping the test when it is
// missing — unless CI is set, where a missing tool fails.
func tool(t *testing.T, path string) string {
	t.Helper()
	p, err := exec.LookPath(path)
	if err != nil {
		if os.Getenv("CI") != "" {
			t.Fatalf("%s is required in CI: %v", path, err)
		}
		t.Skipf("%s not found (run npm ci / install it): %v", path, err)
	}
	return p
}

func TestDefinitionPassesASLValidator(t *testing.T) {
	validator := tool(t, filepath.Join(repoRoot(t), "node_modules", ".bin", "asl-validator"))
	for _, name := range []string{"default", "three"} {
		t.Run(name, func(t *testing.T) {
			file := filepath.Join(t.TempDir(), "definition.asl.json")
			if err := os.WriteFile(file, []byte(mustJSON(synth(t, name).definition(t))), 0o644); err != nil {
				t.Fatal(err)
			}
			out, err := exec.Command(validator, "--json-path", file).CombinedOutput()
			if err != nil {
				t.Errorf("asl-validator: %v\n%s", err, out)
			}
		})
	}
}

// cfn-lint exits non-zero for warnings too; only its errors fail the test.
func TestTemplatePassesCfnLint(t *testing.T) {
	lint := tool(t, "cfn-lint")
	file := filepath.Join(t.TempDir(), "template.json")
	if err := os.WriteFile(file, []byte(mustJSON(synth(t, "default").template)), 0o644); err != nil {
		t.Fatal(err)
	}
	out, err := exec.Command(lint, "--format", "json", file).Output()
	var exit *exec.ExitError
	if err != nil && !errors.As(err, &exit) {
		t.Fatalf("cfn-lint: %v", err)
	}
	var matches []struct {
		Level   string
		Message string
		Rule    struct {
			ID string `json:"Id"`
		}
	}
	if err := json.Unmarshal(out, &matches); err != nil {
		t.Fatalf("cfn-lint output is not JSON (%v): %s %s", err, out, exitStderr(exit))
	}
	for _, m := range matches {
		if m.Level == "Error" {
			t.Errorf("cfn-lint %s: %s", m.Rule.ID, m.Message)
		} else {
			t.Logf("cfn-lint %s %s: %s", m.Level, m.Rule.ID, m.Message)
		}
	}
}

func exitStderr(err *exec.ExitError) string {
	if err == nil {
		return ""
	}
	return string(err.Stderr)
}
