package flowchart

import (
	"bytes"
	"encoding/json"
	"os"
	"os/exec"
	"path/filepath"
	"testing"
)

// parseScript runs mermaid.parse (the real parser from node_modules) on each
// chart of a JSON array read from stdin and prints a JSON array of error
// messages ("" when the chart parses). Mermaid sanitizes labels with
// DOMPurify, which needs a DOM to render; parsing needs none, so DOMPurify's
// hooks are stubbed before mermaid loads — the grammar check is unchanged.
const parseScript = `
import { readFileSync } from 'node:fs';
import DOMPurify from 'dompurify';
DOMPurify.addHook = () => {};
DOMPurify.removeHook = () => {};
DOMPurify.removeHooks = () => {};
DOMPurify.sanitize = (s) => String(s);
const { default: mermaid } = await import('mermaid');
const out = [];
for (const text of JSON.parse(readFileSync(0, 'utf8'))) {
  try {
    const r = await mermaid.parse(text);
    out.push(r && r.diagramType === 'flowchart-v2' ? '' : 'unexpected diagram type ' + JSON.stringify(r));
  } catch (e) {
    out.push(String(e && e.message || e));
  }
}
console.log(JSON.stringify(out));
`

// nodeModulesRoot returns the directory holding node_modules/mermaid, walking
// up from the test's directory, or skips the test outside CI when it is missing.
func nodeModulesRoot(t *testing.T) string {
	t.Helper()
	dir, err := os.Getwd()
	if err != nil {
		t.Fatal(err)
	}
	for ; ; dir = filepath.Dir(dir) {
		if _, err := os.Stat(filepath.Join(dir, "node_modules", "mermaid", "package.json")); err == nil {
			break
		}
		if filepath.Dir(dir) == dir {
			skipOutsideCI(t, "node_modules/mermaid not found; run npm ci in the repository root")
		}
	}
	if _, err := exec.LookPath("node"); err != nil {
		skipOutsideCI(t, "node not found on PATH")
	}
	return dir
}

func skipOutsideCI(t *testing.T, why string) {
	t.Helper()
	if os.Getenv("CI") != "" {
		t.Fatal(why)
	}
	t.Skip(why)
}

// mermaidParse returns mermaid's parse error for each text ("" when it parses).
func mermaidParse(t *testing.T, texts []string) []string {
	t.Helper()
	root := nodeModulesRoot(t)
	in, err := json.Marshal(texts)
	if err != nil {
		t.Fatal(err)
	}
	cmd := exec.Command("node", "--input-type=module", "-e", parseScript)
	cmd.Dir = root // bare specifiers in -e code resolve from the working directory
	cmd.Stdin = bytes.NewReader(in)
	var stderr bytes.Buffer
	cmd.Stderr = &stderr
	out, err := cmd.Output()
	if err != nil {
		t.Fatalf("node: %v\n%s", err, stderr.String())
	}
	var errs []string
	if err := json.Unmarshal(out, &errs); err != nil || len(errs) != len(texts) {
		t.Fatalf("node output %q: %v", out, err)
	}
	return errs
}

func TestMermaidParsesCharts(t *testing.T) {
	files, err := filepath.Glob("testdata/*.asl.json")
	if err != nil || len(files) == 0 {
		t.Fatalf("no testdata definitions: %v", err)
	}
	texts := make([]string, len(files))
	for i, f := range files {
		def, err := os.ReadFile(f)
		if err != nil {
			t.Fatal(err)
		}
		chart, err := Mermaid(def)
		if err != nil {
			t.Fatalf("%s: %v", f, err)
		}
		texts[i] = chart.Text
	}
	// The parser must also reject what is broken, or this test proves nothing.
	texts = append(texts, "flowchart TD\n  n1(\"unterminated)\n")
	errs := mermaidParse(t, texts)
	for i, f := range files {
		if errs[i] != "" {
			t.Errorf("%s: mermaid.parse: %s\n%s", f, errs[i], texts[i])
		}
	}
	if errs[len(files)] == "" {
		t.Errorf("mermaid.parse accepted a broken chart; the check is not working")
	}
}
