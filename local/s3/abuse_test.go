package s3

import (
	"encoding/xml"
	"fmt"
	"io/fs"
	"net/http"
	"net/http/httptest"
	"path/filepath"
	"sort"
	"strconv"
	"strings"
	"testing"
)

// The bad-input matrix: requests an SDK would never send go straight to the
// Service. Each must get S3's status and error code and leave every bucket's
// objects, versions and files on disk as they were.

// abuseCase is one bad request and the answer it must get.
type abuseCase struct {
	name    string
	method  string // "" is GET
	target  string // request URI, unparsed: /<bucket>/<key>?<query>
	header  map[string]string
	body    string
	status  int
	code    string // S3 error code; "" when the answer has no error body
	changes bool   // the case is allowed to change state (none is)
}

// abuseEnv is a Service on disk whose versioned bucket holds documents/doc-1
// in two versions and whose unversioned bucket holds notes/a.
type abuseEnv struct {
	svc    *Service
	dir    string
	v1, v2 string
}

func newAbuseEnv(t *testing.T) *abuseEnv {
	t.Helper()
	dir := t.TempDir()
	svc, url := serve(t, dir)
	c := client(url)
	env := &abuseEnv{svc: svc, dir: dir}
	env.v1 = put(t, c, docBucket, "documents/doc-1", "version one")
	env.v2 = put(t, c, docBucket, "documents/doc-1", "version two")
	put(t, c, plainBucket, "notes/a", "plain note")
	return env
}

// state describes every version in the store and every file on disk.
func (e *abuseEnv) state(t *testing.T) string {
	t.Helper()
	var b strings.Builder
	st := e.svc.store
	st.mu.RLock()
	names := make([]string, 0, len(st.buckets))
	for n := range st.buckets {
		names = append(names, n)
	}
	sort.Strings(names)
	for _, n := range names {
		bk := st.buckets[n]
		for _, k := range bk.sortedKeys() {
			for _, v := range bk.objects[k].versions {
				fmt.Fprintf(&b, "%s/%q %s %d %x %v %s\n", n, k, v.ID, v.Size, v.MD5, v.DeleteMarker, v.File)
			}
		}
	}
	st.mu.RUnlock()
	err := filepath.WalkDir(e.dir, func(p string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return err
		}
		info, err := d.Info()
		if err != nil {
			return err
		}
		rel, _ := filepath.Rel(e.dir, p)
		fmt.Fprintf(&b, "file %s %d\n", rel, info.Size())
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	return b.String()
}

// errorBody is the part of S3's XML error the matrix checks.
type errorBody struct {
	Code string `xml:"Code"`
}

func TestBadInputMatrix(t *testing.T) {
	env := newAbuseEnv(t)
	cases := abuseCases(env)
	if len(cases) < 30 {
		t.Fatalf("%d cases, want at least 30", len(cases))
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			before := env.state(t)
			method := c.method
			if method == "" {
				method = http.MethodGet
			}
			req := httptest.NewRequest(method, c.target, strings.NewReader(c.body))
			// As net/http's server does, keep the declared length in the header.
			req.Header.Set("Content-Length", strconv.Itoa(len(c.body)))
			for k, v := range c.header {
				if v == "" {
					req.Header.Del(k)
					continue
				}
				req.Header.Set(k, v)
			}
			rec := httptest.NewRecorder()
			env.svc.ServeHTTP(rec, req)
			var eb errorBody
			if rec.Body.Len() > 0 && rec.Code >= 300 {
				if err := xml.Unmarshal(rec.Body.Bytes(), &eb); err != nil {
					t.Errorf("error body is not S3's XML: %v\n%s", err, rec.Body)
				}
			}
			if rec.Code != c.status || eb.Code != c.code {
				t.Errorf("%s %s: got %d %q, want %d %q\n%s", method, c.target, rec.Code, eb.Code, c.status, c.code, rec.Body)
			}
			if after := env.state(t); after != before && !c.changes {
				t.Errorf("state changed:\nbefore:\n%s\nafter:\n%s", before, after)
			}
		})
	}
}
