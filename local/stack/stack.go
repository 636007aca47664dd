// Package stack runs a synthesized CDK app's resources on one loopback
// endpoint: every stack in the cloud assembly (cdk.out) gets its DynamoDB
// tables in dynalite, its S3 buckets, KMS signing keys and SNS topics in
// this process, its Go Lambda functions built for this machine and run
// under the Lambda Runtime API, its state machines in the local Step
// Functions engine and its HTTP APIs in the local API Gateway, both wired
// to those functions. One HTTP server answers the Step Functions, DynamoDB,
// Lambda, S3 (path-style), KMS and SNS APIs, every HTTP API (under
// /_api/<id>/, where the templates' ApiEndpoint resolves), the SNS outbox
// (contract.OutboxPath) and the web console, so AWS_ENDPOINT_URL=<endpoint>
// works for the AWS CLI and SDKs.
//
// Start writes an outputs file shaped like `cdk deploy --outputs-file` once
// everything is ready; Close stops every child process (which also die with
// this process however it ends: process groups and a parent-death signal).
package stack

import (
	"context"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"log"
	"log/slog"
	"net"
	"net/http"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"time"

	"github.com/hitl-go/docsign/local/apigateway"
	"github.com/hitl-go/docsign/local/cloudformation"
	"github.com/hitl-go/docsign/local/console"
	"github.com/hitl-go/docsign/local/dynamodb"
	"github.com/hitl-go/docsign/local/kms"
	"github.com/hitl-go/docsign/local/lambda"
	"github.com/hitl-go/docsign/local/s3"
	"github.com/hitl-go/docsign/local/sns"
	"github.com/hitl-go/docsign/local/stepfunctions"
)

// Defaults for Options.
const (
	DefaultCDKOut      = "cdk.out"
	DefaultOutputsFile = "cdk-outputs.local.json"
	DefaultDataDir     = ".local" // in the repository root
)

// Options configure Start.
type Options struct {
	// CDKOut is the cloud assembly directory; default DefaultCDKOut.
	CDKOut string
	// Addr is the loopback host:port to serve on; default DefaultAddr.
	// A port of 0 picks a free one (see Endpoint).
	Addr string
	// OutputsFile receives the stacks' outputs once everything is ready;
	// default DefaultOutputsFile.
	OutputsFile string
	// DataDir holds the DynamoDB data (DataDir/dynamodb), the S3 objects
	// (DataDir/s3), the KMS keys' material (DataDir/kms), the SNS outbox
	// (DataDir/sns) and the functions' binaries (DataDir/bin); default
	// DefaultDataDir in the repository root.
	DataDir string
	// InMemory keeps the DynamoDB data, S3 objects, KMS keys and SNS outbox
	// in memory: nothing survives Close.
	InMemory bool
	// Region and AccountID the stack stands in for; default us-east-1 and
	// 000000000000.
	Region    string
	AccountID string
	// Stdout receives what runs where; nil discards it.
	Stdout io.Writer
	// Log receives the services' own output: function logs prefixed by
	// function name, the engine's, dynalite's, and a line per HTTP API
	// request (method, route, status: what an access log holds); nil means
	// Stdout. Each line is one Write. No message body, signing link or task
	// token is ever written to it.
	Log io.Writer
	// Verbose also logs every Step Functions, KMS and SNS API request
	// (operation, and the error code of a refused one) to Log.
	Verbose bool
	// IAMKeys, when not empty, are the only access keys (id → secret) the
	// HTTP APIs' AWS_IAM routes accept, and their signatures are checked;
	// empty accepts any well-formed SigV4 signature for the region, as the
	// other local APIs accept any credentials.
	IAMKeys map[string]string
	// DynamoDBRestartDelay is how long after dynalite died unexpectedly the
	// stack starts it again; default dynamodb.DefaultRestartDelay. Fault
	// tests hold a killed dynalite down with a long one.
	DynamoDBRestartDelay time.Duration
}

func (o Options) withDefaults() Options {
	if o.CDKOut == "" {
		o.CDKOut = DefaultCDKOut
	}
	if o.Addr == "" {
		o.Addr = DefaultAddr
	}
	if o.OutputsFile == "" {
		o.OutputsFile = DefaultOutputsFile
	}
	if o.Region == "" {
		o.Region = cloudformation.DefaultRegion
	}
	if o.AccountID == "" {
		o.AccountID = cloudformation.DefaultAccountID
	}
	if o.Stdout == nil {
		o.Stdout = io.Discard
	}
	stdout := &lockedWriter{w: o.Stdout}
	if o.Log == nil {
		o.Log = stdout
	} else {
		o.Log = &lockedWriter{w: o.Log}
	}
	o.Stdout = stdout
	return o
}

// Stack is a running local stack.
type Stack struct {
	opts     Options
	assembly *cloudformation.Assembly
	endpoint string
	notes    []string // settings the stack does not emulate

	listener  net.Listener
	server    *http.Server
	served    chan struct{} // closed when Serve returns
	dynamo    *dynamodb.Service
	s3        *s3.Service
	kms       *kms.Service
	sns       *sns.Service
	apis      *apigateway.Service
	host      *lambda.Host
	engine    *stepfunctions.Service
	logPrefix []*prefixWriter

	closeOnce sync.Once
	closeErr  error
}

// Start loads the cloud assembly, starts every service, serves them on
// opts.Addr and writes the outputs file. ctx bounds the start-up only. A
// problem with the project or the machine is a *SetupError (or *BuildError)
// whose message is one line naming the fix.
func Start(ctx context.Context, opts Options) (*Stack, error) {
	opts = opts.withDefaults()
	// The port comes first: the templates' ApiEndpoint attributes resolve to
	// URLs on it.
	ln, err := listen(opts.Addr)
	if err != nil {
		return nil, err
	}
	endpoint := "http://" + ln.Addr().String()
	root, asm, err := prepare(&opts, endpoint)
	if err != nil {
		ln.Close()
		return nil, err
	}
	s := &Stack{opts: opts, assembly: asm, listener: ln, endpoint: endpoint}
	if types := asm.NotEmulated(); len(types) > 0 {
		fmt.Fprintf(opts.Stdout, "not emulated (ignored): %s\n", strings.Join(types, ", "))
	}
	for _, note := range asm.Notes() {
		fmt.Fprintf(opts.Stdout, "note: %s\n", note)
	}
	if err := s.start(ctx, root); err != nil {
		s.Close()
		return nil, err
	}
	if err := asm.WriteOutputsFile(opts.OutputsFile); err != nil {
		s.Close()
		return nil, &SetupError{Problem: err.Error(), Fix: "pass a writable --outputs-file", Err: err}
	}
	s.printSummary(root)
	return s, nil
}

// prepare resolves the cloud assembly for a stack served at endpoint,
// finds the module root, makes the data directory (defaulting
// opts.DataDir) and removes the outputs file an earlier run left.
func prepare(opts *Options, endpoint string) (string, *cloudformation.Assembly, error) {
	asm, err := cloudformation.Load(opts.CDKOut, cloudformation.Options{Region: opts.Region, AccountID: opts.AccountID,
		APIEndpoint: func(id string) string { return apiEndpoint(endpoint, id) }})
	if err != nil {
		return "", nil, explainAssembly(opts.CDKOut, err)
	}
	root, err := moduleRoot(filepath.Dir(opts.CDKOut), ".")
	if err != nil {
		return "", nil, err
	}
	if opts.DataDir == "" {
		opts.DataDir = filepath.Join(root, DefaultDataDir)
	}
	if err := privateDir(opts.DataDir); err != nil {
		return "", nil, &SetupError{Problem: "cannot create the data directory " + opts.DataDir + ": " + err.Error(),
			Fix: "pass another --data-dir", Err: err}
	}
	// A file left by an earlier run must not look ready before this one is
	// (removed only once the port is ours: it may be a running stack's).
	if err := os.Remove(opts.OutputsFile); err != nil && !errors.Is(err, fs.ErrNotExist) {
		return "", nil, &SetupError{Problem: "cannot replace " + opts.OutputsFile + ": " + err.Error(),
			Fix: "pass another --outputs-file", Err: err}
	}
	return root, asm, nil
}

// start starts the services and the server.
func (s *Stack) start(ctx context.Context, root string) error {
	var binaries map[string]string
	buildCtx, cancelBuilds := context.WithCancel(ctx)
	defer cancelBuilds()
	built := make(chan error, 1)
	go func() { // while dynalite starts
		var err error
		binaries, err = buildFunctions(buildCtx, root, filepath.Join(s.opts.DataDir, "bin"), s.functions())
		built <- err
	}()
	if err := s.startDynamoDB(ctx); err != nil {
		cancelBuilds()
		<-built
		return err
	}
	if err := <-built; err != nil {
		return err
	}
	if err := s.startS3(); err != nil {
		return err
	}
	if err := s.startKMS(); err != nil {
		return err
	}
	if err := s.startSNS(); err != nil {
		return err
	}
	s.host = lambda.NewHost(lambda.Options{Region: s.opts.Region, AccountID: s.opts.AccountID,
		Logs: s.opts.Log, Env: platformEnv(s.endpoint, s.opts.Region)})
	if err := registerFunctions(s.host, s.functions(), binaries); err != nil {
		return err
	}
	if err := s.startEngine(); err != nil {
		return err
	}
	if err := s.startAPIs(); err != nil {
		return err
	}
	s.serve()
	return nil
}

// startDynamoDB starts dynalite and creates every stack's tables in it.
func (s *Stack) startDynamoDB(ctx context.Context) error {
	svc, err := dynamodb.Start(ctx, dynamodb.Options{Dir: s.dynamoDBDir(), Stderr: s.prefixed("[dynalite] "), Region: s.opts.Region,
		RestartDelay: s.opts.DynamoDBRestartDelay})
	if err != nil {
		return explainDynamoDB(err)
	}
	s.dynamo = svc
	if svc.StaleLockCleared() {
		s.notes = append(s.notes, "cleared the DynamoDB lock left by a run that was killed")
	}
	for _, st := range s.assembly.Stacks {
		notes, err := svc.CreateTables(ctx, st.Tables)
		if err != nil {
			return fmt.Errorf("stack %s: create tables: %w", st.Name, err)
		}
		s.notes = append(s.notes, notes...)
	}
	return nil
}

// dynamoDBDir is where dynalite keeps its data; "" keeps it in memory.
func (s *Stack) dynamoDBDir() string {
	if s.opts.InMemory {
		return ""
	}
	return filepath.Join(s.opts.DataDir, "dynamodb")
}

// RestartDynamoDB has the stack start dynalite again on the same data now,
// rather than after its restart delay, after its process died (killed, or
// crashed). It reports whether the new one cleared the lock the dead one
// left. Tables are not created again: on disk they survived, in memory they
// are gone.
func (s *Stack) RestartDynamoDB(ctx context.Context) (staleLockCleared bool, err error) {
	if err := s.dynamo.Restart(ctx); err != nil {
		return false, fmt.Errorf("restart DynamoDB: %w", explainDynamoDB(err))
	}
	return s.dynamo.StaleLockCleared(), nil
}

// startEngine creates every stack's state machines in the engine.
func (s *Stack) startEngine() error {
	s.engine = stepfunctions.New(stepfunctions.Options{Region: s.opts.Region, AccountID: s.opts.AccountID,
		Invoker: stepfunctions.InvokerFunc(invokeOn(s.host)), Logger: s.logger("[stepfunctions] ")})
	for _, st := range s.assembly.Stacks {
		for _, sm := range st.StateMachines {
			arn, err := s.engine.CreateStateMachine(sm.Name, sm.Definition, sm.RoleARN)
			if err != nil {
				return fmt.Errorf("stack %s: state machine %s (%s): %w", st.Name, sm.Name, sm.LogicalID, err)
			}
			if arn != sm.ARN {
				return fmt.Errorf("stack %s: state machine %s: the engine named it %s, the outputs say %s",
					st.Name, sm.LogicalID, arn, sm.ARN)
			}
			if sm.Type == "EXPRESS" {
				s.notes = append(s.notes, "state machine "+sm.Name+" is EXPRESS: it runs as STANDARD locally")
			}
		}
	}
	return nil
}

// serve starts the one HTTP server.
func (s *Stack) serve() {
	rt := &router{
		stepFunctions: s.engine.Handler(),
		dynamoDB:      s.dynamo.Handler(),
		lambda:        s.host.Handler(),
		s3:            s.s3,
		kms:           s.kms,
		sns:           s.sns,
		apis:          s.apis,
		outbox:        &outbox{entries: s.sns.Outbox, apiURLs: s.apiURLs()},
		console:       console.Handler(console.Options{Outputs: s.assembly.Outputs()}),
	}
	s.server = &http.Server{Handler: rt, ReadHeaderTimeout: 10 * time.Second,
		ErrorLog: log.New(s.prefixed("[http] "), "", 0)}
	s.served = make(chan struct{})
	go func() {
		defer close(s.served)
		_ = s.server.Serve(s.listener) // returns when Close shuts it down
	}()
}

// functions lists every stack's functions.
func (s *Stack) functions() []cloudformation.Function {
	var fns []cloudformation.Function
	for _, st := range s.assembly.Stacks {
		fns = append(fns, st.Functions...)
	}
	return fns
}

// privateDir creates dir, and tightens one an earlier run created, to the
// owner's only (0700): it holds the DynamoDB data, task tokens included.
func privateDir(dir string) error {
	if err := os.MkdirAll(dir, 0o700); err != nil {
		return err
	}
	return os.Chmod(dir, 0o700)
}

// logger is a service's logger, to the log with prefix on each line: its
// debug lines (one per API request) only when Verbose.
func (s *Stack) logger(prefix string) *slog.Logger {
	level := slog.LevelInfo
	if s.opts.Verbose {
		level = slog.LevelDebug
	}
	return slog.New(slog.NewTextHandler(s.prefixed(prefix), &slog.HandlerOptions{Level: level}))
}

// prefixed returns a writer to the log that prefixes each line.
func (s *Stack) prefixed(prefix string) io.Writer {
	w := newPrefixWriter(s.opts.Log, prefix)
	s.logPrefix = append(s.logPrefix, w)
	return w
}
