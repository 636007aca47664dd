package main

import (
	"context"
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"time"

	"github.com/aws/aws-lambda-go/events"
	"github.com/hitl-go/docsign/internal/contract"
	"github.com/hitl-go/docsign/internal/documents"
	"github.com/hitl-go/docsign/internal/signature"
	"github.com/hitl-go/docsign/local/lambda"
)

// coldStart is one function's bootstrap sizes and cold starts.
type coldStart struct {
	Function, Package  string
	BinBytes, ZipBytes int64 // the linux/arm64 bootstrap, and zipped
	// Starts are from process start to the first invocation answered;
	// Warm are the same instance's second invocations, for comparison;
	// PeakRSS is each instance's VmHWM after both.
	Starts  []time.Duration
	Warm    []time.Duration
	PeakRSS []int64
	Answer  string // what the first invocation answered
	// StartsNoIO are cold starts whose first invocation makes no call.
	StartsNoIO []time.Duration
	AnswerNoIO string
}

// coldStartsAndCost measures cold starts, then the cost of a document, on
// one stack (the functions reach its S3, KMS, DynamoDB and Step Functions).
func (r *runner) coldStartsAndCost(ctx context.Context) error {
	ls, err := startLocalStack(ctx, r.cfg.cdkOut, filepath.Join(r.cfg.dataDir, "tools"), r.fns)
	if err != nil {
		return err
	}
	defer ls.Close()
	c, err := newClients(ctx, ls)
	if err != nil {
		return err
	}
	if err := r.checkEnvironment(c); err != nil {
		return err
	}
	in, err := r.prepareColdStarts(ctx, ls, c)
	if err != nil {
		return err
	}
	for i := range r.rep.Cold {
		if err := r.coldStarts(ctx, ls.Endpoint(), in, &r.rep.Cold[i]); err != nil {
			return err
		}
	}
	if r.rep.Floor, err = r.floorStarts(ctx, ls.Endpoint()); err != nil {
		r.note("the floor function's cold starts were not measured: %v", err) // they only explain the others
	}
	cost, err := r.measureCost(ctx, ls, c)
	r.rep.Cost = cost
	return err
}

// checkEnvironment checks that the environment the harness gives each
// function — the template's, resolved by local/cloudformation as the stack
// resolves it — names the stack's own bucket, key and table, so that a
// cold start works where the stack's functions do.
func (r *runner) checkEnvironment(c *clients) error {
	want := map[string]string{contract.EnvDocumentBucket: c.bucket, contract.EnvSigningKeyARN: c.keyARN, contract.EnvTableName: c.table}
	for _, fn := range r.fns {
		for name, v := range fn.Environment {
			if w, ok := want[name]; ok && v != w {
				return fmt.Errorf("%s's environment has %s=%s, the stack's output says %s", fn.Label, name, v, w)
			}
		}
	}
	return nil
}

// coldInputs is what the cold starts' work refers to: a document uploaded
// to the stack's bucket and pinned, and runs waiting on Bob, one for each
// complete-signature invocation to finish.
type coldInputs struct {
	documentID string
	document   signature.Document
	pending    []string
}

// coldDocumentID names the document the cold starts pin and sign.
const coldDocumentID = "cold-start"

// prepareColdStarts uploads the document and opens the runs.
func (r *runner) prepareColdStarts(ctx context.Context, ls *localStack, c *clients) (*coldInputs, error) {
	doc, err := documents.Put(ctx, c.s3, c.bucket, coldDocumentID, []byte("Cold-start document for benchreport.\n"), "")
	if err != nil {
		return nil, err
	}
	// two invocations a sample, and the unmeasured round
	pending, _, err := r.openRuns(ctx, ls, c, 2*(r.cfg.coldSamples+1), false)
	if err != nil {
		return nil, err
	}
	return &coldInputs{documentID: coldDocumentID, document: doc, pending: pending}, nil
}

// coldKind is what a cold start's first invocation asks of the function.
type coldKind int

const (
	// coldWork is the function's work, with its calls through the local
	// stack (see coldInputs.payload).
	coldWork coldKind = iota
	// coldNoIO is an input the function refuses before any call: start-up
	// alone.
	coldNoIO
)

// coldStarts starts the function's instance afresh coldSamples times per
// kind (after one unmeasured round that reads the binary into the page
// cache).
func (r *runner) coldStarts(ctx context.Context, endpoint string, in *coldInputs, c *coldStart) error {
	fn, ok := r.function(c.Function)
	if !ok {
		return fmt.Errorf("no function %s", c.Function)
	}
	for i := range r.cfg.coldSamples + 1 {
		for _, kind := range []coldKind{coldWork, coldNoIO} {
			s, err := r.sampleColdStart(ctx, endpoint, fn, in, kind, i)
			switch {
			case err != nil:
				return err
			case i == 0:
			case kind == coldWork:
				c.Starts, c.Warm, c.PeakRSS, c.Answer = append(c.Starts, s.cold), append(c.Warm, s.warm), append(c.PeakRSS, s.hwm), s.answer
			default:
				c.StartsNoIO, c.AnswerNoIO = append(c.StartsNoIO, s.cold), s.answer
			}
		}
	}
	return nil
}

// floorStarts measures the floor function's cold starts as coldStarts
// does the others', with the timeout, memory and Go runtime setting
// (GOMAXPROCS) the template gives the first function (loadFunctions found
// at least one).
func (r *runner) floorStarts(ctx context.Context, endpoint string) ([]time.Duration, error) {
	bin, ok := r.bins[floorLabel]
	if !ok {
		return nil, fmt.Errorf("%s was not built", floorPackage)
	}
	first := r.fns[0]
	fn := functionInfo{Label: floorLabel}
	fn.Name, fn.Timeout, fn.MemorySize = floorLabel, first.Timeout, first.MemorySize
	if procs, ok := first.Environment[contract.EnvGoMaxProcs]; ok {
		fn.Environment = map[string]string{contract.EnvGoMaxProcs: procs}
	}
	var starts []time.Duration
	for i := range r.cfg.coldSamples + 1 {
		s, err := coldStartOnce(ctx, functionEnv(endpoint), fn, bin, [2][]byte{[]byte("{}"), []byte("{}")})
		if err == nil && s.answer != "success" {
			err = fmt.Errorf("answered %s", s.answer)
		}
		if err != nil {
			return nil, fmt.Errorf("floor cold start: %w", err)
		}
		if i > 0 { // the first round reads the binary into the page cache
			starts = append(starts, s.cold)
		}
	}
	return starts, nil
}

// coldSample is one instance's first and second invocations.
type coldSample struct {
	cold, warm time.Duration
	hwm        int64
	answer     string
}

// sampleColdStart starts one instance and invokes it twice with the kind's input.
func (r *runner) sampleColdStart(ctx context.Context, endpoint string, fn functionInfo, in *coldInputs, kind coldKind, i int) (coldSample, error) {
	var payloads [2][]byte
	var want string
	for j := range payloads {
		var err error
		if payloads[j], want, err = in.payload(fn.Label, kind, fmt.Sprintf("cold-%d-%d-%d", time.Now().UnixNano(), i, j)); err != nil {
			return coldSample{}, err
		}
	}
	s, err := coldStartOnce(ctx, functionEnv(endpoint), fn, r.bins[fn.Label], payloads)
	if err != nil {
		return s, fmt.Errorf("%s cold start: %w", fn.Label, err)
	}
	if s.answer != want {
		return s, fmt.Errorf("%s cold start answered %s, want %s", fn.Label, s.answer, want)
	}
	return s, nil
}

func (r *runner) function(label string) (functionInfo, bool) {
	for _, fn := range r.fns {
		if fn.Label == label {
			return fn, true
		}
	}
	return functionInfo{}, false
}

// coldStartOnce runs the function's first two invocations on a new host
// and returns their durations, the instance's peak RSS and the first answer.
func coldStartOnce(ctx context.Context, env map[string]string, fn functionInfo, bin string, payloads [2][]byte) (coldSample, error) {
	h := lambda.NewHost(lambda.Options{Env: env})
	defer h.Close()
	cfg := lambda.FunctionConfig{Name: fn.Name, Executable: bin, Env: fn.Environment, Timeout: fn.Timeout, MemoryMB: fn.MemorySize}
	if err := h.Register(cfg); err != nil {
		return coldSample{}, err
	}
	var s coldSample
	for i, payload := range payloads {
		began := time.Now()
		out, err := h.Invoke(ctx, fn.Name, payload)
		took := time.Since(began)
		if err != nil {
			return coldSample{}, err
		}
		if i == 0 {
			s.cold, s.answer = took, answerOf(out)
		} else {
			s.warm = took
		}
	}
	for _, p := range tree(os.Getpid(), 0) {
		if p.Exe == bin {
			s.hwm = max(s.hwm, p.HWM)
		}
	}
	return s, nil
}

// answerOf names an invocation's outcome: "success" or the errorType.
func answerOf(out *lambda.InvokeOutput) string {
	if out.FunctionError == "" {
		return "success"
	}
	var e struct{ ErrorType string }
	_ = json.Unmarshal(out.Payload, &e)
	return e.ErrorType
}

// coldExecutionARN is the run sign-document signs in during cold starts:
// one run throughout, so that every invocation may record the signature
// again (tokenstore.Store.Record).
const coldExecutionARN = "arn:aws:states:us-east-1:000000000000:execution:ColdStart:" + coldDocumentID

// payload is a first invocation of each kind for each function, and the
// answer it must get. The work: pin-document pins the uploaded document
// (S3 GetObject); sign-document checks it and signs (S3 GetObject, KMS
// Sign, DynamoDB PutItem); request-signature stores a request (PutItem);
// complete-signature signs for Bob in one of the runs waiting on him
// (DynamoDB, S3 GetObject, KMS Sign, SendTaskSuccess). id names what is
// new in each invocation.
func (in *coldInputs) payload(label string, kind coldKind, id string) ([]byte, string, error) {
	var v any
	want := "success"
	switch {
	case kind == coldNoIO && (label == "signpage" || label == "documentsapi"):
		// The HTTP API's functions answer a route they do not serve with a
		// 404 response, before any call.
		v = events.APIGatewayV2HTTPRequest{Version: "2.0", RouteKey: "GET /nowhere", RawPath: "/nowhere"}
	case kind == coldNoIO:
		v, want = contract.CompleteInput{DocumentID: id, Decision: "maybe"}, contract.ErrorInvalidInput
	case label == "signpage": // the page of Bob's request (DynamoDB GetItem, S3 HeadObject)
		v = apiEvent(contract.RouteKeyGetSignPage, map[string]string{
			contract.DocumentIDPathParameter: in.documentID, contract.SignerPathParameter: contract.DefaultSigner}, false)
	case label == "documentsapi": // the run and its signers (DescribeExecution, DynamoDB Query)
		v = apiEvent(contract.RouteKeyGetDocument, map[string]string{contract.DocumentIDPathParameter: in.documentID}, true)
	case label == "pindocument":
		v = map[string]string{"documentId": in.documentID, "executionName": in.documentID}
	case label == "signdocument":
		v = map[string]any{"documentId": in.documentID, "document": in.document, "signer": "Alice", "executionArn": coldExecutionARN}
	case label == "requestsignature":
		v = requestEvent(id, twinDocument(in.document, id), "arn:aws:states:us-east-1:000000000000:execution:ColdStart:"+id)
	case label == "completesignature":
		if len(in.pending) == 0 {
			return nil, "", fmt.Errorf("no run left waiting on Bob for complete-signature")
		}
		v = contract.CompleteInput{DocumentID: in.pending[0]}
		in.pending = in.pending[1:]
	default:
		return nil, "", fmt.Errorf("no cold-start payload for function package %s", label)
	}
	b, err := json.Marshal(v)
	return b, want, err
}

// apiEvent is the HTTP API's payload 2.0 event for a route, signed by an
// IAM user when iam is set.
func apiEvent(routeKey string, params map[string]string, iam bool) events.APIGatewayV2HTTPRequest {
	method, path, _ := strings.Cut(routeKey, " ")
	for name, value := range params {
		path = strings.ReplaceAll(path, "{"+name+"}", value)
	}
	ev := events.APIGatewayV2HTTPRequest{Version: "2.0", RouteKey: routeKey, RawPath: path, PathParameters: params,
		RequestContext: events.APIGatewayV2HTTPRequestContext{HTTP: events.APIGatewayV2HTTPRequestContextHTTPDescription{Method: method, Path: path}}}
	if iam {
		ev.RequestContext.Authorizer = &events.APIGatewayV2HTTPRequestContextAuthorizerDescription{
			IAM: &events.APIGatewayV2HTTPRequestContextAuthorizerIAMDescription{
				AccessKey: "local", AccountID: "000000000000", UserARN: "arn:aws:iam::000000000000:user/local"}}
	}
	return ev
}

// requestEvent is request-signature's event for Bob, as the state machine
// sends it, with a placeholder task token.
func requestEvent(documentID string, doc signature.Document, executionARN string) map[string]any {
	return map[string]any{"taskToken": placeholderToken, "documentId": documentID, "document": doc, "signer": contract.DefaultSigner,
		"executionArn": executionARN, "startedAt": time.Now().UTC().Format(time.RFC3339), "timeoutSeconds": 300}
}

// twinDocument is doc as if pinned under documentID: request-signature
// checks the key's form (documents/<documentId>), not S3.
func twinDocument(doc signature.Document, documentID string) signature.Document {
	doc.Key = contract.DocumentKey(documentID)
	return doc
}

// functionEnv is what a function process needs besides its template
// environment to reach the local stack.
func functionEnv(endpoint string) map[string]string {
	return map[string]string{"AWS_ENDPOINT_URL": endpoint, "AWS_ACCESS_KEY_ID": "local", "AWS_SECRET_ACCESS_KEY": "local",
		"AWS_REGION": "us-east-1", "AWS_DEFAULT_REGION": "us-east-1"}
}
