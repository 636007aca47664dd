package console

import (
	"encoding/json"
	"os"
	"os/exec"
	"path/filepath"
	"testing"

	"github.com/hitl-go/docsign/internal/flowchart"
)

// TestPageScripts runs the page's logic — status derivation, token redaction,
// outcome words, the executions list's paging and search — under Node's
// built-in test runner (testdata/js/*.test.mjs),
// against the chart flowchart.Mermaid draws for testdata/signing.asl.json.
func TestPageScripts(t *testing.T) {
	node, err := exec.LookPath("node")
	if err != nil {
		if os.Getenv("CI") != "" {
			t.Fatal("node not found on PATH")
		}
		t.Skip("node not found on PATH; install Node.js 20+ to run the page's script tests")
	}
	def, err := os.ReadFile("testdata/signing.asl.json")
	if err != nil {
		t.Fatal(err)
	}
	chart, err := flowchart.Mermaid(def)
	if err != nil {
		t.Fatal(err)
	}
	chartFile := filepath.Join(t.TempDir(), "chart.json")
	b, _ := json.Marshal(chart)
	if err := os.WriteFile(chartFile, b, 0o644); err != nil {
		t.Fatal(err)
	}
	files, err := filepath.Glob("testdata/js/*.test.mjs")
	if err != nil || len(files) == 0 {
		t.Fatalf("no script tests found: %v", err)
	}
	cmd := exec.Command(node, append([]string{"--test", "--test-reporter=spec"}, files...)...)
	cmd.Env = append(os.Environ(), "DOCSIGN_TEST_CHART="+chartFile)
	out, err := cmd.CombinedOutput()
	if err != nil {
		t.Fatalf("node --test: %v\n%s", err, out)
	}
	t.Logf("node --test:\n%s", out)
}
