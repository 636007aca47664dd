package sns

import (
	"crypto/sha256"
	"encoding/json"
	"encoding/xml"
	"fmt"
	"io/fs"
	"net/http"
	"net/http/httptest"
	"net/url"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// The bad-input matrix: requests an SDK would never send go through the
// Service; each must get SNS's status and error code, with a message naming
// the problem, and leave the outbox (in memory and on disk) as it was.

// abuseEnv is a Service keeping its outbox under dir.
type abuseEnv struct {
	svc *Service
	dir string
}

// abuseAnswer is a decoded API answer.
type abuseAnswer struct {
	status              int
	code, message, kind string
	body                string
}

// abuseRequest is the HTTP side of a case; zero values are a POST of a
// form, signed for sns in us-east-1.
type abuseRequest struct {
	method, contentType string
}

// signedScope is the Authorization header of a request signed for sns in
// us-east-1 (the service reads the scope only).
const signedScope = "AWS4-HMAC-SHA256 Credential=local/20261206/us-east-1/sns/aws4_request, SignedHeaders=host;x-amz-date, Signature=00"

func (e *abuseEnv) call(req abuseRequest, body string) abuseAnswer {
	method, ct := req.method, req.contentType
	if method == "" {
		method = http.MethodPost
	}
	if ct == "" {
		ct = "application/x-www-form-urlencoded; charset=utf-8"
	}
	r := httptest.NewRequest(method, "/", strings.NewReader(body))
	r.Header.Set("Content-Type", ct)
	r.Header.Set("Authorization", signedScope)
	rec := httptest.NewRecorder()
	e.svc.ServeHTTP(rec, r)
	var out errorResponse
	_ = xml.Unmarshal(rec.Body.Bytes(), &out)
	return abuseAnswer{status: rec.Code, code: out.Error.Code, message: out.Error.Message, kind: out.Error.Type, body: rec.Body.String()}
}

// snapshot is everything a request could change: the outbox through
// Outbox, and every file under the data directory with its mode and a hash
// of its content.
func (e *abuseEnv) snapshot(t *testing.T) string {
	t.Helper()
	entries, err := json.Marshal(e.svc.Outbox())
	if err != nil {
		t.Fatal(err)
	}
	var b strings.Builder
	b.Write(entries)
	b.WriteByte('\n')
	err = filepath.WalkDir(e.dir, func(path string, d fs.DirEntry, err error) error {
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
			fmt.Fprintf(&b, " %x %d", sha256.Sum256(data), info.Size())
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
	req    abuseRequest
	body   string
	status int    // 0 is 400
	code   string // SNS's error code
	msg    string // the message must contain it
}

func runAbuseCases(t *testing.T, e *abuseEnv, cases []abuseCase) {
	t.Helper()
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			status := c.status
			if status == 0 {
				status = http.StatusBadRequest
			}
			before := e.snapshot(t)
			a := e.call(c.req, c.body)
			if a.status != status || a.code != c.code {
				t.Errorf("got %d %q, want %d %s; message %.200q", a.status, a.code, status, c.code, a.message)
			} else if a.message == "" || !strings.Contains(a.message, c.msg) || a.kind != "Sender" {
				t.Errorf("message %.200q (type %q), want a Sender error naming %q", a.message, a.kind, c.msg)
			}
			if after := e.snapshot(t); after != before {
				t.Errorf("state changed:\nbefore %.600s\nafter  %.600s", before, after)
			}
		})
	}
}

// drop as a value in form removes the parameter.
const drop = "\x00drop"

// form is a Publish of a signing notification with the given parameters
// replaced (name, value; drop removes one), form-encoded in a stable order.
func form(replace ...string) string {
	v := url.Values{
		"Action": {"Publish"}, "Version": {"2010-03-31"}, "TopicArn": {testTopicARN},
		"Message": {"https://x/sign/doc-1/alice#code"}, "Subject": {"Please sign doc-1"},
		"MessageAttributes.entry.1.Name": {"documentId"}, "MessageAttributes.entry.1.Value.DataType": {"String"},
		"MessageAttributes.entry.1.Value.StringValue": {"doc-1"},
		"MessageAttributes.entry.2.Name":              {"signer"}, "MessageAttributes.entry.2.Value.DataType": {"String"},
		"MessageAttributes.entry.2.Value.StringValue": {"alice"},
	}
	for i := 0; i+1 < len(replace); i += 2 {
		if replace[i+1] == drop {
			v.Del(replace[i])
		} else {
			v.Set(replace[i], replace[i+1])
		}
	}
	return v.Encode()
}

// attrs replaces the message attributes with the given entries (name,
// data type, field, value), numbered from 1.
func attrs(entries ...[4]string) []string {
	kv := []string{
		"MessageAttributes.entry.1.Name", drop, "MessageAttributes.entry.1.Value.DataType", drop, "MessageAttributes.entry.1.Value.StringValue", drop,
		"MessageAttributes.entry.2.Name", drop, "MessageAttributes.entry.2.Value.DataType", drop, "MessageAttributes.entry.2.Value.StringValue", drop,
	}
	keys := map[string]int{}
	for i := 0; i < len(kv); i += 2 {
		keys[kv[i]] = i
	}
	set := func(k, v string) {
		if i, ok := keys[k]; ok {
			kv[i+1] = v
			return
		}
		keys[k] = len(kv)
		kv = append(kv, k, v)
	}
	for i, e := range entries {
		p := fmt.Sprintf("MessageAttributes.entry.%d.", i+1)
		if e[0] != drop {
			set(p+"Name", e[0])
		}
		if e[1] != drop {
			set(p+"Value.DataType", e[1])
		}
		if e[2] != "" {
			set(p+"Value."+e[2], e[3])
		}
	}
	return kv
}

func TestBadInputMatrix(t *testing.T) {
	dir := filepath.Join(t.TempDir(), "sns")
	e := &abuseEnv{svc: newTestService(t, dir), dir: dir}
	if a := e.call(abuseRequest{}, form()); a.status != http.StatusOK {
		t.Fatalf("good publish: %d %s", a.status, a.body)
	}
	cases := append(protocolCases(), publishCases()...)
	cases = append(cases, attributeCases()...)
	cases = append(cases, readOnlyCases()...)
	if len(cases) < 30 {
		t.Errorf("%d cases, want at least 30", len(cases))
	}
	names := map[string]bool{}
	for _, c := range cases {
		if names[c.name] {
			t.Errorf("case %q twice", c.name)
		}
		names[c.name] = true
	}
	runAbuseCases(t, e, cases)
	if got := e.svc.Outbox(); len(got) != 1 {
		t.Errorf("outbox has %d entries after the matrix, want the one good publish", len(got))
	}
}
