package main

import (
	"context"
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"time"

	"github.com/hitl-go/docsign/internal/contract"
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
// one stack (the functions reach its DynamoDB and Step Functions).
func (r *runner) coldStartsAndCost(ctx context.Context) error {
	ls, err := startLocalStack(ctx, r.cfg.cdkOut, filepath.Join(r.cfg.dataDir, "tools"), r.fns)
	if err != nil {
		return err
	}
	defer ls.Close()
	for i := range r.rep.Cold {
		if err := r.coldStarts(ctx, ls.Endpoint(), &r.rep.Cold[i]); err != nil {
			return err
		}
	}
	cost, err := r.measureCost(ctx, ls)
	r.rep.Cost = cost
	return err
}

// coldKind is what a cold start's first invocation asks of the function.
type coldKind int

const (
	// coldWork is the function's work: for request- and complete-signature
	// one DynamoDB call through the local stack.
	coldWork coldKind = iota
	// coldNoIO is an input the function refuses before any call: start-up
	// alone (sign-document's work makes no call anyway).
	coldNoIO
)

// coldStarts starts the function's instance afresh coldSamples times per
// kind (after one unmeasured round that reads the binary into the page
// cache).
func (r *runner) coldStarts(ctx context.Context, endpoint string, c *coldStart) error {
	fn, ok := r.function(c.Function)
	if !ok {
		return fmt.Errorf("no function %s", c.Function)
	}
	for i := range r.cfg.coldSamples + 1 {
		for _, kind := range []coldKind{coldWork, coldNoIO} {
			s, err := r.sampleColdStart(ctx, endpoint, fn, kind, i)
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

// coldSample is one instance's first and second invocations.
type coldSample struct {
	cold, warm time.Duration
	hwm        int64
	answer     string
}

// sampleColdStart starts one instance and invokes it twice with the kind's input.
func (r *runner) sampleColdStart(ctx context.Context, endpoint string, fn functionInfo, kind coldKind, i int) (coldSample, error) {
	var payloads [2][]byte
	var want string
	for j := range payloads {
		var err error
		if payloads[j], want, err = coldPayload(fn.Label, kind, fmt.Sprintf("cold-%d-%d-%d", time.Now().UnixNano(), i, j)); err != nil {
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

// coldPayload is a first invocation of each kind for each function, and
// the answer it must get: complete-signature's work is asked for a request
// that does not exist (DynamoDB calls, nothing to resume).
func coldPayload(label string, kind coldKind, id string) ([]byte, string, error) {
	var v any
	want := "success"
	switch {
	case label == "signdocument":
		v = map[string]string{"documentId": id, "signer": "Alice"}
	case kind == coldNoIO && (label == "requestsignature" || label == "completesignature"):
		v, want = contract.CompleteInput{DocumentID: id, Decision: "maybe"}, contract.ErrorInvalidInput
	case label == "requestsignature":
		v = map[string]any{"taskToken": "placeholder-not-a-task-token", "documentId": id, "signer": "Bob",
			"executionArn":   "arn:aws:states:us-east-1:000000000000:execution:ColdStart:" + id,
			"startedAt":      time.Now().UTC().Format(time.RFC3339),
			"timeoutSeconds": 300}
	case label == "completesignature":
		v, want = contract.CompleteInput{DocumentID: id}, contract.ErrorSignatureRequestNotFound
	default:
		return nil, "", fmt.Errorf("no cold-start payload for function package %s", label)
	}
	b, err := json.Marshal(v)
	return b, want, err
}

// functionEnv is what a function process needs besides its template
// environment to reach the local stack.
func functionEnv(endpoint string) map[string]string {
	return map[string]string{"AWS_ENDPOINT_URL": endpoint, "AWS_ACCESS_KEY_ID": "local", "AWS_SECRET_ACCESS_KEY": "local",
		"AWS_REGION": "us-east-1", "AWS_DEFAULT_REGION": "us-east-1"}
}
