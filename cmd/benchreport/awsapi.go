package main

import (
	"context"
	"fmt"
	"net"
	"net/http"
	"net/http/httputil"
	"net/url"
	"sync"

	"github.com/aws/aws-sdk-go-v2/aws"
	awsconfig "github.com/aws/aws-sdk-go-v2/config"
	"github.com/aws/aws-sdk-go-v2/credentials"
	"github.com/aws/aws-sdk-go-v2/service/dynamodb"
	"github.com/aws/aws-sdk-go-v2/service/sfn"
	sfntypes "github.com/aws/aws-sdk-go-v2/service/sfn/types"
	"github.com/aws/smithy-go/logging"

	"github.com/hitl-go/docsign/internal/contract"
)

// clients talk to one local stack through the public AWS APIs.
type clients struct {
	sfn          *sfn.Client
	db           *dynamodb.Client
	stateMachine string
	table        string
}

func newClients(ctx context.Context, ls *localStack) (*clients, error) {
	out := ls.Outputs()[contract.StackName]
	arn, table := out[contract.OutputStateMachineARN], out[contract.OutputTableName]
	if arn == "" || table == "" {
		return nil, fmt.Errorf("the stack's outputs lack %s or %s: %v", contract.OutputStateMachineARN, contract.OutputTableName, out)
	}
	cfg, err := awsconfig.LoadDefaultConfig(ctx, awsconfig.WithRegion("us-east-1"), awsconfig.WithBaseEndpoint(ls.Endpoint()),
		awsconfig.WithLogger(logging.Nop{}),
		awsconfig.WithCredentialsProvider(credentials.NewStaticCredentialsProvider("local", "local", "")))
	if err != nil {
		return nil, err
	}
	return &clients{sfn: sfn.NewFromConfig(cfg), db: dynamodb.NewFromConfig(cfg),
		stateMachine: arn, table: table}, nil
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
// operation (X-Amz-Target, or method and path for Lambda's REST API).
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
		op := r.Header.Get("X-Amz-Target")
		if op == "" {
			op = r.Method + " " + r.URL.Path
		}
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
