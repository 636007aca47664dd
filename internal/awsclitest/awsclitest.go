// Package awsclitest runs the real AWS CLI (v1, from the machine image)
// against a local endpoint, for the local services' tests.
package awsclitest

import (
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"os/exec"
	"strings"
	"testing"
)

// CLI runs aws with an environment of its own: static credentials,
// us-east-1, no configuration files, and the endpoint it was made for.
type CLI struct {
	t        testing.TB
	endpoint string
	env      []string
	// Dir is the working directory of the commands ("" is the test's).
	Dir string
}

// New returns a CLI for endpoint. Without aws on PATH it skips the test,
// or, when CI is set, fails it: CI's machine image has the CLI.
func New(t testing.TB, endpoint string) *CLI {
	t.Helper()
	if _, err := exec.LookPath("aws"); err != nil {
		if os.Getenv("CI") == "" {
			t.Skip("aws CLI not installed")
		}
		t.Fatal("aws CLI not installed (required in CI)")
	}
	var env []string
	for _, kv := range os.Environ() {
		if !strings.HasPrefix(kv, "AWS_") {
			env = append(env, kv)
		}
	}
	env = append(env, "AWS_ACCESS_KEY_ID=AKIDLOCAL", "AWS_SECRET_ACCESS_KEY=local-secret", "AWS_DEFAULT_REGION=us-east-1",
		"AWS_CONFIG_FILE="+os.DevNull, "AWS_SHARED_CREDENTIALS_FILE="+os.DevNull)
	return &CLI{t: t, endpoint: endpoint, env: env}
}

// Run runs aws with args, --endpoint-url and --output json, and returns
// what it printed; a failure's error carries its standard error.
func (c *CLI) Run(args ...string) ([]byte, error) {
	cmd := exec.Command("aws", append(args, "--endpoint-url", c.endpoint, "--output", "json")...)
	cmd.Env, cmd.Dir = c.env, c.Dir
	out, err := cmd.Output()
	if ee := (*exec.ExitError)(nil); errors.As(err, &ee) {
		err = fmt.Errorf("aws %s: %w\n%s", strings.Join(args, " "), err, ee.Stderr)
	}
	return out, err
}

// JSON runs aws with args and decodes the object it printed, failing the
// test if the command fails or prints anything else.
func (c *CLI) JSON(args ...string) map[string]any {
	c.t.Helper()
	out, err := c.Run(args...)
	if err != nil {
		c.t.Fatal(err)
	}
	var m map[string]any
	if err := json.Unmarshal(out, &m); err != nil {
		c.t.Fatalf("aws %s printed %s: %v", strings.Join(args, " "), out, err)
	}
	return m
}
