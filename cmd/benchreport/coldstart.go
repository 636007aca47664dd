package main

import (
	"context"
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"time"

	"github.com/hitl-go/docsign/local/lambda"
)

// coldStart is one function's bootstrap sizes and cold starts.
type coldStart struct {
	Function, Package  string
	BinBytes, ZipBytes int64 // the linux/arm64 bootstrap, and zipped
	// Starts are from process start to the first invocation answered;
	// PeakRSS is each instance's VmHWM after it.
	Starts  []time.Duration
	PeakRSS []int64
	Answer  string // what the first invocation answered
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

// coldStarts starts the function's instance afresh coldSamples times (after
// one unmeasured start that reads the binary into the page cache).
func (r *runner) coldStarts(ctx context.Context, endpoint string, c *coldStart) error {
	fn, ok := r.function(c.Function)
	if !ok {
		return fmt.Errorf("no function %s", c.Function)
	}
	for i := range r.cfg.coldSamples + 1 {
		payload, want, err := coldPayload(c.Function, fmt.Sprintf("cold-%d-%d", time.Now().UnixNano(), i))
		if err != nil {
			return err
		}
		took, hwm, answer, err := coldStartOnce(ctx, functionEnv(endpoint), fn, r.bins[c.Function], payload)
		if err != nil {
			return fmt.Errorf("%s cold start: %w", c.Function, err)
		}
		if answer != want {
			return fmt.Errorf("%s cold start answered %s, want %s", c.Function, answer, want)
		}
		if i > 0 {
			c.Starts, c.PeakRSS, c.Answer = append(c.Starts, took), append(c.PeakRSS, hwm), answer
		}
	}
	return nil
}

func (r *runner) function(label string) (functionInfo, bool) {
	for _, fn := range r.fns {
		if fn.Label == label {
			return fn, true
		}
	}
	return functionInfo{}, false
}

// coldStartOnce runs the function's first invocation on a new host and
// returns its duration, the instance's peak RSS and its answer.
func coldStartOnce(ctx context.Context, env map[string]string, fn functionInfo, bin string, payload []byte) (time.Duration, int64, string, error) {
	h := lambda.NewHost(lambda.Options{Env: env})
	defer h.Close()
	cfg := lambda.FunctionConfig{Name: fn.Name, Executable: bin, Env: fn.Environment, Timeout: fn.Timeout, MemoryMB: fn.MemorySize}
	if err := h.Register(cfg); err != nil {
		return 0, 0, "", err
	}
	began := time.Now()
	out, err := h.Invoke(ctx, fn.Name, payload)
	took := time.Since(began)
	if err != nil {
		return 0, 0, "", err
	}
	var hwm int64
	for _, p := range tree(os.Getpid(), 0) {
		if p.Exe == bin {
			hwm = max(hwm, p.HWM)
		}
	}
	return took, hwm, answerOf(out), nil
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

// coldPayload is a first invocation for each function, and the answer it
// must get: complete-signature is asked for a request that does not exist
// (one DynamoDB round trip, nothing to resume).
func coldPayload(label, id string) ([]byte, string, error) {
	var v any
	want := "success"
	switch label {
	case "signdocument":
		v = map[string]string{"documentId": id, "signer": "Alice"}
	case "requestsignature":
		v = map[string]any{"taskToken": "placeholder-not-a-task-token", "documentId": id, "signer": "Bob",
			"executionArn":   "arn:aws:states:us-east-1:000000000000:execution:ColdStart:" + id,
			"startedAt":      time.Now().UTC().Format(time.RFC3339),
			"timeoutSeconds": 300}
	case "completesignature":
		v, want = map[string]string{"documentId": id}, "SignatureRequestNotFound"
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
