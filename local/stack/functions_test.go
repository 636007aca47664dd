package stack

import (
	"os"
	"path/filepath"
	"reflect"
	"testing"
	"time"

	"github.com/hitl-go/docsign/local/cloudformation"
	"github.com/hitl-go/docsign/local/lambda"
)

// TestRegisterFunctionsCarriesTheTemplate checks that what the template says
// of a function reaches the Lambda host, which answers GetFunction with it.
func TestRegisterFunctionsCarriesTheTemplate(t *testing.T) {
	bin := filepath.Join(t.TempDir(), "bootstrap")
	if err := os.WriteFile(bin, []byte("#!/bin/sh\n"), 0o755); err != nil {
		t.Fatal(err)
	}
	five := 5
	fn := cloudformation.Function{
		Name: "Stack-Sign-ABC", ARN: "arn:aws:lambda:us-east-1:000000000000:function:Stack-Sign-ABC",
		Runtime: "provided.al2023", Handler: "bootstrap", Description: "Signs a document at once.",
		Timeout: 9 * time.Second, MemorySize: 256, Environment: map[string]string{"TABLE_NAME": "t"},
		LogFormat: "JSON", LogGroup: "/aws/lambda/sign", ApplicationLogLevel: "DEBUG", TracingMode: "Active",
		RoleARN: "arn:aws:iam::000000000000:role/r", ReservedConcurrency: &five,
	}
	host := lambda.NewHost(lambda.Options{})
	t.Cleanup(func() { host.Close() })
	if err := registerFunctions(host, []cloudformation.Function{fn}, map[string]string{fn.Name: bin}); err != nil {
		t.Fatal(err)
	}
	cfgs := host.Functions()
	if len(cfgs) != 1 {
		t.Fatalf("host has %d functions, want 1", len(cfgs))
	}
	c := cfgs[0]
	got := cloudformation.Function{Name: c.Name, ARN: c.ARN, Runtime: c.Runtime, Handler: c.Handler, Description: c.Description,
		Timeout: c.Timeout, MemorySize: c.MemoryMB, Environment: c.Env, LogFormat: c.LogFormat, LogGroup: c.LogGroup,
		ApplicationLogLevel: c.ApplicationLogLevel, TracingMode: c.TracingMode, RoleARN: c.Role, ReservedConcurrency: &c.ReservedConcurrency}
	if !reflect.DeepEqual(got, fn) {
		t.Errorf("registered:\n got %+v\nwant %+v", got, fn)
	}
}
