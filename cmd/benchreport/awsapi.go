package main

import (
	"context"
	"fmt"
	"net"
	"net/http"
	"net/http/httputil"
	"net/url"
	"strings"
	"sync"

	"github.com/aws/aws-sdk-go-v2/aws"
	awsconfig "github.com/aws/aws-sdk-go-v2/config"
	"github.com/aws/aws-sdk-go-v2/credentials"
	"github.com/aws/aws-sdk-go-v2/service/dynamodb"
	"github.com/aws/aws-sdk-go-v2/service/s3"
	"github.com/aws/aws-sdk-go-v2/service/sfn"
	sfntypes "github.com/aws/aws-sdk-go-v2/service/sfn/types"
	"github.com/aws/smithy-go/logging"

	"github.com/hitl-go/docsign/internal/contract"
	"github.com/hitl-go/docsign/internal/documents"
)

// clients talk to one local stack through the public AWS APIs.
type clients struct {
	sfn          *sfn.Client
	db           *dynamodb.Client
	s3           *s3.Client
	stateMachine string
	table        string
	bucket       string // the document bucket
	keyARN       string // the signing key
}

func newClients(ctx context.Context, ls *localStack) (*clients, error) {
	out := ls.Outputs()[contract.StackName]
	for _, key := range []string{contract.OutputStateMachineARN, contract.OutputTableName, contract.OutputDocumentBucketName,
		contract.OutputSigningKeyARN} {
		if out[key] == "" {
			return nil, fmt.Errorf("the stack's outputs lack %s: %v", key, out)
		}
	}
	cfg, err := awsconfig.LoadDefaultConfig(ctx, awsconfig.WithRegion("us-east-1"), awsconfig.WithBaseEndpoint(ls.Endpoint()),
		awsconfig.WithLogger(logging.Nop{}),
		awsconfig.WithCredentialsProvider(credentials.NewStaticCredentialsProvider("local", "local", "")))
	if err != nil {
		return nil, err
	}
	return &clients{sfn: sfn.NewFromConfig(cfg), db: dynamodb.NewFromConfig(cfg), s3: documents.NewClient(cfg),
		stateMachine: out[contract.OutputStateMachineARN], table: out[contract.OutputTableName],
		bucket: out[contract.OutputDocumentBucketName], keyARN: out[contract.OutputSigningKeyARN]}, nil
}

// executionARN is the ARN of the run named id.
func (c *clients) executionARN(id string) string {
	return strings.Replace(c.stateMachine, ":stateMachine:", ":execution:", 1) + ":" + id
}

// running lists the names of the state machine's open executions.
func (c *clients) running(ctx context.Context) ([]string, error) {
	var names []string
	p := sfn.NewListExecutionsPaginator(c.sfn, &sfn.ListExecutionsInput{StateMachineArn: aws.String(c.stateMachine),
		StatusFilter: sfntypes.ExecutionStatusRunning, MaxResults: 1000})
	for p.HasMorePages() {
		page, err := p.NextPage(ctx)
		if err != nil {
			return nil, fmt.Errorf("list running executions: %w", err)
		}
		for _, e := range page.Executions {
			names = append(names, aws.ToString(e.Name))
		}
	}
	return names, nil
}

// counter is a loopback proxy to the stack that counts requests by
// operation (see operation).
type counter struct {
	URL string
	srv *http.Server

	mu sync.Mutex
	n  map[string]int
}

func startCounter(target string) (*counter, error) {
	u, err := url.Parse(target)
	if err != nil {
		return nil, err
	}
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return nil, err
	}
	proxy := httputil.NewSingleHostReverseProxy(u)
	c := &counter{URL: "http://" + ln.Addr().String(), n: map[string]int{}}
	c.srv = &http.Server{Handler: http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		op := operation(r)
		c.mu.Lock()
		c.n[op]++
		c.mu.Unlock()
		proxy.ServeHTTP(w, r)
	})}
	go c.srv.Serve(ln)
	return c, nil
}

// take returns the counts since the last take and starts again.
func (c *counter) take() map[string]int {
	c.mu.Lock()
	defer c.mu.Unlock()
	n := c.n
	c.n = map[string]int{}
	return n
}

func (c *counter) Close() error { return c.srv.Close() }

// lambdaAPIPrefix begins every path of Lambda's REST API.
const lambdaAPIPrefix = "/2015-03-31/"

// operation names a request to the stack: its X-Amz-Target for the JSON
// APIs (DynamoDB, Step Functions, KMS), method and path for Lambda's REST
// API, and for S3's REST API (path-style: /bucket/key) the object
// operation, e.g. "S3.GetObject".
func operation(r *http.Request) string {
	if op := r.Header.Get("X-Amz-Target"); op != "" {
		return op
	}
	bucket, key, _ := strings.Cut(strings.TrimPrefix(r.URL.Path, "/"), "/")
	if strings.HasPrefix(r.URL.Path, lambdaAPIPrefix) || bucket == "" || key == "" {
		return r.Method + " " + r.URL.Path
	}
	if name, ok := map[string]string{http.MethodGet: "GetObject", http.MethodHead: "HeadObject", http.MethodPut: "PutObject",
		http.MethodDelete: "DeleteObject"}[r.Method]; ok {
		return s3Prefix + name
	}
	return r.Method + " " + r.URL.Path
}

// Prefixes of the operation names the cost model prices.
const (
	s3Prefix     = "S3."
	kmsPrefix    = "TrentService."
	dynamoPrefix = "DynamoDB_20120810."
	sfnPrefix    = "AWSStepFunctions."
)
