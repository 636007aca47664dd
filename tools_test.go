package main

import (
	"encoding/json"
	"errors"
	"os"
	"os/exec"
	"path/filepath"
	"testing"
)

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
	out, err := exec.Command(lint, "--format", "json", writeTemplate(t, synth(t, "default"))).Output()
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

// writeTemplate writes the fixture's template to a file for a tool to read.
func writeTemplate(t *testing.T, f *fixture) string {
	t.Helper()
	file := filepath.Join(t.TempDir(), "template.json")
	if err := os.WriteFile(file, []byte(mustJSON(f.template)), 0o644); err != nil {
		t.Fatal(err)
	}
	return file
}

func exitStderr(err *exec.ExitError) string {
	if err == nil {
		return ""
	}
	return string(err.Stderr)
}
