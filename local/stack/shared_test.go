package stack

import (
	"context"
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/credentials"
	"github.com/aws/aws-sdk-go-v2/service/dynamodb"
	"github.com/aws/aws-sdk-go-v2/service/lambda"
	"github.com/aws/aws-sdk-go-v2/service/sfn"
)

// appStack is the stack name of the app (DESIGN.md contract).
const appStack = "DocumentSigningStack"

// env is a running local stack of the test app, shared by the end-to-end tests.
type env struct {
	stack    *Stack
	log      *lockedBuffer // everything the stack wrote: summary, functions, engine, dynalite
	machine  string        // StateMachineArn output
	table    string        // TableName output
	complete string        // CompleteSignatureFunctionName output
	request  string        // RequestSignatureFunctionName output
	sfn      *sfn.Client
	db       *dynamodb.Client
	lambda   *lambda.Client
	tokens   tokenSet // task tokens seen by the tests
}

var shared struct {
	once sync.Once
	env  *env
	err  error
}

// sharedEnv starts the shared stack on first use.
func sharedEnv(t *testing.T) *env {
	t.Helper()
	_, cdkOut := synthesized(t)
	shared.once.Do(func() { shared.env, shared.err = startEnv(cdkOut) })
	if shared.err != nil {
		t.Fatal(shared.err)
	}
	return shared.env
}

func closeShared() {
	if shared.env != nil {
		shared.env.stack.Close()
	}
}

func startEnv(cdkOut string) (*env, error) {
	dir := filepath.Join(fixture.tmp, "shared")
	log := &lockedBuffer{}
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Minute)
	defer cancel()
	start := time.Now()
	st, err := Start(ctx, Options{CDKOut: cdkOut, Addr: "127.0.0.1:0", InMemory: true, DataDir: dir,
		OutputsFile: filepath.Join(dir, "outputs.json"), Stdout: log, Verbose: true})
	if err != nil {
		return nil, fmt.Errorf("start the local stack: %w\n%s", err, log.String())
	}
	fmt.Fprintf(os.Stderr, "stack tests: started the local stack in %s\n", time.Since(start).Round(time.Millisecond))
	return newEnv(st.Endpoint(), st.Outputs()[appStack], st, log), nil
}

// sdkConfig points the AWS SDK at endpoint with dummy credentials.
func sdkConfig(endpoint string) aws.Config {
	return aws.Config{
		Region:       "us-east-1",
		Credentials:  credentials.NewStaticCredentialsProvider("local", "local", ""),
		BaseEndpoint: aws.String(endpoint),
	}
}

// docSeq numbers documents so that ids are fresh within a run; the time
// makes them fresh across runs.
var docSeq atomic.Int64

// newDocumentID returns an id no earlier run used.
func newDocumentID(what string) string {
	return fmt.Sprintf("e2e-%d-%d-%s", time.Now().Unix(), docSeq.Add(1), what)
}

// startInput is the execution input for a document (DESIGN.md contract).
func startInput(id string) string {
	b, _ := json.Marshal(map[string]string{"documentId": id})
	return string(b)
}

// tokenSet collects task tokens the tests saw, to look for them in the log.
type tokenSet struct {
	mu sync.Mutex
	m  map[string]bool
}

func (s *tokenSet) add(token string) {
	if token == "" {
		return
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.m == nil {
		s.m = map[string]bool{}
	}
	s.m[token] = true
}

func (s *tokenSet) list() []string {
	s.mu.Lock()
	defer s.mu.Unlock()
	out := make([]string, 0, len(s.m))
	for tok := range s.m {
		out = append(out, tok)
	}
	return out
}

// eventually polls cond every interval until it reports done, failing the
// test after timeout.
func eventually(t testing.TB, timeout, interval time.Duration, what string, cond func() (bool, error)) {
	t.Helper()
	deadline := time.Now().Add(timeout)
	for {
		done, err := cond()
		if done {
			return
		}
		if time.Now().After(deadline) {
			t.Fatalf("%s: not after %s (last error: %v)", what, timeout, err)
		}
		time.Sleep(interval)
	}
}
