// Package scripts holds the tests of the repository's shell scripts.
package scripts

import (
	"context"
	"fmt"
	"net/http"
	"net/http/httptest"
	"os"
	"os/exec"
	"strings"
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/credentials"
	"github.com/aws/aws-sdk-go-v2/service/sfn"
	"github.com/aws/aws-sdk-go-v2/service/sfn/types"

	"github.com/hitl-go/docsign/local/stepfunctions"
)

// waitsForToken is a state machine whose run waits for a task token, as a
// run waits for a callback signer.
const waitsForToken = `{"StartAt":"Wait","States":{"Wait":{"Type":"Task",
	"Resource":"arn:aws:states:::lambda:invoke.waitForTaskToken",
	"Parameters":{"FunctionName":"RequestSignature","Payload":{"taskToken.$":"$$.Task.Token"}},"End":true}}}`

// TestStopExecutions runs stop-executions with the real AWS CLI against the
// local Step Functions: it stops the machine's waiting runs, with the cause
// that says why, and leaves another machine's runs alone.
func TestStopExecutions(t *testing.T) {
	svc, url, client := localStepFunctions(t)
	ctx := context.Background()

	machine := func(name string, runs int) (string, []string) {
		t.Helper()
		arn, err := svc.CreateStateMachine(name, waitsForToken, "arn:aws:iam::000000000000:role/local")
		if err != nil {
			t.Fatal(err)
		}
		var executions []string
		for range runs {
			out, err := client.StartExecution(ctx, &sfn.StartExecutionInput{StateMachineArn: &arn, Input: aws.String(`{}`)})
			if err != nil {
				t.Fatal(err)
			}
			executions = append(executions, *out.ExecutionArn)
		}
		return arn, executions
	}
	signing, waiting := machine("Signing", 3)
	_, other := machine("Other", 1)

	out := stopExecutions(t, url, signing)
	if want := "3 running execution(s) of " + signing + " stopped"; !strings.Contains(out, want) {
		t.Errorf("output %q, want it to say %q", out, want)
	}
	for _, x := range waiting {
		d, err := client.DescribeExecution(ctx, &sfn.DescribeExecutionInput{ExecutionArn: &x})
		if err != nil {
			t.Fatal(err)
		}
		if d.Status != types.ExecutionStatusAborted || aws.ToString(d.Error) != "StackDestroyed" ||
			!strings.Contains(aws.ToString(d.Cause), "make destroy") {
			t.Errorf("%s: got %s %q %q, want ABORTED StackDestroyed with a cause naming make destroy",
				x, d.Status, aws.ToString(d.Error), aws.ToString(d.Cause))
		}
	}
	d, err := client.DescribeExecution(ctx, &sfn.DescribeExecutionInput{ExecutionArn: &other[0]})
	if err != nil || d.Status != types.ExecutionStatusRunning {
		t.Errorf("another machine's run: %v %v, want RUNNING", d.Status, err)
	}

	if out := stopExecutions(t, url, signing); !strings.Contains(out, "0 running execution(s)") {
		t.Errorf("second run printed %q, want nothing stopped", out)
	}
}

// localStepFunctions serves a local Step Functions whose Lambda tasks all
// wait for their token, once the AWS CLI is known to be there.
func localStepFunctions(t *testing.T) (*stepfunctions.Service, string, *sfn.Client) {
	t.Helper()
	if _, err := exec.LookPath("aws"); err != nil {
		if os.Getenv("CI") == "" {
			t.Skip("aws CLI not installed")
		}
		t.Fatal("aws CLI not installed (required in CI)")
	}
	svc := stepfunctions.New(stepfunctions.Options{Invoker: stepfunctions.InvokerFunc(
		func(context.Context, string, []byte) ([]byte, string, error) { return []byte(`{}`), "", nil })})
	srv := httptest.NewServer(svc.Handler())
	t.Cleanup(srv.Close)
	client := sfn.New(sfn.Options{Region: "us-east-1", BaseEndpoint: aws.String(srv.URL),
		Credentials: credentials.NewStaticCredentialsProvider("AKIDLOCAL", "local-secret", "")})
	return svc, srv.URL, client
}

// stopExecutions runs the script for target with the AWS CLI pointed at url
// and none of this machine's AWS configuration.
func stopExecutions(t *testing.T, url, target string, env ...string) string {
	t.Helper()
	cmd := exec.Command("./stop-executions", target)
	for _, kv := range os.Environ() {
		if !strings.HasPrefix(kv, "AWS_") {
			cmd.Env = append(cmd.Env, kv)
		}
	}
	cmd.Env = append(cmd.Env, "AWS_ENDPOINT_URL="+url,
		"AWS_ACCESS_KEY_ID=AKIDLOCAL", "AWS_SECRET_ACCESS_KEY=local-secret", "AWS_DEFAULT_REGION=us-east-1",
		"AWS_CONFIG_FILE="+os.DevNull, "AWS_SHARED_CREDENTIALS_FILE="+os.DevNull)
	cmd.Env = append(cmd.Env, env...)
	out, err := cmd.CombinedOutput()
	if err != nil {
		t.Fatalf("stop-executions %s: %v\n%s", target, err, out)
	}
	return string(out)
}

// TestDestroyStopsExecutionsFirst checks that `make destroy` stops the
// stack's running executions before it deletes the stack.
func TestDestroyStopsExecutionsFirst(t *testing.T) {
	out, err := exec.Command("make", "-C", "..", "-n", "--no-print-directory", "destroy").CombinedOutput()
	if err != nil {
		t.Fatalf("make -n destroy: %v\n%s", err, out)
	}
	stop := strings.Index(string(out), "scripts/stop-executions DocumentSigningStack\n")
	destroy := strings.Index(string(out), "cdk destroy DocumentSigningStack")
	if stop < 0 || destroy < 0 || stop > destroy {
		t.Errorf("make -n destroy runs:\n%s\nwant scripts/stop-executions DocumentSigningStack before cdk destroy", out)
	}
}

// TestStopExecutionsOfStack runs stop-executions with a stack name: it reads
// the state machine from the stack's StateMachineArn output (a stand-in
// CloudFormation answers DescribeStacks as AWS does), and a stack that does
// not exist has nothing to stop.
func TestStopExecutionsOfStack(t *testing.T) {
	svc, url, client := localStepFunctions(t)
	arn, err := svc.CreateStateMachine("Signing", waitsForToken, "arn:aws:iam::000000000000:role/local")
	if err != nil {
		t.Fatal(err)
	}
	if _, err := client.StartExecution(context.Background(), &sfn.StartExecutionInput{StateMachineArn: &arn}); err != nil {
		t.Fatal(err)
	}
	cfn := httptest.NewServer(describeStacks("DocumentSigningStack", arn))
	defer cfn.Close()
	env := "AWS_ENDPOINT_URL_CLOUDFORMATION=" + cfn.URL

	if out := stopExecutions(t, url, "DocumentSigningStack", env); !strings.Contains(out, "1 running execution(s) of "+arn+" stopped") {
		t.Errorf("stack's machine: printed %q, want one execution stopped", out)
	}
	if out := stopExecutions(t, url, "Gone", env); !strings.Contains(out, "stack Gone does not exist") {
		t.Errorf("no stack: printed %q, want it to say the stack does not exist", out)
	}
}

// describeStacks answers CloudFormation's DescribeStacks (query protocol) for
// one stack whose StateMachineArn output is arn, and with AWS's
// ValidationError for any other.
func describeStacks(stack, arn string) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		if r.ParseForm() != nil || r.Form.Get("Action") != "DescribeStacks" {
			http.Error(w, "unexpected request", http.StatusBadRequest)
			return
		}
		w.Header().Set("Content-Type", "text/xml")
		if name := r.Form.Get("StackName"); name != stack {
			w.WriteHeader(http.StatusBadRequest)
			fmt.Fprintf(w, `<ErrorResponse xmlns="http://cloudformation.amazonaws.com/doc/2010-05-15/"><Error><Type>Sender</Type>`+
				`<Code>ValidationError</Code><Message>Stack with id %s does not exist</Message></Error><RequestId>r</RequestId></ErrorResponse>`, name)
			return
		}
		fmt.Fprintf(w, `<DescribeStacksResponse xmlns="http://cloudformation.amazonaws.com/doc/2010-05-15/"><DescribeStacksResult><Stacks><member>`+
			`<StackName>%s</StackName><StackStatus>CREATE_COMPLETE</StackStatus><CreationTime>2026-01-01T00:00:00Z</CreationTime>`+
			`<Outputs><member><OutputKey>StateMachineArn</OutputKey><OutputValue>%s</OutputValue></member></Outputs>`+
			`</member></Stacks></DescribeStacksResult></DescribeStacksResponse>`, stack, arn)
	}
}
