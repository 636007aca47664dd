package apigateway

import (
	"bytes"
	"context"
	"encoding/json"
	"flag"
	"net/http"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	v4 "github.com/aws/aws-sdk-go-v2/aws/signer/v4"
)

var update = flag.Bool("update", false, "rewrite the golden files in testdata")

// eventOf serves r and returns the event the function received, with the
// random request id replaced, as indented JSON.
func eventOf(t *testing.T, s *Service, fn *fakeInvoker, r *http.Request) []byte {
	t.Helper()
	if status, body, _ := do(s, r); status != http.StatusOK {
		t.Fatalf("got %d %s, want 200", status, body)
	}
	ev := fn.last(t).event
	rc := ev["requestContext"].(map[string]any)
	if id, _ := rc["requestId"].(string); len(id) != 16 {
		t.Errorf("got requestId %q, want 16 base64 characters", id)
	}
	rc["requestId"] = "REQUEST-ID"
	b, err := json.MarshalIndent(ev, "", "  ")
	if err != nil {
		t.Fatal(err)
	}
	return append(b, '\n')
}

func checkGolden(t *testing.T, name string, got []byte) {
	t.Helper()
	path := filepath.Join("testdata", name)
	if *update {
		if err := os.WriteFile(path, got, 0o644); err != nil {
			t.Fatal(err)
		}
	}
	want, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	if !bytes.Equal(got, want) {
		t.Errorf("event differs from %s:\ngot:\n%s\nwant:\n%s", path, got, want)
	}
}

func TestEventPublicRoute(t *testing.T) {
	fn := &fakeInvoker{}
	s := newTestService(t, fn, nil)
	r := newRequest("POST", "/sign/doc%201/alice?x=1&x=2&y=%C3%A9&flag", `{"code":"c","decision":"sign"}`)
	r.Header.Set("Content-Type", "application/json")
	r.Header.Set("User-Agent", "signctl/1.0")
	r.Header.Add("X-Multi", "a")
	r.Header.Add("X-Multi", "b")
	r.Header.Add("Cookie", "a=1; b=2")
	r.Header.Add("Cookie", "c=3")
	checkGolden(t, "event-public.json", eventOf(t, s, fn, r))
	if got := fn.last(t).function; got != "arn:aws:lambda:us-east-1:000000000000:function:sign" {
		t.Errorf("got function %s, want the ARN from the integration URI", got)
	}
}

func TestEventIAMRouteBinaryBody(t *testing.T) {
	fn := &fakeInvoker{}
	s := newTestService(t, fn, map[string]string{"AKIDLOCAL": "secret"})
	body := "%PDF-1.7\x00\xff\xfe"
	r := newRequest("POST", "/documents/contract-7", body)
	r.Header.Set("Content-Type", "application/pdf")
	r.Header.Set("User-Agent", "aws-sdk-go-v2")
	signRequest(t, r, body, "AKIDLOCAL", "secret", testNow)
	got := eventOf(t, s, fn, r)
	// The signature differs with nothing: still, keep it out of the file.
	var ev map[string]any
	_ = json.Unmarshal(got, &ev)
	hs := ev["headers"].(map[string]any)
	if !strings.Contains(hs["authorization"].(string), "Credential=AKIDLOCAL/20261205/us-east-1/execute-api/aws4_request") {
		t.Errorf("got authorization %v", hs["authorization"])
	}
	hs["authorization"] = "AWS4-HMAC-SHA256 …"
	got, _ = json.MarshalIndent(ev, "", "  ")
	checkGolden(t, "event-iam.json", append(got, '\n'))
}

// signRequest signs r with the SDK's v4 signer for execute-api, as a
// client of an AWS_IAM route does.
func signRequest(t testing.TB, r *http.Request, body, key, secret string, at time.Time) {
	t.Helper()
	err := v4.NewSigner().SignHTTP(context.Background(), aws.Credentials{AccessKeyID: key, SecretAccessKey: secret},
		r, sha256Hex(body), "execute-api", testRegion, at)
	if err != nil {
		t.Fatal(err)
	}
}
