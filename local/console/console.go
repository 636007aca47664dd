// Package console serves the local web console: one page that lists
// executions, starts documents, and shows one execution live — its state
// machine drawn with Mermaid and coloured by each state's status, its input,
// output and event history (task tokens redacted) — with Sign and Decline
// buttons for a signer who is waiting, the pinned document and each
// signature's statement and validity; and the outbox, the mail the local
// stack kept instead of sending, each signing link opening the signing page
// on the local API.
//
// The page talks to the same origin through the public AWS APIs only (Step
// Functions JSON 1.0 with X-Amz-Target, Lambda's REST Invoke, KMS
// GetPublicKey), unsigned, and the local stack's outbox route
// (contract.OutboxPath), so it works against whatever serves those at "/". It uses no network
// beyond that origin: its scripts are embedded, and Mermaid comes from the
// project's node_modules.
//
// Paths (all GET unless noted):
//
//	/                        the page
//	/console/static/{file}   the page's scripts, styles and icon (embedded)
//	/console/mermaid/{file}  files of node_modules/mermaid/dist
//	/console/outputs.json    Options.Outputs, in `cdk deploy --outputs-file` shape
//	POST /console/flowchart  body: an ASL definition; answer: the flowchart.Chart as JSON
//	POST /console/verify     body: a run's envelopes and the signing key's public half
//	                         (KMS GetPublicKey); answer: each envelope's validity (verify.go)
//
// Every other path under /console/ answers 404.
package console

import (
	"bytes"
	"crypto/sha256"
	"embed"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"html/template"
	"io"
	"io/fs"
	"net/http"
	"path"
	"path/filepath"
	"time"

	"github.com/hitl-go/docsign/internal/flowchart"
)

// Options configure the console.
type Options struct {
	// NodeModules is the node_modules directory holding mermaid. "" uses
	// $DOCSIGN_NODE_MODULES, else the nearest node_modules walking up from the
	// working directory. It is looked up on each request for the page, so
	// running `npm ci` while the server runs fixes a missing install.
	NodeModules string
	// Outputs are the stacks' outputs (stack name → output name → value), the
	// shape `cdk deploy --outputs-file` writes. The page uses a stack's
	// CompleteSignatureFunctionName and StateMachineArn when present, and
	// falls back to ListFunctions / ListStateMachines. nil serves {}.
	Outputs map[string]map[string]string
}

// maxDefinition is the largest definition Step Functions accepts (1 MiB).
const maxDefinition = 1 << 20

//go:embed static
var staticFiles embed.FS

// contentTypes are the types of the files the console serves; anything else
// is served as application/octet-stream.
var contentTypes = map[string]string{
	".html": "text/html; charset=utf-8",
	".js":   "text/javascript; charset=utf-8",
	".mjs":  "text/javascript; charset=utf-8",
	".css":  "text/css; charset=utf-8",
	".svg":  "image/svg+xml",
	".map":  "application/json",
	".json": "application/json",
}

// contentSecurityPolicy keeps the page on its own origin. Mermaid writes
// style attributes and <style> elements into its SVG, hence 'unsafe-inline'
// for styles only.
const contentSecurityPolicy = "default-src 'self'; script-src 'self'; style-src 'self' 'unsafe-inline'; " +
	"img-src 'self' data:; font-src 'self' data:; connect-src 'self'; object-src 'none'; " +
	"base-uri 'none'; form-action 'self'; frame-ancestors 'none'"

type server struct {
	opts  Options
	etags map[string]string // embedded file name → ETag
}

// Handler serves the console. Mount it at "/" of the endpoint that also
// serves the Step Functions and Lambda APIs (those are POSTs with
// X-Amz-Target or under /2015-03-31/, which the console never claims).
func Handler(opts Options) http.Handler {
	s := &server{opts: opts, etags: map[string]string{}}
	_ = fs.WalkDir(staticFiles, "static", func(name string, d fs.DirEntry, err error) error {
		if err == nil && !d.IsDir() {
			b, _ := staticFiles.ReadFile(name)
			sum := sha256.Sum256(b)
			s.etags[name] = `"` + hex.EncodeToString(sum[:8]) + `"`
		}
		return nil
	})
	mux := http.NewServeMux()
	mux.HandleFunc("GET /{$}", s.page)
	mux.HandleFunc("GET /console/{$}", func(w http.ResponseWriter, r *http.Request) {
		http.Redirect(w, r, "/", http.StatusFound)
	})
	mux.HandleFunc("GET /console/static/{file}", s.static)
	mux.HandleFunc("GET /console/mermaid/{file}", s.mermaid)
	mux.HandleFunc("GET /console/outputs.json", s.outputs)
	mux.HandleFunc("POST /console/flowchart", s.flowchart)
	mux.HandleFunc("POST /console/verify", s.verify)
	return withHeaders(mux)
}

func withHeaders(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("X-Content-Type-Options", "nosniff")
		w.Header().Set("Referrer-Policy", "no-referrer")
		next.ServeHTTP(w, r)
	})
}

func (s *server) page(w http.ResponseWriter, r *http.Request) {
	w.Header().Set("Content-Security-Policy", contentSecurityPolicy)
	if _, err := findMermaid(s.opts.NodeModules); err != nil {
		w.Header().Set("Content-Type", contentTypes[".html"])
		w.Header().Set("Cache-Control", "no-store")
		w.WriteHeader(http.StatusServiceUnavailable)
		_ = errorPage.Execute(w, err.Error())
		return
	}
	s.serveEmbedded(w, r, "static/index.html")
}

func (s *server) static(w http.ResponseWriter, r *http.Request) {
	name := "static/" + r.PathValue("file")
	if name == "static/index.html" {
		http.Redirect(w, r, "/", http.StatusMovedPermanently)
		return
	}
	s.serveEmbedded(w, r, name)
}

func (s *server) serveEmbedded(w http.ResponseWriter, r *http.Request, name string) {
	b, err := staticFiles.ReadFile(name)
	if err != nil {
		http.NotFound(w, r)
		return
	}
	setContentType(w, name)
	w.Header().Set("Cache-Control", "no-cache")
	w.Header().Set("ETag", s.etags[name])
	http.ServeContent(w, r, name, time.Time{}, bytes.NewReader(b))
}

func (s *server) mermaid(w http.ResponseWriter, r *http.Request) {
	dist, err := findMermaid(s.opts.NodeModules)
	if err != nil {
		http.Error(w, err.Error(), http.StatusServiceUnavailable)
		return
	}
	file := filepath.Join(dist, filepath.Base(r.PathValue("file")))
	if !isFile(file) {
		http.NotFound(w, r)
		return
	}
	setContentType(w, file)
	w.Header().Set("Cache-Control", "public, max-age=3600")
	http.ServeFile(w, r, file)
}

func (s *server) outputs(w http.ResponseWriter, r *http.Request) {
	out := s.opts.Outputs
	if out == nil {
		out = map[string]map[string]string{}
	}
	w.Header().Set("Cache-Control", "no-store")
	writeJSON(w, http.StatusOK, out)
}

func (s *server) flowchart(w http.ResponseWriter, r *http.Request) {
	def, err := io.ReadAll(http.MaxBytesReader(w, r.Body, maxDefinition))
	var tooLarge *http.MaxBytesError
	switch {
	case errors.As(err, &tooLarge):
		writeError(w, http.StatusRequestEntityTooLarge, "DefinitionTooLarge",
			fmt.Sprintf("a definition is at most %d bytes", maxDefinition))
		return
	case err != nil:
		writeError(w, http.StatusBadRequest, "InvalidRequest", "read definition: "+err.Error())
		return
	}
	chart, err := flowchart.Mermaid(def)
	if err != nil {
		writeError(w, http.StatusBadRequest, "InvalidDefinition", err.Error())
		return
	}
	w.Header().Set("Cache-Control", "no-store")
	writeJSON(w, http.StatusOK, chart)
}

func setContentType(w http.ResponseWriter, name string) {
	ct, ok := contentTypes[path.Ext(name)]
	if !ok {
		ct = "application/octet-stream"
	}
	w.Header().Set("Content-Type", ct)
}

// writeError answers in the shape of an AWS JSON error, which the page
// already knows how to show.
func writeError(w http.ResponseWriter, status int, code, message string) {
	writeJSON(w, status, map[string]string{"__type": code, "message": message})
}

func writeJSON(w http.ResponseWriter, status int, v any) {
	w.Header().Set("Content-Type", "application/json")
	w.WriteHeader(status)
	_ = json.NewEncoder(w).Encode(v)
}

var errorPage = template.Must(template.New("error").Parse(`<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>DocSign console — not ready</title>
<style>body{font:16px/1.5 system-ui,sans-serif;max-width:46rem;margin:4rem auto;padding:0 1rem;color:#1e293b}
code,pre{font-family:ui-monospace,monospace;background:#f1f5f9;border-radius:4px;padding:.1rem .3rem}
pre{padding:.75rem 1rem;white-space:pre-wrap}</style></head>
<body><h1>The console cannot start</h1>
<p>The graph is drawn with Mermaid from the project's npm packages, and they are not installed.</p>
<pre>{{.}}</pre>
<p>Run <code>npm ci</code> in the repository root, then reload this page.</p></body></html>
`))
