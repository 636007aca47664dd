package stack_test

import (
	"context"
	"errors"
	"net"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"

	"github.com/aws/aws-sdk-go-v2/service/dynamodb"
	"github.com/aws/aws-sdk-go-v2/service/lambda"
	"github.com/aws/aws-sdk-go-v2/service/sfn"

	"github.com/hitl-go/docsign/internal/nodemodules"
	"github.com/hitl-go/docsign/internal/stacktest"
	"github.com/hitl-go/docsign/local/stack"
)

// TestStartRefusesBadSetup checks that each setup problem stops Start with
// one line naming the fix, before any process starts.
func TestStartRefusesBadSetup(t *testing.T) {
	busy, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer busy.Close()
	missing := filepath.Join(t.TempDir(), "cdk.out")
	tests := []struct {
		name string
		opts stack.Options
		want string
	}{
		{"no cloud assembly", stack.Options{CDKOut: missing},
			"no cloud assembly at " + missing + ": run `make synth`"},
		{"malformed template", stack.Options{CDKOut: "testdata/malformed"},
			"malformed template testdata/malformed/BadStack.template.json: Outputs.TableName.Value.Ref: "},
		{"a rule fails", stack.Options{CDKOut: "testdata/rule-fails"},
			"CloudFormation would refuse the stack: testdata/rule-fails/OldBootstrap.template.json: Rules.CheckBootstrapVersion.Assertions[0]: " +
				"rule assertion failed: rule CheckBootstrapVersion: CDK bootstrap stack version 6 required. Please run 'cdk bootstrap' with a recent version of the CDK CLI.: " +
				"change what the rule checks (parameters, context) and run `make synth` again"},
		{"port in use", stack.Options{CDKOut: "testdata/empty", Addr: busy.Addr().String()},
			"port " + portOf(busy) + " on 127.0.0.1 is in use (another `signctl local`?): stop what uses it, or pass --addr 127.0.0.1:<another port>"},
		{"all interfaces", stack.Options{CDKOut: "testdata/empty", Addr: ":0"},
			`address ":0" is not a loopback address (the local stack has no authentication): use 127.0.0.1, e.g. --addr 127.0.0.1:4566`},
		{"public address", stack.Options{CDKOut: "testdata/empty", Addr: "0.0.0.0:4566"},
			`address "0.0.0.0:4566" is not a loopback address`},
		{"not host:port", stack.Options{CDKOut: "testdata/empty", Addr: "4566"},
			`address "4566" is not host:port: use e.g. --addr 127.0.0.1:4566`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := stacktest.Start(t, tt.opts)
			var setup *stack.SetupError
			if !errors.As(err, &setup) {
				t.Fatalf("Start = %v, want a *SetupError", err)
			}
			if got := err.Error(); !strings.HasPrefix(got, tt.want) || strings.Contains(got, "\n") {
				t.Errorf("Start error = %q, want one line starting %q", got, tt.want)
			}
			t.Log(err)
		})
	}
}

func portOf(ln net.Listener) string { return strconv.Itoa(ln.Addr().(*net.TCPAddr).Port) }

func TestStartReportsFunctionThatDoesNotBuild(t *testing.T) {
	stacktest.NeedDynalite(t)
	_, err := stacktest.Start(t, stack.Options{CDKOut: "testdata/broken-function"})
	var build *stack.BuildError
	if !errors.As(err, &build) {
		t.Fatalf("Start = %v, want a *BuildError", err)
	}
	got := err.Error()
	t.Log(got)
	for _, want := range []string{"./local/stack/testdata/brokenfn", "undefined: undefinedHandler", "fix the package"} {
		if !strings.Contains(got, want) || strings.Contains(got, "\n") {
			t.Errorf("Start error = %q, want one line with %q", got, want)
		}
	}
}

func TestStartWithoutDynalite(t *testing.T) {
	t.Setenv(nodemodules.Env, t.TempDir())
	_, err := stacktest.Start(t, stack.Options{CDKOut: "testdata/empty"})
	var setup *stack.SetupError
	if !errors.As(err, &setup) || !strings.Contains(err.Error(), "npm ci") || strings.Contains(err.Error(), "\n") {
		t.Errorf("Start = %v, want one line naming `npm ci`", err)
	}
	t.Log(err)
}

// TestEmptyAssemblyServesTheAPIs checks that an assembly without stacks
// still serves Step Functions, Lambda and DynamoDB, with nothing in them.
func TestEmptyAssemblyServesTheAPIs(t *testing.T) {
	stacktest.NeedDynalite(t)
	st, err := stacktest.Start(t, stack.Options{CDKOut: "testdata/empty"})
	if err != nil {
		t.Fatal(err)
	}
	ctx := context.Background()
	cfg := stacktest.Config(st.Endpoint())
	machines, err := sfn.NewFromConfig(cfg).ListStateMachines(ctx, &sfn.ListStateMachinesInput{})
	if err != nil || len(machines.StateMachines) != 0 {
		t.Errorf("ListStateMachines = %v, %v; want none", machines, err)
	}
	fns, err := lambda.NewFromConfig(cfg).ListFunctions(ctx, &lambda.ListFunctionsInput{})
	if err != nil || len(fns.Functions) != 0 {
		t.Errorf("ListFunctions = %v, %v; want none", fns, err)
	}
	tables, err := dynamodb.NewFromConfig(cfg).ListTables(ctx, &dynamodb.ListTablesInput{})
	if err != nil || len(tables.TableNames) != 0 {
		t.Errorf("ListTables = %v, %v; want none", tables, err)
	}
	if data, err := os.ReadFile(st.OutputsFile()); err != nil || strings.TrimSpace(string(data)) != "{}" {
		t.Errorf("outputs file = %q, %v; want {}", data, err)
	}
}
