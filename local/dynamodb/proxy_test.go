package dynamodb

import (
	"bytes"
	"encoding/json"
	"errors"
	"io"
	"net/http"
	"net/http/httptest"
	"net/url"
	"os"
	"os/exec"
	"strings"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/credentials"
	ddb "github.com/aws/aws-sdk-go-v2/service/dynamodb"
	"github.com/aws/aws-sdk-go-v2/service/dynamodb/types"

	"github.com/hitl-go/docsign/local/cloudformation"
)

func TestMatches(t *testing.T) {
	tests := []struct {
		target string
		want   bool
	}{
		{"DynamoDB_20120810.GetItem", true},
		{"DynamoDB_20120810.CreateTable", true},
		{"AWSStepFunctions.StartExecution", false},
		{"DynamoDBStreams_20120810.GetRecords", false},
		{"", false},
	}
	for _, tt := range tests {
		r := httptest.NewRequest(http.MethodPost, "/", nil)
		if tt.target != "" {
			r.Header.Set("X-Amz-Target", tt.target)
		}
		if got := Matches(r); got != tt.want {
			t.Errorf("Matches(%q) = %v, want %v", tt.target, got, tt.want)
		}
	}
}

// TestProxyForwardsUnchanged checks, against a recording backend, that the
// request and the answer pass through byte for byte.
func TestProxyForwardsUnchanged(t *testing.T) {
	var got *http.Request
	var gotBody []byte
	backend := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		got, gotBody = r, must(io.ReadAll(r.Body))
		w.Header().Set("X-Amz-Crc32", "123")
		w.Header().Set("X-Amzn-Requestid", "req-1")
		w.WriteHeader(http.StatusBadRequest)
		io.WriteString(w, `{"__type":"com.amazonaws.dynamodb.v20120810#ResourceNotFoundException"}`)
	}))
	defer backend.Close()
	target, _ := url.Parse(backend.URL)
	front := httptest.NewServer(newProxy(target, http.DefaultTransport.(*http.Transport).Clone()))
	defer front.Close()

	body := `{"TableName":"t1x"}`
	req, _ := http.NewRequest(http.MethodPost, front.URL+"/", strings.NewReader(body))
	req.Host = "public.example:4566"
	req.Header.Set("X-Amz-Target", "DynamoDB_20120810.DescribeTable")
	req.Header.Set("Authorization", "AWS4-HMAC-SHA256 Credential=a/20240101/us-east-1/dynamodb/aws4_request, SignedHeaders=host;x-amz-date, Signature=abc")
	req.Header.Set("X-Amz-Date", "20240101T000000Z")
	req.Header.Set("Content-Type", "application/x-amz-json-1.0")
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	respBody := must(io.ReadAll(resp.Body))

	checks := []struct{ what, got, want string }{
		{"Host", got.Host, "public.example:4566"},
		{"Authorization", got.Header.Get("Authorization"), req.Header.Get("Authorization")},
		{"X-Amz-Target", got.Header.Get("X-Amz-Target"), "DynamoDB_20120810.DescribeTable"},
		{"X-Amz-Date", got.Header.Get("X-Amz-Date"), "20240101T000000Z"},
		{"Content-Type", got.Header.Get("Content-Type"), "application/x-amz-json-1.0"},
		{"path", got.URL.Path, "/"},
		{"body", string(gotBody), body},
		{"status", resp.Status, "400 Bad Request"},
		{"X-Amz-Crc32", resp.Header.Get("X-Amz-Crc32"), "123"},
		{"X-Amzn-Requestid", resp.Header.Get("X-Amzn-Requestid"), "req-1"},
		{"response body", string(respBody), `{"__type":"com.amazonaws.dynamodb.v20120810#ResourceNotFoundException"}`},
	}
	for _, c := range checks {
		if c.got != c.want {
			t.Errorf("%s = %q, want %q", c.what, c.got, c.want)
		}
	}
}

func TestProxyAnswersServiceUnavailableWhenDynaliteIsGone(t *testing.T) {
	s := start(t, Options{})
	front := httptest.NewServer(s.Handler())
	defer front.Close()
	if err := s.Stop(); err != nil {
		t.Fatal(err)
	}
	if status, typ := listTables(t, front.URL); status != 503 || typ != "com.amazonaws.dynamodb.v20120810#ServiceUnavailable" {
		t.Errorf("got %d %q, want 503 ServiceUnavailable", status, typ)
	}
}

// proxied starts a Service with the template's TokensTable and serves its
// Handler, as the local stack's endpoint does.
func proxied(t *testing.T) (cloudformation.Table, *httptest.Server) {
	t.Helper()
	s := start(t, Options{})
	table := tokens(t, templateTables(t))
	if _, err := s.CreateTables(testContext(t), []cloudformation.Table{table}); err != nil {
		t.Fatal(err)
	}
	front := httptest.NewServer(s.Handler())
	t.Cleanup(front.Close)
	return table, front
}

func TestProxyWithSDK(t *testing.T) {
	table, front := proxied(t)
	// Signed for the proxy's host with credentials dynalite never saw: it
	// does not verify signatures.
	c := ddb.New(ddb.Options{
		Region:       "us-east-1",
		BaseEndpoint: aws.String(front.URL),
		Credentials:  credentials.NewStaticCredentialsProvider("AKIDEXAMPLE", "not-the-secret", ""),
	})
	ctx := testContext(t)
	_, err := c.PutItem(ctx, &ddb.PutItemInput{
		TableName: aws.String(table.Name),
		Item: map[string]types.AttributeValue{
			"documentId": &types.AttributeValueMemberS{Value: "sdk-1"},
			"signer":     &types.AttributeValueMemberS{Value: "Bob"},
			"status":     &types.AttributeValueMemberS{Value: "PENDING"},
		},
		ConditionExpression: aws.String("attribute_not_exists(documentId)"),
	})
	if err != nil {
		t.Fatal(err)
	}
	out, err := c.Query(ctx, &ddb.QueryInput{
		TableName:                 aws.String(table.Name),
		KeyConditionExpression:    aws.String("documentId = :d"),
		ExpressionAttributeValues: map[string]types.AttributeValue{":d": &types.AttributeValueMemberS{Value: "sdk-1"}},
	})
	if err != nil || len(out.Items) != 1 {
		t.Fatalf("Query = %v, %v; want one item", out, err)
	}
	if st := out.Items[0]["status"].(*types.AttributeValueMemberS).Value; st != "PENDING" {
		t.Errorf("status = %q, want PENDING", st)
	}
	// Errors come back typed, as from AWS.
	_, err = c.PutItem(ctx, &ddb.PutItemInput{
		TableName:           aws.String(table.Name),
		Item:                map[string]types.AttributeValue{"documentId": &types.AttributeValueMemberS{Value: "sdk-1"}, "signer": &types.AttributeValueMemberS{Value: "Bob"}},
		ConditionExpression: aws.String("attribute_not_exists(documentId)"),
	})
	var failed *types.ConditionalCheckFailedException
	if !errors.As(err, &failed) {
		t.Errorf("conditional put error = %v, want ConditionalCheckFailedException", err)
	}
	_, err = c.DescribeTable(ctx, &ddb.DescribeTableInput{TableName: aws.String("no-such-table")})
	var notFound *types.ResourceNotFoundException
	if !errors.As(err, &notFound) {
		t.Errorf("DescribeTable(missing) error = %v, want ResourceNotFoundException", err)
	}
}

func TestProxyWithAWSCLI(t *testing.T) {
	cli, err := exec.LookPath("aws")
	if err != nil {
		if os.Getenv("CI") == "" {
			t.Skip("aws CLI not installed (CI unset, so skipping)")
		}
		t.Fatal("aws CLI not installed")
	}
	table, front := proxied(t)
	run := func(extraEnv []string, args ...string) []byte {
		t.Helper()
		cmd := exec.CommandContext(testContext(t), cli, args...)
		cmd.Env = append(os.Environ(),
			"AWS_ACCESS_KEY_ID=local", "AWS_SECRET_ACCESS_KEY=local", "AWS_DEFAULT_REGION=us-east-1",
			"AWS_CONFIG_FILE="+os.DevNull, "AWS_SHARED_CREDENTIALS_FILE="+os.DevNull, "AWS_PAGER=")
		cmd.Env = append(cmd.Env, extraEnv...)
		var stderr bytes.Buffer
		cmd.Stderr = &stderr
		out, err := cmd.Output()
		if err != nil {
			t.Fatalf("aws %s: %v\n%s", strings.Join(args, " "), err, stderr.String())
		}
		return out
	}
	key := `{"documentId":{"S":"cli-1"},"signer":{"S":"Bob"}}`
	run(nil, "dynamodb", "put-item", "--endpoint-url", front.URL, "--table-name", table.Name,
		"--item", `{"documentId":{"S":"cli-1"},"signer":{"S":"Bob"},"status":{"S":"PENDING"}}`)
	// The form the local stack documents: AWS_ENDPOINT_URL instead of the flag.
	out := run([]string{"AWS_ENDPOINT_URL=" + front.URL}, "dynamodb", "get-item", "--table-name", table.Name, "--key", key, "--output", "json")
	var got struct {
		Item map[string]map[string]string
	}
	if err := json.Unmarshal(out, &got); err != nil {
		t.Fatalf("get-item output %s: %v", out, err)
	}
	if got.Item["status"]["S"] != "PENDING" {
		t.Errorf("get-item = %s, want status PENDING", out)
	}
	out = run(nil, "dynamodb", "list-tables", "--endpoint-url", front.URL, "--output", "json")
	if !bytes.Contains(out, []byte(`"`+table.Name+`"`)) {
		t.Errorf("list-tables = %s, want %s in it", out, table.Name)
	}
}

func must[T any](v T, err error) T {
	if err != nil {
		panic(err)
	}
	return v
}

// listTables sends a ListTables to the server at url and returns the status
// and error type.
func listTables(t *testing.T, url string) (int, string) {
	t.Helper()
	req, _ := http.NewRequest(http.MethodPost, url, strings.NewReader(`{}`))
	req.Header.Set("X-Amz-Target", TargetPrefix+"ListTables")
	req.Header.Set("Content-Type", "application/x-amz-json-1.0")
	req.Header.Set("X-Amz-Date", time.Now().UTC().Format("20060102T150405Z"))
	req.Header.Set("Authorization", "AWS4-HMAC-SHA256 Credential=a/20240101/us-east-1/dynamodb/aws4_request, SignedHeaders=host, Signature=00")
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	var e struct {
		Type string `json:"__type"`
	}
	json.NewDecoder(resp.Body).Decode(&e)
	return resp.StatusCode, e.Type
}
