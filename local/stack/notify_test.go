package stack_test

import (
	"context"
	"encoding/json"
	"io"
	"net/http"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	v4 "github.com/aws/aws-sdk-go-v2/aws/signer/v4"
	"github.com/aws/aws-sdk-go-v2/service/sns"

	"github.com/hitl-go/docsign/internal/contract"
	"github.com/hitl-go/docsign/internal/logtest"
	"github.com/hitl-go/docsign/internal/stacktest"
	"github.com/hitl-go/docsign/local/stack"
)

// TestNotifyStack runs testdata/notify: an HTTP API whose function
// publishes a signing link to an SNS topic. The API's URL in the outputs
// and in the function's environment is the local one, AWS_IAM routes want
// a signature, the link lands in the outbox (on disk, the owner's only) and
// opens the page on the local API — and the link's one-time code is in no
// line of the stack's log, verbose as it is.
func TestNotifyStack(t *testing.T) {
	stacktest.NeedDynalite(t)
	dir := t.TempDir()
	log := &logtest.Buffer{}
	ctx, cancel := context.WithTimeout(context.Background(), 3*time.Minute)
	defer cancel()
	st, err := stack.Start(ctx, stack.Options{CDKOut: "testdata/notify", Addr: "127.0.0.1:0", DataDir: dir,
		OutputsFile: filepath.Join(dir, "outputs.json"), Stdout: log, Verbose: true})
	if err != nil {
		t.Fatalf("Start: %v\n%s", err, log.String())
	}
	t.Cleanup(func() { st.Close() })
	outputs := stacktest.ReadOutputs(t, st.OutputsFile())["NotifyStack"]
	apiURL, topic := outputs[contract.OutputAPIURL], outputs[contract.OutputNotificationTopicARN]
	if !regexp.MustCompile(`^` + regexp.QuoteMeta(st.Endpoint()) + `/_api/[a-z0-9]{10}/$`).MatchString(apiURL) {
		t.Fatalf("ApiUrl = %q, want %s/_api/<id>/", apiURL, st.Endpoint())
	}
	if !regexp.MustCompile(`^arn:aws:sns:us-east-1:000000000000:NotifyStack-NotificationsTopic7E1F2A3B-\w{12}$`).MatchString(topic) {
		t.Errorf("NotificationTopicArn = %q", topic)
	}

	const doc = "doc-1"
	steps := []struct {
		name, method, url string
		sign              bool
		wantStatus        int
		wantBody          string
	}{
		{"unsigned call to an AWS_IAM route", http.MethodPost, apiURL + contract.DocumentsRoutePrefix + doc, false, http.StatusForbidden, `{"message":"Forbidden"}`},
		{"signed call publishes the link", http.MethodPost, apiURL + contract.DocumentsRoutePrefix + doc, true, http.StatusAccepted, doc},
		{"no such route", http.MethodGet, apiURL + "nowhere", false, http.StatusNotFound, `{"message":"Not Found"}`},
		{"another API", http.MethodGet, st.Endpoint() + "/_api/zzzzzzzzzz/" + contract.SignPath(doc, "Bob"), false, http.StatusNotFound, `{"message":"Not Found"}`},
	}
	for _, s := range steps {
		status, body := call(t, s.method, s.url, s.sign)
		if status != s.wantStatus || body != s.wantBody {
			t.Errorf("%s: %d %q, want %d %q", s.name, status, body, s.wantStatus, s.wantBody)
		}
	}

	status, body := call(t, http.MethodGet, st.Endpoint()+contract.OutboxPath, false)
	var entries []contract.OutboxEntry
	if err := json.Unmarshal([]byte(body), &entries); status != http.StatusOK || err != nil || len(entries) != 1 {
		t.Fatalf("outbox: %d %v %s", status, err, body)
	}
	e := entries[0]
	linkPrefix := apiURL + contract.SignPath(doc, "Bob") + "#"
	code := strings.TrimPrefix(e.Link, linkPrefix)
	if e.DocumentID != doc || e.Signer != "Bob" || e.To != "bob@example.com" || e.Subject != "Please sign "+doc ||
		!strings.HasPrefix(e.Link, linkPrefix) || !contract.CheckCode(code) || !strings.Contains(e.Body, e.Link) ||
		time.Since(e.SentAt) > time.Minute {
		t.Errorf("outbox entry %+v, want Bob's link %s<code> for %s", e, linkPrefix, doc)
	}
	if status, page := call(t, http.MethodGet, e.Link, false); status != http.StatusOK || page != "signing page for doc-1, Bob" {
		t.Errorf("the link opens %d %q, want the signing page", status, page)
	}

	subs, err := sns.NewFromConfig(stacktest.Config(st.Endpoint())).ListSubscriptionsByTopic(ctx, &sns.ListSubscriptionsByTopicInput{TopicArn: aws.String(topic)})
	if err != nil || len(subs.Subscriptions) != 1 || aws.ToString(subs.Subscriptions[0].Endpoint) != "bob@example.com" {
		t.Errorf("ListSubscriptionsByTopic = %+v, %v; want bob@example.com", subs, err)
	}
	if info, err := os.Stat(filepath.Join(dir, "sns", "outbox.jsonl")); err != nil || info.Mode().Perm() != 0o600 {
		t.Errorf("outbox file: %v, %v; want it under DataDir/sns, mode 0600", info, err)
	}

	logged := log.String()
	for _, want := range []string{
		"  SNS             " + topic + "  (1 email subscription)\n",
		"  API Gateway     " + apiURL + "  (HTTP API HttpApiF5A9A8A7, 5 routes)\n",
		"SNS: mail is kept, not sent: outbox in ",
		`[apigateway] time=`, `routeKey="` + contract.RouteKeyPostDocument + `" status=202`,
		`[sns] time=`,
	} {
		if !strings.Contains(logged, want) {
			t.Errorf("the log has no %q:\n%s", want, logged)
		}
	}
	if strings.Contains(logged, code) || strings.Contains(logged, "#"+code[:8]) {
		t.Errorf("the signing link's one-time code is in the log:\n%s", logged)
	}
}

// call sends one request, SigV4-signed for execute-api when sign is set,
// and returns the status and body.
func call(t *testing.T, method, url string, sign bool) (int, string) {
	t.Helper()
	req, err := http.NewRequest(method, url, nil)
	if err != nil {
		t.Fatal(err)
	}
	if sign {
		const emptySHA256 = "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855"
		err := v4.NewSigner().SignHTTP(context.Background(), aws.Credentials{AccessKeyID: "local", SecretAccessKey: "local"},
			req, emptySHA256, "execute-api", "us-east-1", time.Now())
		if err != nil {
			t.Fatal(err)
		}
	}
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	b, _ := io.ReadAll(resp.Body)
	return resp.StatusCode, strings.TrimSpace(string(b))
}
