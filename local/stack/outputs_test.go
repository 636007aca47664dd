package stack_test

import (
	"encoding/json"
	"os"
	"reflect"
	"regexp"
	"strings"
	"testing"

	"github.com/hitl-go/docsign/internal/contract"
	"github.com/hitl-go/docsign/internal/stacktest"
)

// TestOutputsFile checks the outputs file of a stack of the app against
// the outputs Start read from the cloud assembly.
func TestOutputsFile(t *testing.T) {
	e := stacktest.Shared(t)
	data, err := os.ReadFile(e.Stack.OutputsFile())
	if err != nil {
		t.Fatal(err)
	}
	var got map[string]map[string]string
	if err := json.Unmarshal(data, &got); err != nil {
		t.Fatalf("outputs file: %v\n%s", err, data)
	}
	if !reflect.DeepEqual(got, e.Stack.Outputs()) {
		t.Errorf("outputs file = %v, want %v", got, e.Stack.Outputs())
	}
	for _, key := range []string{contract.OutputStateMachineARN, contract.OutputTableName, contract.OutputCompleteSignatureFunctionName,
		contract.OutputNotificationTopicARN} {
		if got[contract.StackName][key] == "" {
			t.Errorf("outputs file has no %s.%s: %s", contract.StackName, key, data)
		}
	}
	// The signing links are built on ApiUrl: it must be the local API.
	api := got[contract.StackName][contract.OutputAPIURL]
	if !regexp.MustCompile(`^` + regexp.QuoteMeta(e.Endpoint) + `/_api/[a-z0-9]{10}/$`).MatchString(api) {
		t.Errorf("%s = %q, want %s/_api/<id>/", contract.OutputAPIURL, api, e.Endpoint)
	}
}

// TestSummary checks what a stack of the app prints about what runs where.
func TestSummary(t *testing.T) {
	e := stacktest.Shared(t)
	log := e.Log.String()
	for _, want := range []string{
		"not emulated (ignored): ",
		"note: rule CheckBootstrapVersion is not checked locally: ",
		"  Step Functions  " + e.Machine + "\n",
		"  Lambda          " + e.Complete + "  (./lambdas/completesignature, timeout 10s)\n",
		"  DynamoDB        " + e.Table + "\n",
		"console: " + e.Endpoint + "/\n",
		"  API Gateway     " + e.APIURL + "  (HTTP API ",
		"  SNS             " + e.Topic + "  (",
		"ready: export AWS_ENDPOINT_URL=" + e.Endpoint + " ",
	} {
		if n := strings.Count(log, want); n != 1 {
			t.Errorf("the stack printed %q %d times, want once", want, n)
		}
	}
	if !regexp.MustCompile(`not emulated \(ignored\): .*AWS::IAM::Role`).MatchString(log) {
		t.Errorf("the stack did not list AWS::IAM::Role as not emulated")
	}
}
