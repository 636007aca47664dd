//go:build linux

package e2e_test

import (
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/hitl-go/docsign/internal/contract"
	"github.com/hitl-go/docsign/internal/stacktest"
)

// faultTimeout is the global timeout of the app the fault tests run: long
// enough for a failed completion's claim lease to pass, and for `signctl
// local` to be killed and started again, while the runs still wait for Bob.
const faultTimeout = 60 * time.Second

// Complete-signature's settings in the fault tests' copy of the app: a
// shorter timeout, and the claim lease 3 × the timeout as the stack sets it,
// so that the paths that wait out a lease take seconds, not half a minute.
const (
	faultFunctionTimeout = 4 * time.Second
	faultLease           = 3 * faultFunctionTimeout
)

// The Go packages of the functions the fault proxy stands before (the
// functions' "signing:goPackage" Metadata).
const (
	completeSignaturePackage = "./lambdas/completesignature"
	requestSignaturePackage  = "./lambdas/requestsignature"
)

// faultAssembly copies the cloud assembly at src into a new directory, with
// the state machine's timeout changed from stacktest.SynthTimeout to faultTimeout.
// When proxy is not "", complete-signature in the copy also sends its
// Step Functions calls there (AWS_ENDPOINT_URL_SFN, which the AWS SDKs
// prefer to the AWS_ENDPOINT_URL the stack gives every function), and runs
// with faultFunctionTimeout and faultLease; request-signature sends its
// DynamoDB calls there (AWS_ENDPOINT_URL_DYNAMODB). The copy lives only in
// the test's temporary directory; nothing deployable changes.
func faultAssembly(t *testing.T, src, proxy string) string {
	t.Helper()
	dst := filepath.Join(t.TempDir(), "cdk.out")
	if err := os.Mkdir(dst, 0o755); err != nil {
		t.Fatal(err)
	}
	entries, err := os.ReadDir(src)
	if err != nil {
		t.Fatal(err)
	}
	var machines, functions int
	for _, e := range entries {
		from, to := filepath.Join(src, e.Name()), filepath.Join(dst, e.Name())
		if !strings.HasSuffix(e.Name(), ".template.json") {
			if err := os.Symlink(from, to); err != nil {
				t.Fatal(err)
			}
			continue
		}
		err := patchTemplate(from, to, func(res map[string]any) error {
			switch {
			case res["Type"] == "AWS::StepFunctions::StateMachine":
				machines++
				return retime(res, stacktest.SynthTimeout, faultTimeout)
			case proxy != "" && isFunctionOf(res, completeSignaturePackage):
				functions++
				return hookCompleteSignature(res, proxy)
			case proxy != "" && isFunctionOf(res, requestSignaturePackage):
				functions++
				return setEnv(res, "AWS_ENDPOINT_URL_DYNAMODB", proxy)
			}
			return nil
		})
		if err != nil {
			t.Fatal(err)
		}
	}
	if machines != 1 || (proxy != "" && functions != 2) {
		t.Fatalf("%s: %d state machines and %d functions built from %s and %s, want 1 and 2",
			src, machines, functions, completeSignaturePackage, requestSignaturePackage)
	}
	return dst
}

// patchTemplate writes the template from into to with patch applied to each
// of its resources.
func patchTemplate(from, to string, patch func(resource map[string]any) error) error {
	data, err := os.ReadFile(from)
	if err != nil {
		return err
	}
	var all map[string]json.RawMessage // the rest of the template stays as it is
	var resources map[string]map[string]any
	if err := json.Unmarshal(data, &all); err != nil {
		return fmt.Errorf("%s: %w", from, err)
	}
	if err := json.Unmarshal(all["Resources"], &resources); err != nil {
		return fmt.Errorf("%s: Resources: %w", from, err)
	}
	for id, res := range resources {
		if err := patch(res); err != nil {
			return fmt.Errorf("%s: %s: %w", from, id, err)
		}
	}
	if all["Resources"], err = json.Marshal(resources); err != nil {
		return err
	}
	out, err := json.Marshal(all)
	if err != nil {
		return err
	}
	return os.WriteFile(to, out, 0o644)
}

// timeoutMember matches the members the app's `timeout` context sets in
// the definition: the state machine's TimeoutSeconds and the timeoutSeconds
// passed to request-signature. Synthesizing with another timeout changes
// those two numbers and nothing else in the template.
var timeoutMember = regexp.MustCompile(`"([Tt])imeoutSeconds":(\d+)([,}])`)

// retime changes the state machine's timeout in its DefinitionString
// (an Fn::Join of strings and references) from old to new.
func retime(res map[string]any, old, new time.Duration) error {
	props, _ := res["Properties"].(map[string]any)
	join, _ := props["DefinitionString"].(map[string]any)
	args, _ := join["Fn::Join"].([]any)
	if len(args) != 2 {
		return fmt.Errorf("DefinitionString is not an Fn::Join")
	}
	parts, _ := args[1].([]any)
	want := strconv.Itoa(int(old.Seconds()))
	changed := 0
	for i, part := range parts {
		text, ok := part.(string)
		if !ok {
			continue
		}
		parts[i] = timeoutMember.ReplaceAllStringFunc(text, func(m string) string {
			sub := timeoutMember.FindStringSubmatch(m)
			if sub[2] != want {
				return m
			}
			changed++
			return fmt.Sprintf(`"%simeoutSeconds":%d%s`, sub[1], int(new.Seconds()), sub[3])
		})
	}
	if changed != 2 {
		return fmt.Errorf("changed %d timeouts of %s in the definition, want 2 (TimeoutSeconds and timeoutSeconds)", changed, old)
	}
	return nil
}

// isFunctionOf reports whether res is a function built from goPackage.
func isFunctionOf(res map[string]any, goPackage string) bool {
	meta, _ := res["Metadata"].(map[string]any)
	return res["Type"] == "AWS::Lambda::Function" && meta[contract.MetadataGoPackage] == goPackage
}

// hookCompleteSignature points complete-signature's Step Functions calls at
// endpoint and gives it the fault tests' timeout and lease, after checking
// that the app sets the lease to 3 × the timeout, as the copy does.
func hookCompleteSignature(res map[string]any, endpoint string) error {
	props, _ := res["Properties"].(map[string]any)
	env, _ := props["Environment"].(map[string]any)
	vars, _ := env["Variables"].(map[string]any)
	timeout, _ := props["Timeout"].(float64)
	if lease, _ := vars["CLAIM_LEASE_SECONDS"].(string); vars == nil || timeout < 1 || lease != strconv.Itoa(3*int(timeout)) {
		return fmt.Errorf("Timeout %v, CLAIM_LEASE_SECONDS %q: want the lease 3 × the timeout", props["Timeout"], lease)
	}
	props["Timeout"] = int(faultFunctionTimeout.Seconds())
	vars["CLAIM_LEASE_SECONDS"] = strconv.Itoa(int(faultLease.Seconds()))
	vars["AWS_ENDPOINT_URL_SFN"] = endpoint
	return nil
}

// setEnv sets an environment variable of a function resource.
func setEnv(res map[string]any, name, value string) error {
	props, _ := res["Properties"].(map[string]any)
	env, _ := props["Environment"].(map[string]any)
	vars, _ := env["Variables"].(map[string]any)
	if vars == nil {
		return fmt.Errorf("no Environment.Variables to set %s in", name)
	}
	vars[name] = value
	return nil
}

// lastLines is the end of a long log, for a failure message.
func lastLines(log string, n int) string {
	lines := strings.Split(strings.TrimSpace(log), "\n")
	return strings.Join(lines[max(0, len(lines)-n):], "\n")
}
