package console

import (
	"encoding/json"
	"errors"
	"io"
	"io/fs"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"reflect"
	"regexp"
	"strings"
	"testing"

	"github.com/hitl-go/docsign/internal/flowchart"
	"github.com/hitl-go/docsign/internal/nodemodules"
)

const fakeMermaid = "/* mermaid.min.js stand-in */"

// nodeModules makes a node_modules directory holding a stand-in mermaid build.
func nodeModules(t *testing.T) string {
	t.Helper()
	dir := filepath.Join(t.TempDir(), "node_modules")
	dist := filepath.Join(dir, "mermaid", "dist")
	if err := os.MkdirAll(dist, 0o755); err != nil {
		t.Fatal(err)
	}
	for name, body := range map[string]string{"mermaid.min.js": fakeMermaid, "mermaid.min.js.map": `{"version":3}`} {
		if err := os.WriteFile(filepath.Join(dist, name), []byte(body), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	return dir
}

func get(t *testing.T, h http.Handler, method, target, body string, header ...string) *http.Response {
	t.Helper()
	req := httptest.NewRequest(method, target, strings.NewReader(body))
	for i := 0; i+1 < len(header); i += 2 {
		req.Header.Set(header[i], header[i+1])
	}
	rec := httptest.NewRecorder()
	h.ServeHTTP(rec, req)
	return rec.Result()
}

func readBody(t *testing.T, res *http.Response) string {
	t.Helper()
	b, err := io.ReadAll(res.Body)
	if err != nil {
		t.Fatal(err)
	}
	return string(b)
}

func TestHandlerServes(t *testing.T) {
	h := Handler(Options{NodeModules: nodeModules(t)})
	tests := []struct {
		method, path, body string
		wantStatus         int
		wantType           string
		wantBody           string // substring
	}{
		{"GET", "/", "", 200, "text/html; charset=utf-8", `<script type="module" src="/console/static/app.js">`},
		{"GET", "/console/static/app.js", "", 200, "text/javascript; charset=utf-8", "executionView"},
		{"GET", "/console/static/status.js", "", 200, "text/javascript; charset=utf-8", "export function deriveStatus"},
		{"GET", "/console/static/style.css", "", 200, "text/css; charset=utf-8", "--st-waiting-bg"},
		{"GET", "/console/static/favicon.svg", "", 200, "image/svg+xml", "<svg"},
		{"GET", "/console/static/missing.js", "", 404, "", ""},
		{"GET", "/console/static/index.html", "", 301, "", ""},
		{"GET", "/console/mermaid/mermaid.min.js", "", 200, "text/javascript; charset=utf-8", fakeMermaid},
		{"GET", "/console/mermaid/mermaid.min.js.map", "", 200, "application/json", `"version"`},
		{"GET", "/console/mermaid/..%2fpackage.json", "", 404, "", ""},
		{"GET", "/console/mermaid/", "", 404, "", ""},
		{"GET", "/console/outputs.json", "", 200, "application/json", "{}"},
		{"GET", "/console/", "", 302, "", ""},
		{"GET", "/console/flowchart", "", 405, "", ""},
		{"POST", "/console/flowchart", `{"StartAt":"A","States":{"A":{"Type":"Pass","End":true}}}`, 200, "application/json", `"text":"flowchart TD`},
		{"POST", "/console/flowchart", `{"StartAt":"A"}`, 400, "application/json", `"__type":"InvalidDefinition"`},
		{"GET", "/elsewhere", "", 404, "", ""},
	}
	for _, tt := range tests {
		t.Run(tt.method+" "+tt.path, func(t *testing.T) {
			res := get(t, h, tt.method, tt.path, tt.body)
			body := readBody(t, res)
			if res.StatusCode != tt.wantStatus {
				t.Fatalf("status = %d, want %d (%s)", res.StatusCode, tt.wantStatus, body)
			}
			if got := res.Header.Get("Content-Type"); tt.wantType != "" && got != tt.wantType {
				t.Errorf("Content-Type = %q, want %q", got, tt.wantType)
			}
			if !strings.Contains(body, tt.wantBody) {
				t.Errorf("body lacks %q:\n%.300s", tt.wantBody, body)
			}
			if got := res.Header.Get("X-Content-Type-Options"); got != "nosniff" {
				t.Errorf("X-Content-Type-Options = %q, want nosniff", got)
			}
		})
	}
}

func TestPageIsSelfContained(t *testing.T) {
	h := Handler(Options{NodeModules: nodeModules(t)})
	res := get(t, h, "GET", "/", "")
	csp := res.Header.Get("Content-Security-Policy")
	for _, want := range []string{"default-src 'self'", "script-src 'self'", "connect-src 'self'"} {
		if !strings.Contains(csp, want) {
			t.Errorf("Content-Security-Policy %q lacks %q", csp, want)
		}
	}
	page := readBody(t, res)
	for _, m := range regexp.MustCompile(`(?:src|href)="([^"]*)"`).FindAllStringSubmatch(page, -1) {
		if !strings.HasPrefix(m[1], "/") && !strings.HasPrefix(m[1], "#") || strings.HasPrefix(m[1], "//") {
			t.Errorf("page refers to %q, not a same-origin path", m[1])
		}
	}
	// No script, style or page may name another origin (the SVG namespace
	// is an identifier, not a fetch).
	url := regexp.MustCompile(`(?i)\b(?:https?:)?//[a-z0-9.-]+\.[a-z]{2,}`)
	err := fs.WalkDir(staticFiles, "static", func(name string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return err
		}
		b, _ := staticFiles.ReadFile(name)
		for _, u := range url.FindAllString(string(b), -1) {
			if u != "http://www.w3.org" {
				t.Errorf("%s names an external URL: %s", name, u)
			}
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
}

func TestStaticRevalidates(t *testing.T) {
	h := Handler(Options{NodeModules: nodeModules(t)})
	res := get(t, h, "GET", "/console/static/app.js", "")
	etag := res.Header.Get("ETag")
	if etag == "" || res.Header.Get("Cache-Control") != "no-cache" {
		t.Fatalf("ETag %q, Cache-Control %q: want an ETag and no-cache", etag, res.Header.Get("Cache-Control"))
	}
	if res := get(t, h, "GET", "/console/static/app.js", "", "If-None-Match", etag); res.StatusCode != http.StatusNotModified {
		t.Errorf("conditional GET status = %d, want 304", res.StatusCode)
	}
}

func TestMermaidMissing(t *testing.T) {
	empty := t.TempDir()
	h := Handler(Options{NodeModules: empty})
	tests := []struct {
		path, wantType string
	}{
		{"/", "text/html; charset=utf-8"},
		{"/console/mermaid/mermaid.min.js", "text/plain; charset=utf-8"},
	}
	for _, tt := range tests {
		res := get(t, h, "GET", tt.path, "")
		body := readBody(t, res)
		if res.StatusCode != http.StatusServiceUnavailable || res.Header.Get("Content-Type") != tt.wantType {
			t.Errorf("GET %s: %d %q, want 503 %q", tt.path, res.StatusCode, res.Header.Get("Content-Type"), tt.wantType)
		}
		if !strings.Contains(body, "npm ci") || !strings.Contains(body, empty) {
			t.Errorf("GET %s: body does not say where it looked and to run npm ci:\n%s", tt.path, body)
		}
	}
}

func TestFindMermaid(t *testing.T) {
	modules := nodeModules(t)
	want := filepath.Join(modules, "mermaid", "dist")
	if got, err := findMermaid(modules); got != want || err != nil {
		t.Errorf("findMermaid = %q, %v; want %q", got, err, want)
	}
	t.Chdir(t.TempDir())
	t.Setenv(nodemodules.Env, "")
	_, err := findMermaid("")
	var missing *nodemodules.MissingError
	if !errors.As(err, &missing) || !strings.Contains(err.Error(), "npm ci") {
		t.Errorf("findMermaid error = %v, want *nodemodules.MissingError naming npm ci", err)
	}
}

func TestFlowchartEndpoint(t *testing.T) {
	def, err := os.ReadFile("testdata/signing.asl.json")
	if err != nil {
		t.Fatal(err)
	}
	h := Handler(Options{NodeModules: nodeModules(t)})
	res := get(t, h, "POST", "/console/flowchart", string(def))
	var got flowchart.Chart
	if err := json.NewDecoder(res.Body).Decode(&got); err != nil {
		t.Fatal(err)
	}
	want, err := flowchart.Mermaid(def)
	if err != nil {
		t.Fatal(err)
	}
	if !reflect.DeepEqual(&got, want) {
		t.Errorf("chart over HTTP differs from flowchart.Mermaid:\ngot  %+v\nwant %+v", got, *want)
	}

	big := strings.Repeat(" ", maxDefinition+1)
	if res := get(t, h, "POST", "/console/flowchart", big); res.StatusCode != http.StatusRequestEntityTooLarge {
		t.Errorf("oversized definition: status %d, want 413", res.StatusCode)
	}
}

func TestOutputs(t *testing.T) {
	h := Handler(Options{NodeModules: nodeModules(t), Outputs: fakeOutputs})
	var got map[string]map[string]string
	if err := json.NewDecoder(get(t, h, "GET", "/console/outputs.json", "").Body).Decode(&got); err != nil {
		t.Fatal(err)
	}
	if !reflect.DeepEqual(got, fakeOutputs) {
		t.Errorf("outputs = %v, want %v", got, fakeOutputs)
	}
}
