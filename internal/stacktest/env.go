package stacktest

import (
	"context"
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"sync"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/credentials"
	"github.com/aws/aws-sdk-go-v2/service/dynamodb"
	"github.com/aws/aws-sdk-go-v2/service/kms"
	"github.com/aws/aws-sdk-go-v2/service/lambda"
	"github.com/aws/aws-sdk-go-v2/service/s3"
	"github.com/aws/aws-sdk-go-v2/service/sfn"

	"github.com/hitl-go/docsign/internal/contract"
	"github.com/hitl-go/docsign/internal/documents"
	"github.com/hitl-go/docsign/internal/logtest"
	"github.com/hitl-go/docsign/local/stack"
)

// Env is a running local stack of the app as the tests see it: its
// endpoint, outputs, log and SDK clients.
type Env struct {
	Stack      *stack.Stack // nil for a stack in another process
	Endpoint   string
	Log        *logtest.Buffer // everything the stack wrote: summary, functions, engine, dynalite
	Machine    string          // StateMachineArn output
	Table      string          // TableName output
	Complete   string          // CompleteSignatureFunctionName output
	Request    string          // RequestSignatureFunctionName output
	Bucket     string          // DocumentBucketName output: documents/<documentId> live there
	SigningKey string          // SigningKeyArn output: the KMS key that seals signatures
	APIURL     string          // ApiUrl output: the local HTTP API's base URL, ending in "/"
	Topic      string          // NotificationTopicArn output
	SFN        *sfn.Client
	DB         *dynamodb.Client
	Lambda     *lambda.Client
	S3         *s3.Client // path-style, as the stack's functions address it (internal/documents)
	KMS        *kms.Client
	Tokens     TokenSet // task tokens seen by the tests
}

// NewEnv is the test view of a stack at endpoint with the app's outputs;
// st is nil for a stack in another process.
func NewEnv(endpoint string, outputs map[string]string, st *stack.Stack, log *logtest.Buffer) *Env {
	cfg := Config(endpoint)
	return &Env{Stack: st, Endpoint: endpoint, Log: log,
		Machine: outputs[contract.OutputStateMachineARN], Table: outputs[contract.OutputTableName],
		Complete:   outputs[contract.OutputCompleteSignatureFunctionName],
		Request:    outputs[contract.OutputRequestSignatureFunctionName],
		Bucket:     outputs[contract.OutputDocumentBucketName],
		SigningKey: outputs[contract.OutputSigningKeyARN],
		APIURL:     outputs[contract.OutputAPIURL], Topic: outputs[contract.OutputNotificationTopicARN],
		SFN: sfn.NewFromConfig(cfg), DB: dynamodb.NewFromConfig(cfg), Lambda: lambda.NewFromConfig(cfg),
		S3: documents.NewClient(cfg), KMS: kms.NewFromConfig(cfg)}
}

// EnvAt is the test view of a stack at endpoint whose outputs file is
// outputsFile, e.g. one `signctl local` runs.
func EnvAt(t testing.TB, endpoint, outputsFile string, log *logtest.Buffer) *Env {
	t.Helper()
	return NewEnv(endpoint, ReadOutputs(t, outputsFile)[contract.StackName], nil, log)
}

// ReadOutputs reads an outputs file: stack name → output key → value.
func ReadOutputs(t testing.TB, file string) map[string]map[string]string {
	t.Helper()
	data, err := os.ReadFile(file)
	if err != nil {
		t.Fatalf("outputs file: %v", err)
	}
	var out map[string]map[string]string
	if err := json.Unmarshal(data, &out); err != nil {
		t.Fatalf("outputs file: %v\n%s", err, data)
	}
	return out
}

// Config points the AWS SDK at endpoint with dummy credentials.
func Config(endpoint string) aws.Config {
	return aws.Config{
		Region:       "us-east-1",
		Credentials:  credentials.NewStaticCredentialsProvider("local", "local", ""),
		BaseEndpoint: aws.String(endpoint),
	}
}

var shared struct {
	once sync.Once
	env  *Env
	err  error
}

// Shared returns the stack of the synthesized app shared by the test
// binary's tests, starting it on first use (in memory, verbose); Main
// stops it.
func Shared(t testing.TB) *Env {
	t.Helper()
	_, cdkOut := Synthesized(t)
	shared.once.Do(func() { shared.env, shared.err = startShared(cdkOut) })
	if shared.err != nil {
		t.Fatal(shared.err)
	}
	return shared.env
}

func closeShared() {
	if shared.env != nil {
		shared.env.Stack.Close()
	}
}

func startShared(cdkOut string) (*Env, error) {
	start := time.Now()
	e, err := startApp(cdkOut, filepath.Join(fixture.tmp, "shared"), true, 5*time.Minute)
	if err == nil {
		fmt.Fprintf(os.Stderr, "stacktest: started the local stack in %s\n", time.Since(start).Round(time.Millisecond))
	}
	return e, err
}

// startApp starts a stack of the app at cdkOut, verbose, on a free port
// with its data in dataDir (on disk unless inMemory), its output in Log. A
// dynalite that dies stays down until a test restarts it
// (Stack.RestartDynamoDB): the fault tests look at the stack meanwhile.
func startApp(cdkOut, dataDir string, inMemory bool, within time.Duration) (*Env, error) {
	log := &logtest.Buffer{}
	ctx, cancel := context.WithTimeout(context.Background(), within)
	defer cancel()
	st, err := stack.Start(ctx, stack.Options{CDKOut: cdkOut, Addr: "127.0.0.1:0", InMemory: inMemory, DataDir: dataDir,
		OutputsFile: filepath.Join(dataDir, "outputs.json"), Stdout: log, Verbose: true, DynamoDBRestartDelay: time.Hour})
	if err != nil {
		return nil, fmt.Errorf("start the local stack: %w\n%s", err, log.String())
	}
	return NewEnv(st.Endpoint(), st.Outputs()[contract.StackName], st, log), nil
}

// Start starts a stack for one test, in memory on a free port (unless opts
// say otherwise) with its files in a temporary directory, and closes it
// when the test ends, failing the test if Close fails.
func Start(t *testing.T, opts stack.Options) (*stack.Stack, error) {
	t.Helper()
	dir := t.TempDir()
	if opts.Addr == "" {
		opts.Addr = "127.0.0.1:0"
	}
	opts.InMemory, opts.DataDir = true, dir
	if opts.OutputsFile == "" {
		opts.OutputsFile = filepath.Join(dir, "outputs.json")
	}
	ctx, cancel := context.WithTimeout(context.Background(), 2*time.Minute)
	defer cancel()
	st, err := stack.Start(ctx, opts)
	if err == nil {
		t.Cleanup(func() {
			if err := st.Close(); err != nil {
				t.Errorf("Close: %v", err)
			}
		})
	}
	return st, err
}

// StartApp starts a stack of the app at cdkOut for one test, verbose, with
// its data in dataDir (on disk unless inMemory), stopped when the test ends.
func StartApp(t *testing.T, cdkOut, dataDir string, inMemory bool) *Env {
	t.Helper()
	start := time.Now()
	e, err := startApp(cdkOut, dataDir, inMemory, 3*time.Minute)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() {
		if err := e.Stack.Close(); err != nil {
			t.Errorf("Close: %v", err)
		}
	})
	t.Logf("started the local stack in %s", time.Since(start).Round(time.Millisecond))
	return e
}

// TokenSet collects task tokens the tests saw, to look for them in a log.
type TokenSet struct {
	mu sync.Mutex
	m  map[string]bool
}

// Add records token; "" is ignored.
func (s *TokenSet) Add(token string) {
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

// List returns the tokens recorded, in no order.
func (s *TokenSet) List() []string {
	s.mu.Lock()
	defer s.mu.Unlock()
	out := make([]string, 0, len(s.m))
	for tok := range s.m {
		out = append(out, tok)
	}
	return out
}
