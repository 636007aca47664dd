//go:build linux

package stack

import (
	"context"
	"encoding/json"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/service/dynamodb"
	"github.com/aws/aws-sdk-go-v2/service/lambda"
	"github.com/aws/aws-sdk-go-v2/service/sfn"

	"github.com/hitl-go/docsign/local/cloudformation"
)

// faultTimeout is the global timeout of the app the fault tests run: long
// enough for a failed completion's claim lease to pass, and for `signctl
// local` to be killed and started again, while the runs still wait for Bob.
const faultTimeout = 60 * time.Second

// completeSignaturePackage is the Go package of complete-signature
// (the function's "signing:goPackage" Metadata).
const completeSignaturePackage = "./lambdas/completesignature"

// faultApp is what the fault tests share: the repository root, the app
// synthesized with faultTimeout, and `signctl` built for this machine.
type faultApp struct {
	root, cdkOut, signctl string
}

// prepareFaultApp synthesizes the app with `cdk synth -c timeout=60s` and
// builds cmd/signctl, at the same time, into dir. Without node or the CDK
// CLI it skips, except in CI where it fails.
func prepareFaultApp(t *testing.T, dir string) faultApp {
	t.Helper()
	if testing.Short() {
		t.Skip("synthesizes the CDK app and runs the local stack; not in -short mode")
	}
	root, err := moduleRoot(".")
	if err != nil {
		t.Fatal(err)
	}
	if _, err := os.Stat(filepath.Join(root, "node_modules", "aws-cdk")); err != nil {
		needTool(t, &toolMissingError{"the CDK CLI is not installed (node_modules/aws-cdk): run `npm ci`"})
	}
	if _, err := exec.LookPath("npx"); err != nil {
		needTool(t, &toolMissingError{"npx (Node.js) is not on PATH"})
	}
	app := faultApp{root: root, cdkOut: filepath.Join(dir, "cdk.out"), signctl: filepath.Join(dir, "signctl")}
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Minute)
	defer cancel()
	built := make(chan *BuildError, 1)
	go func() { built <- goBuild(ctx, root, "./cmd/signctl", app.signctl) }()
	start := time.Now()
	cmd := exec.CommandContext(ctx, "npx", "--no-install", "cdk", "synth", "-q",
		"-c", fmt.Sprintf("timeout=%ds", int(faultTimeout.Seconds())), "-o", app.cdkOut)
	cmd.Dir = root
	cmd.Env = append(os.Environ(), "JSII_SILENCE_WARNING_DEPRECATED_NODE_VERSION=1")
	out, err := cmd.CombinedOutput()
	if berr := <-built; berr != nil {
		t.Fatalf("build signctl: %v\n%s", berr, berr.Output)
	}
	if err != nil {
		t.Fatalf("cdk synth: %v\n%s", err, out)
	}
	t.Logf("synthesized the app (timeout %s) and built signctl in %s", faultTimeout, time.Since(start).Round(time.Millisecond))
	return app
}

// Complete-signature's settings in the fault tests' copy of the app: a
// shorter timeout, and the claim lease 3 × the timeout as the stack sets it,
// so that the paths that wait out a lease take seconds, not half a minute.
const (
	faultFunctionTimeout = 4 * time.Second
	faultLease           = 3 * faultFunctionTimeout
)

// withFaultHooks copies the cloud assembly at src into a new directory in
// which complete-signature sends its Step Functions calls to sfnEndpoint
// (AWS_ENDPOINT_URL_SFN, which the AWS SDKs prefer to the AWS_ENDPOINT_URL
// the stack gives every function) and runs with faultFunctionTimeout and
// faultLease. The copy lives only in the test's temporary directory;
// nothing deployable changes.
func withFaultHooks(t *testing.T, src, sfnEndpoint string) string {
	t.Helper()
	dst := filepath.Join(t.TempDir(), "cdk.out")
	if err := os.Mkdir(dst, 0o755); err != nil {
		t.Fatal(err)
	}
	entries, err := os.ReadDir(src)
	if err != nil {
		t.Fatal(err)
	}
	patched := 0
	for _, e := range entries {
		from, to := filepath.Join(src, e.Name()), filepath.Join(dst, e.Name())
		if !strings.HasSuffix(e.Name(), ".template.json") {
			if err := os.Symlink(from, to); err != nil {
				t.Fatal(err)
			}
			continue
		}
		n, err := patchFunctions(from, to, completeSignaturePackage, func(props map[string]any) {
			checkLeaseRatio(t, props)
			props["Timeout"] = int(faultFunctionTimeout.Seconds())
			setEnv(props, map[string]string{
				"AWS_ENDPOINT_URL_SFN": sfnEndpoint,
				"CLAIM_LEASE_SECONDS":  strconv.Itoa(int(faultLease.Seconds())),
			})
		})
		if err != nil {
			t.Fatal(err)
		}
		patched += n
	}
	if patched != 1 {
		t.Fatalf("%s: %d functions built from %s, want 1", src, patched, completeSignaturePackage)
	}
	return dst
}

// checkLeaseRatio checks that the app sets complete-signature's claim lease
// to 3 × its timeout, the ratio the fault tests' settings keep.
func checkLeaseRatio(t *testing.T, props map[string]any) {
	t.Helper()
	timeout, _ := props["Timeout"].(float64)
	env, _ := props["Environment"].(map[string]any)
	vars, _ := env["Variables"].(map[string]any)
	lease, _ := vars["CLAIM_LEASE_SECONDS"].(string)
	if timeout < 1 || lease != strconv.Itoa(3*int(timeout)) {
		t.Errorf("complete-signature: Timeout %v, CLAIM_LEASE_SECONDS %q; want the lease 3 × the timeout", props["Timeout"], lease)
	}
}

// patchFunctions writes the template from into to with patch applied to the
// Properties of every function built from goPackage, and counts them.
func patchFunctions(from, to, goPackage string, patch func(props map[string]any)) (int, error) {
	data, err := os.ReadFile(from)
	if err != nil {
		return 0, err
	}
	var all map[string]json.RawMessage // the rest of the template stays as it is
	var resources map[string]map[string]any
	if err := json.Unmarshal(data, &all); err != nil {
		return 0, fmt.Errorf("%s: %w", from, err)
	}
	if err := json.Unmarshal(all["Resources"], &resources); err != nil {
		return 0, fmt.Errorf("%s: Resources: %w", from, err)
	}
	n := 0
	for _, res := range resources {
		meta, _ := res["Metadata"].(map[string]any)
		props, _ := res["Properties"].(map[string]any)
		if res["Type"] == "AWS::Lambda::Function" && meta[cloudformation.GoPackageMetadataKey] == goPackage && props != nil {
			patch(props)
			n++
		}
	}
	if all["Resources"], err = json.Marshal(resources); err != nil {
		return 0, err
	}
	out, err := json.Marshal(all)
	if err != nil {
		return 0, err
	}
	return n, os.WriteFile(to, out, 0o644)
}

// setEnv sets environment variables in a function's Properties.
func setEnv(props map[string]any, vars map[string]string) {
	env, _ := props["Environment"].(map[string]any)
	if env == nil {
		env = map[string]any{}
		props["Environment"] = env
	}
	variables, _ := env["Variables"].(map[string]any)
	if variables == nil {
		variables = map[string]any{}
		env["Variables"] = variables
	}
	for k, v := range vars {
		variables[k] = v
	}
}

// startFaultStack starts a local stack of the app at cdkOut for one fault
// test, with its data in dataDir (on disk unless inMemory), stopped in
// t.Cleanup.
func startFaultStack(t *testing.T, cdkOut, dataDir string, inMemory bool) *env {
	t.Helper()
	log := &lockedBuffer{}
	ctx, cancel := context.WithTimeout(context.Background(), 3*time.Minute)
	defer cancel()
	start := time.Now()
	st, err := Start(ctx, Options{CDKOut: cdkOut, Addr: "127.0.0.1:0", InMemory: inMemory, DataDir: dataDir,
		OutputsFile: filepath.Join(dataDir, "outputs.json"), Stdout: log})
	if err != nil {
		t.Fatalf("start the local stack: %v\n%s", err, log.String())
	}
	t.Cleanup(func() {
		if err := st.Close(); err != nil {
			t.Errorf("Close: %v", err)
		}
	})
	t.Logf("started the local stack in %s", time.Since(start).Round(time.Millisecond))
	return newEnv(st.Endpoint(), st.Outputs()[appStack], st, log)
}

// newEnv is the test view of a stack at endpoint with the app's outputs;
// st and log are nil for a stack in another process.
func newEnv(endpoint string, outputs map[string]string, st *Stack, log *lockedBuffer) *env {
	e := &env{stack: st, log: log, machine: outputs["StateMachineArn"], table: outputs["TableName"],
		complete: outputs["CompleteSignatureFunctionName"]}
	cfg := sdkConfig(endpoint)
	e.sfn, e.db, e.lambda = sfn.NewFromConfig(cfg), dynamodb.NewFromConfig(cfg), lambda.NewFromConfig(cfg)
	return e
}

// waitForChildren waits until none of procs runs any more.
func waitForChildren(t *testing.T, procs []proc, within time.Duration) {
	t.Helper()
	eventually(t, within, 100*time.Millisecond, "child processes to end", func() (bool, error) {
		for _, p := range procs {
			if p.alive() {
				return false, fmt.Errorf("process %d (%s) still runs", p.pid, p.cmdline)
			}
		}
		return true, nil
	})
}

// childrenRunning returns the children of pid whose command line holds s.
func childrenRunning(pid int, s string) []proc {
	var out []proc
	for _, p := range childProcesses(pid) {
		if strings.Contains(p.cmdline, s) && p.alive() {
			out = append(out, p)
		}
	}
	return out
}

// lastLines is the end of a long log, for a failure message.
func lastLines(log string, n int) string {
	lines := strings.Split(strings.TrimSpace(log), "\n")
	return strings.Join(lines[max(0, len(lines)-n):], "\n")
}
