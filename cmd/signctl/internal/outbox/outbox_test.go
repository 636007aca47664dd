package outbox

import (
	"context"
	"encoding/json"
	"net/http"
	"net/http/httptest"
	"reflect"
	"strings"
	"testing"
	"time"

	"github.com/hitl-go/docsign/cmd/signctl/internal/cli"
	"github.com/hitl-go/docsign/cmd/signctl/internal/clitest"
	"github.com/hitl-go/docsign/internal/contract"
)

const link = "http://127.0.0.1:4566/_api/abcde12345/sign/doc-1/Bob#AAECAwQFBgcICQoLDA0ODxAREhMUFRYXGBkaGxwdHh8"

var sent = time.Date(2026, 12, 5, 10, 30, 0, 125e6, time.UTC)

// entries are an outbox with a message for Bob, one whose attributes and
// subject carry terminal escapes and a bidi override, and one no
// subscription took.
var entries = []contract.OutboxEntry{
	{DocumentID: "doc-1", Signer: "Bob", To: "bob@example.com", Subject: "Please sign doc-1", Body: "Sign: " + link, Link: link, SentAt: sent},
	{DocumentID: "doc-2", Signer: "Eve\x1b]0;pwned\x07", To: "eve@example.com\u202e", Subject: "\x1b[2J", Body: "clear\x1b[2J", SentAt: sent.Add(time.Second)},
	{Body: "nobody", SentAt: sent.Add(2 * time.Second)},
}

// server is a local stack's outbox route answering status and body.
func server(t *testing.T, status int, body string) string {
	t.Helper()
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.Method != http.MethodGet || r.URL.Path != contract.OutboxPath {
			http.NotFound(w, r)
			return
		}
		w.WriteHeader(status)
		_, _ = w.Write([]byte(body))
	}))
	t.Cleanup(srv.Close)
	return srv.URL
}

// app connects to a session whose endpoint is endpoint ("" for AWS).
func app(endpoint string) *cli.App {
	a := clitest.App(nil, nil, nil)
	connect := a.Connect
	a.Connect = func(ctx context.Context, o *cli.Options) (*cli.Session, error) {
		s, err := connect(ctx, o)
		if s != nil {
			s.Endpoint, s.Outputs.File = endpoint, "cdk-outputs.json"
		}
		return s, err
	}
	return a
}

func TestOutboxCommand(t *testing.T) {
	t.Setenv("AWS_ENDPOINT_URL", "")
	full, _ := json.Marshal(entries)
	ok := server(t, http.StatusOK, string(full))
	empty := server(t, http.StatusOK, "[]")
	refused := server(t, http.StatusForbidden, `{"__type":"AccessDeniedException","message":"the local stack answers browsers on its own origin only"}`)
	notOutbox := server(t, http.StatusOK, `<html>console</html>`)
	closed := httptest.NewServer(http.NotFoundHandler())
	closed.Close()
	tests := []struct {
		name       string
		args       []string
		session    string // the endpoint the outputs file leads to
		wantCode   int
		wantStdout []string
		wantStderr string
	}{
		{"table", []string{"--endpoint", ok}, "", 0, []string{
			"SENT                  TO                     DOCUMENT  SIGNER                   LINK\n",
			"2026-12-05T10:30:00Z  bob@example.com        doc-1     Bob                      " + link + "\n",
			"2026-12-05T10:30:01Z  eve@example.com\\u202e  doc-2     Eve\\u001b]0;pwned\\u0007  -\n",
			"2026-12-05T10:30:02Z  -                      -         -                        -\n",
			"3 messages. Open a link",
		}, ""},
		{"endpoint from the outputs file", nil, ok, 0, []string{"bob@example.com"}, ""},
		{"empty", []string{"--endpoint", empty}, "", 0, []string{"The outbox is empty: no notification was sent yet.\n"}, ""},
		{"empty --json", []string{"--endpoint", empty, "--json"}, "", 0, []string{"[]\n"}, ""},
		{"a stack on AWS", nil, "", cli.ExitError, nil, "only the local stack keeps an outbox; pass --endpoint http://127.0.0.1:4566"},
		{"refused", []string{"--endpoint", refused}, "", cli.ExitError, nil, "answered 403 Forbidden (the local stack answers browsers on its own origin only)"},
		{"not an outbox", []string{"--endpoint", notOutbox}, "", cli.ExitError, nil, "answered something other than an outbox"},
		{"nothing listening", []string{"--endpoint", closed.URL}, "", cli.ExitError, nil, "cannot reach the local stack at " + closed.URL + ": is `signctl local` running there?"},
		{"not a URL", []string{"--endpoint", "::"}, "", cli.ExitUsage, nil, `endpoint "::" is not a URL`},
		{"arguments", []string{"doc-1", "--endpoint", ok}, "", cli.ExitUsage, nil, `unknown command "doc-1"`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			stdout, stderr, code := clitest.Run(cli.NewRoot(NewCmd(app(tt.session))), append([]string{"outbox"}, tt.args...)...)
			if code != tt.wantCode || !strings.Contains(stderr, tt.wantStderr) {
				t.Fatalf("exit %d, stderr %q; want %d and %q (stdout %q)", code, stderr, tt.wantCode, tt.wantStderr, stdout)
			}
			for _, want := range tt.wantStdout {
				if !strings.Contains(stdout, want) {
					t.Errorf("stdout has no %q:\n%s", want, stdout)
				}
			}
			if strings.ContainsAny(stdout+stderr, "\x1b\x07\u202e") {
				t.Errorf("printed a raw control or bidi character:\n%q", stdout)
			}
		})
	}
}

func TestOutboxJSON(t *testing.T) {
	full, _ := json.Marshal(entries)
	stdout, stderr, code := clitest.Run(cli.NewRoot(NewCmd(app(""))), "outbox", "--json", "--endpoint", server(t, http.StatusOK, string(full)))
	if code != 0 {
		t.Fatalf("exit %d: %s", code, stderr)
	}
	if strings.ContainsAny(stdout, "\x1b\x07\u202e") {
		t.Errorf("printed a raw control or bidi character:\n%q", stdout)
	}
	var got []contract.OutboxEntry
	if err := json.Unmarshal([]byte(stdout), &got); err != nil {
		t.Fatalf("--json: %v\n%s", err, stdout)
	}
	if !reflect.DeepEqual(got, entries) {
		t.Errorf("--json decodes to\n%+v\nwant\n%+v", got, entries)
	}
	var keys []map[string]any
	_ = json.Unmarshal([]byte(stdout), &keys)
	for _, k := range []string{"documentId", "signer", "to", "subject", "body", "link", "sentAt"} {
		if _, ok := keys[0][k]; !ok {
			t.Errorf("entry has no %q:\n%s", k, stdout)
		}
	}
}
