package kms

import (
	"crypto/sha256"
	"encoding/base64"
	"encoding/json"
	"fmt"
	"io/fs"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
)

// The bad-input matrix: requests an SDK would never send go through the
// Service; each must get AWS's status and error code, with a message naming
// the problem, and change neither the keys nor their files.

// abuseEnv is a Service keeping testKeys under dir.
type abuseEnv struct {
	svc *Service
	dir string
}

// abuseAnswer is a decoded API answer.
type abuseAnswer struct {
	status        int
	code, message string
	body          string
}

// abuseRequest is the HTTP side of a case; zero values are a well-formed
// POST of the operation with the JSON 1.1 media type.
type abuseRequest struct {
	method, target, contentType string
	noTarget                    bool
}

func (e *abuseEnv) call(op string, req abuseRequest, body string) abuseAnswer {
	method, target, ct := req.method, req.target, req.contentType
	if method == "" {
		method = http.MethodPost
	}
	if target == "" {
		target = TargetPrefix + op
	}
	if ct == "" {
		ct = ContentType
	}
	r := httptest.NewRequest(method, "/", strings.NewReader(body))
	r.Header.Set("Content-Type", ct)
	if !req.noTarget {
		r.Header.Set("X-Amz-Target", target)
	}
	rec := httptest.NewRecorder()
	e.svc.ServeHTTP(rec, r)
	var out struct {
		Type    string `json:"__type"`
		Message string `json:"message"`
	}
	_ = json.Unmarshal(rec.Body.Bytes(), &out)
	return abuseAnswer{status: rec.Code, code: out.Type, message: out.Message, body: rec.Body.String()}
}

// snapshot is everything a request could change: each key's description
// and public key through the API, and every file under the key directory
// with its mode and a hash of its content.
func (e *abuseEnv) snapshot(t *testing.T) string {
	t.Helper()
	var b strings.Builder
	for _, arn := range []string{testARN, otherARN} {
		for _, op := range []string{"DescribeKey", "GetPublicKey"} {
			a := e.call(op, abuseRequest{}, `{"KeyId":"`+arn+`"}`)
			if a.status != http.StatusOK {
				t.Fatalf("%s %s: %d %s", op, arn, a.status, a.body)
			}
			b.WriteString(a.body)
		}
	}
	err := filepath.WalkDir(e.dir, func(path string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		info, err := d.Info()
		if err != nil {
			return err
		}
		fmt.Fprintf(&b, "%s %s", path, info.Mode())
		if !d.IsDir() {
			data, err := os.ReadFile(path)
			if err != nil {
				return err
			}
			fmt.Fprintf(&b, " %x %s", sha256.Sum256(data), info.ModTime())
		}
		b.WriteByte('\n')
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	return b.String()
}

// abuseCase is one bad request and the answer it must get.
type abuseCase struct {
	name   string
	op     string // "" is Sign
	req    abuseRequest
	body   string
	status int    // 0 is 400
	code   string // AWS's error code
	msg    string // the message must contain it
}

// runAbuseCases sends each case and checks its answer and that nothing changed.
func runAbuseCases(t *testing.T, e *abuseEnv, cases []abuseCase) {
	t.Helper()
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			op, status := c.op, c.status
			if op == "" {
				op = "Sign"
			}
			if status == 0 {
				status = http.StatusBadRequest
			}
			before := e.snapshot(t)
			a := e.call(op, c.req, c.body)
			if a.status != status || a.code != c.code {
				t.Errorf("got %d %q, want %d %s; message %.200q", a.status, a.code, status, c.code, a.message)
			} else if a.message == "" || !strings.Contains(a.message, c.msg) {
				t.Errorf("message %.200q, want one naming %q", a.message, c.msg)
			}
			if after := e.snapshot(t); after != before {
				t.Errorf("state changed:\nbefore %.600s\nafter  %.600s", before, after)
			}
		})
	}
}

// obj renders a JSON object from names and raw JSON values, in order.
func obj(kv ...string) string {
	var b strings.Builder
	b.WriteByte('{')
	for i := 0; i+1 < len(kv); i += 2 {
		if i > 0 {
			b.WriteByte(',')
		}
		b.WriteString(strconv.Quote(kv[i]) + ":" + kv[i+1])
	}
	return b.String() + "}"
}

// q quotes s as a JSON string.
func q(s string) string {
	b, _ := json.Marshal(s)
	return string(b)
}

// b64 quotes data base64-encoded, as the protocol carries blobs.
func b64(data []byte) string { return q(base64.StdEncoding.EncodeToString(data)) }

func TestBadInputMatrix(t *testing.T) {
	dir := filepath.Join(t.TempDir(), "kms")
	e := &abuseEnv{svc: newTestService(t, dir), dir: dir}
	cases := append(protocolCases(), signCases()...)
	cases = append(cases, verifyCases(e)...)
	cases = append(cases, keyOnlyCases()...)
	if len(cases) < 30 {
		t.Errorf("%d cases, want at least 30", len(cases))
	}
	runAbuseCases(t, e, cases)
}
