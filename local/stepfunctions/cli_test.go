package stepfunctions

import (
	"encoding/json"
	"os"
	"os/exec"
	"strings"
	"testing"
)

// TestAWSCLI drives the server with the real AWS CLI (v1, from the machine
// image): create a state machine, start it, read its history and complete
// its task token. AWS_ENDPOINT_URL points the CLI at the server.
func TestAWSCLI(t *testing.T) {
	if _, err := exec.LookPath("aws"); err != nil {
		if os.Getenv("CI") == "" {
			t.Skip("aws CLI not installed")
		}
		t.Fatal("aws CLI not installed (required in CI)")
	}
	tokens := make(tokenCatcher, 1)
	svc := New(Options{Invoker: tokens})
	_, url := newClient(t, svc)
	var env []string
	for _, kv := range os.Environ() {
		if !strings.HasPrefix(kv, "AWS_") {
			env = append(env, kv)
		}
	}
	env = append(env, "AWS_ENDPOINT_URL="+url,
		"AWS_ACCESS_KEY_ID=AKIDLOCAL", "AWS_SECRET_ACCESS_KEY=local-secret", "AWS_DEFAULT_REGION=us-east-1",
		"AWS_CONFIG_FILE="+os.DevNull, "AWS_SHARED_CREDENTIALS_FILE="+os.DevNull)
	aws := func(args ...string) map[string]any {
		t.Helper()
		cmd := exec.Command("aws", append([]string{"stepfunctions"}, append(args, "--output", "json")...)...)
		cmd.Env = env
		out, err := cmd.Output()
		if err != nil {
			stderr := ""
			if ee, ok := err.(*exec.ExitError); ok {
				stderr = string(ee.Stderr)
			}
			t.Fatalf("aws stepfunctions %s: %v\n%s", args[0], err, stderr)
		}
		var m map[string]any
		if len(strings.TrimSpace(string(out))) > 0 {
			if err := json.Unmarshal(out, &m); err != nil {
				t.Fatalf("aws stepfunctions %s printed %s: %v", args[0], out, err)
			}
		}
		return m
	}

	created := aws("create-state-machine", "--name", "Sign", "--definition", callbackMachine(`"TimeoutSeconds":300,`),
		"--role-arn", "arn:aws:iam::000000000000:role/local")
	smARN, _ := created["stateMachineArn"].(string)
	if smARN != "arn:aws:states:us-east-1:000000000000:stateMachine:Sign" {
		t.Fatalf("create-state-machine: %v", created)
	}
	started := aws("start-execution", "--state-machine-arn", smARN, "--name", "doc-1", "--input", `{"documentId":"1"}`)
	execARN, _ := started["executionArn"].(string)
	token := tokens.next(t)
	waitEvent(t, svc.execution(execARN), "TaskSubmitted")

	hist := aws("get-execution-history", "--execution-arn", execARN)
	events, _ := hist["events"].([]any)
	var types []string
	for _, e := range events {
		types = append(types, e.(map[string]any)["type"].(string))
	}
	if got := strings.Join(types, ","); got != "ExecutionStarted,TaskStateEntered,TaskScheduled,TaskStarted,TaskSubmitted" {
		t.Errorf("get-execution-history: %s", got)
	}
	aws("send-task-success", "--task-token", token, "--task-output", `{"signed":true}`)
	waitDone(t, svc.execution(execARN))
	desc := aws("describe-execution", "--execution-arn", execARN)
	if desc["status"] != "SUCCEEDED" || desc["output"] != `{"signed":true}` {
		t.Errorf("describe-execution: %v", desc)
	}
}
