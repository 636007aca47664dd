package lambda

import (
	"encoding/base64"
	"encoding/json"
	"errors"
	"net/http/httptest"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
)

// awsCLI returns the AWS CLI, skipping the test only outside CI when the
// machine has none.
func awsCLI(t *testing.T) string {
	t.Helper()
	path, err := exec.LookPath("aws")
	if err != nil {
		if os.Getenv("CI") == "" {
			t.Skip("aws CLI not installed (it is required in CI)")
		}
		t.Fatalf("aws CLI not found in CI: %v", err)
	}
	return path
}

func TestAWSCLI(t *testing.T) {
	cli := awsCLI(t)
	h, _ := newTestHost(t, Options{}, FunctionConfig{Name: "fn"})
	srv := httptest.NewServer(h.Handler())
	t.Cleanup(srv.Close)
	home := t.TempDir() // no developer profile or credentials can leak in
	env := []string{"PATH=" + os.Getenv("PATH"), "HOME=" + home, "AWS_ACCESS_KEY_ID=test",
		"AWS_SECRET_ACCESS_KEY=test", "AWS_DEFAULT_REGION=us-east-1", "AWS_EC2_METADATA_DISABLED=true",
		"AWS_CONFIG_FILE=" + filepath.Join(home, "config"), "AWS_SHARED_CREDENTIALS_FILE=" + filepath.Join(home, "credentials")}
	run := func(t *testing.T, args ...string) (stdout, stderr string, code int) {
		t.Helper()
		cmd := exec.Command(cli, append([]string{"--endpoint-url", srv.URL, "lambda"}, args...)...)
		cmd.Env = env
		var out, errOut strings.Builder
		cmd.Stdout, cmd.Stderr = &out, &errOut
		err := cmd.Run()
		var exit *exec.ExitError
		if err != nil && !errors.As(err, &exit) {
			t.Fatalf("aws %v: %v", args, err)
		}
		return out.String(), errOut.String(), cmd.ProcessState.ExitCode()
	}
	tests := []struct {
		name        string
		args        []string
		wantCode    int
		wantStdout  []string // substrings of the CLI's output
		wantOutFile string   // substring of the payload file, for invoke
		wantStderr  string
		wantTail    string // in the decoded LogResult
	}{
		{name: "invoke", args: []string{"invoke", "--function-name", "fn", "--payload", `{"action":"echo"}`},
			wantStdout: []string{`"StatusCode": 200`, `"ExecutedVersion": "$LATEST"`}, wantOutFile: `"payload":{"action":"echo"}`},
		{name: "function error", args: []string{"invoke", "--function-name", arnPrefix + "fn", "--payload",
			`{"action":"error","message":"declined"}`},
			wantStdout: []string{`"FunctionError": "Unhandled"`}, wantOutFile: `"errorType":"CustomError"`},
		{name: "log tail", args: []string{"invoke", "--function-name", "fn", "--log-type", "Tail", "--payload",
			`{"action":"log","message":"cli-marker","lines":1}`}, wantStdout: []string{`"LogResult"`},
			wantOutFile: `"pid"`, wantTail: "cli-marker split 0 done"},
		{name: "event", args: []string{"invoke", "--function-name", "fn", "--invocation-type", "Event", "--payload",
			`{"action":"echo"}`}, wantStdout: []string{`"StatusCode": 202`}},
		{name: "unknown function", args: []string{"invoke", "--function-name", "nope", "--payload", `{}`},
			wantCode: 255, wantStderr: "(ResourceNotFoundException) when calling the Invoke operation: Function not found: " + arnPrefix + "nope"},
		{name: "get-function", args: []string{"get-function", "--function-name", "fn"},
			wantStdout: []string{`"FunctionName": "fn"`, `"FunctionArn": "` + arnPrefix + `fn"`, `"Runtime": "provided.al2023"`}},
		{name: "list-functions", args: []string{"list-functions"}, wantStdout: []string{`"FunctionName": "fn"`}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			args := tt.args
			outFile := filepath.Join(t.TempDir(), "out.json")
			if args[0] == "invoke" {
				args = append(args, outFile)
			}
			stdout, stderr, code := run(t, args...)
			if code != tt.wantCode || !strings.Contains(stderr, tt.wantStderr) {
				t.Fatalf("exit %d, stderr %q; want exit %d, stderr with %q", code, stderr, tt.wantCode, tt.wantStderr)
			}
			for _, want := range tt.wantStdout {
				if !strings.Contains(stdout, want) {
					t.Errorf("output %s\nlacks %s", stdout, want)
				}
			}
			if tt.wantOutFile != "" {
				if got, _ := os.ReadFile(outFile); !strings.Contains(string(got), tt.wantOutFile) {
					t.Errorf("payload file %s lacks %s", got, tt.wantOutFile)
				}
			}
			if tt.wantTail != "" {
				var out struct{ LogResult string }
				json.Unmarshal([]byte(stdout), &out)
				if tail, _ := base64.StdEncoding.DecodeString(out.LogResult); !strings.Contains(string(tail), tt.wantTail) {
					t.Errorf("log tail %q lacks %q", tail, tt.wantTail)
				}
			}
		})
	}
}
