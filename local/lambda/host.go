package lambda

import (
	"context"
	"encoding/json"
	"fmt"
	"path/filepath"
	"sort"
	"sync"
	"unicode/utf8"
)

// Payload limits of Lambda's Invoke API.
const (
	MaxSyncPayload  = 6 * 1024 * 1024 // RequestResponse and DryRun
	MaxAsyncPayload = 1024 * 1024     // Event
)

// Host runs registered functions as real processes under the Lambda
// Runtime API and serves Lambda's Invoke API for them.
type Host struct {
	opts  Options
	logs  *logSink
	done  chan struct{} // closed by Close
	once  sync.Once
	procs sync.WaitGroup // instance processes not yet reaped
	async sync.WaitGroup // Event invocations still running

	mu  sync.RWMutex
	fns map[string]*function
}

// NewHost returns a Host with no functions.
func NewHost(opts Options) *Host {
	opts = opts.withDefaults()
	return &Host{opts: opts, logs: &logSink{w: opts.Logs}, done: make(chan struct{}), fns: map[string]*function{}}
}

// InvokeOutput is the result of a synchronous invocation.
type InvokeOutput struct {
	Payload         []byte // the response, or the error JSON when FunctionError is set
	FunctionError   string // "" or "Unhandled"
	ExecutedVersion string // "$LATEST"
	RequestID       string
}

// Register adds a function. Its first invocation starts its first instance.
func (h *Host) Register(cfg FunctionConfig) error {
	cfg = cfg.withDefaults(h.opts)
	if err := cfg.validate(); err != nil {
		return err
	}
	exe, err := filepath.Abs(cfg.Executable) // it runs in its own directory
	if err != nil {
		return fmt.Errorf("function %s: %w", cfg.Name, err)
	}
	cfg.Executable = exe
	f, err := newFunction(h, cfg)
	if err != nil {
		return err
	}
	h.mu.Lock()
	defer h.mu.Unlock()
	if h.closed() {
		return ErrHostClosed
	}
	if _, ok := h.fns[cfg.Name]; ok {
		return fmt.Errorf("function %s is already registered", cfg.Name)
	}
	h.fns[cfg.Name] = f
	return nil
}

// Functions returns the registered functions' configurations, defaults
// applied, by name.
func (h *Host) Functions() []FunctionConfig {
	h.mu.RLock()
	defer h.mu.RUnlock()
	out := make([]FunctionConfig, 0, len(h.fns))
	for _, f := range h.fns {
		out = append(out, f.cfg.withDefaults(h.opts)) // copies its maps
	}
	sort.Slice(out, func(i, j int) bool { return out[i].Name < out[j].Name })
	return out
}

// lookup resolves a name, partial ARN or ARN (optionally qualified) to a
// registered function. Only $LATEST exists locally.
func (h *Host) lookup(nameOrARN string) (*function, functionRef, error) {
	ref, err := parseFunctionRef(nameOrARN)
	if err != nil {
		return nil, ref, err
	}
	h.mu.RLock()
	f := h.fns[ref.Name]
	h.mu.RUnlock()
	arn := functionARN(h.opts.Partition, h.opts.Region, h.opts.AccountID, ref.Name)
	if f != nil {
		arn = f.cfg.ARN
	}
	if ref.Qualifier != "" {
		arn += ":" + ref.Qualifier
	}
	if f == nil || (ref.Qualifier != "" && ref.Qualifier != "$LATEST") || !f.matches(ref) {
		return nil, ref, &ResourceNotFoundError{ARN: arn}
	}
	return f, ref, nil
}

// matches reports whether an ARN's region and account are the function's.
func (f *function) matches(ref functionRef) bool {
	own, _ := parseFunctionRef(f.cfg.ARN)
	return (ref.Account == "" || ref.Account == own.Account) &&
		(ref.Region == "" || ref.Region == own.Region) &&
		(ref.Partition == "" || ref.Partition == own.Partition)
}

// Invoke runs the function synchronously (RequestResponse) with payload,
// which must be JSON (empty means {}). A function error is not an error:
// it is reported in the output's FunctionError and Payload.
func (h *Host) Invoke(ctx context.Context, functionNameOrARN string, payload []byte) (*InvokeOutput, error) {
	out, _, err := h.invoke(ctx, invokeRequest{function: functionNameOrARN, payload: payload})
	return out, err
}

// invokeRequest is an Invoke call as the REST API receives it.
type invokeRequest struct {
	function       string
	invocationType string // RequestResponse (""), Event or DryRun
	payload        []byte
	tail           bool
	clientContext  string // decoded JSON
}

// prepare resolves the function and checks the payload.
func (h *Host) prepare(req invokeRequest) (*function, *invocation, error) {
	if h.closed() {
		return nil, nil, ErrHostClosed
	}
	f, ref, err := h.lookup(req.function)
	if err != nil {
		return nil, nil, err
	}
	limit, typ := MaxSyncPayload, "RequestResponse"
	if req.invocationType == "Event" {
		limit, typ = MaxAsyncPayload, "Event"
	}
	if len(req.payload) > limit {
		return nil, nil, &RequestTooLargeError{Size: len(req.payload), Limit: limit, InvocationType: typ}
	}
	payload := req.payload
	if len(payload) == 0 {
		payload = []byte("{}")
	}
	if err := checkJSON(payload); err != nil {
		return nil, nil, err
	}
	invoked := f.cfg.ARN
	if ref.Qualifier != "" {
		invoked += ":" + ref.Qualifier
	}
	inv := newInvocation(payload, invoked)
	inv.clientContext = req.clientContext
	if req.tail {
		inv.tail = &logTail{}
	}
	return f, inv, nil
}

// checkJSON reports a payload Lambda would not parse: malformed JSON, or
// bytes that are not UTF-8 (which json.Valid lets through in strings).
func checkJSON(payload []byte) error {
	if !utf8.Valid(payload) {
		return &InvalidRequestContentError{
			Message: "Could not parse request body into json: Could not parse payload into json: Invalid UTF-8 byte sequence"}
	}
	if json.Valid(payload) {
		return nil
	}
	var v any
	if err := json.Unmarshal(payload, &v); err != nil { // for the reason
		return &InvalidRequestContentError{
			Message: "Could not parse request body into json: Could not parse payload into json: " + err.Error()}
	}
	return nil
}

// invoke runs a prepared synchronous invocation; the []byte is its log tail
// when asked for.
func (h *Host) invoke(ctx context.Context, req invokeRequest) (*InvokeOutput, []byte, error) {
	f, inv, err := h.prepare(req)
	if err != nil {
		return nil, nil, err
	}
	o, err := f.invokeSync(ctx, inv)
	if err != nil {
		return nil, nil, err
	}
	out := &InvokeOutput{Payload: o.payload, ExecutedVersion: "$LATEST", RequestID: inv.id}
	if o.failed {
		out.FunctionError = "Unhandled"
	}
	f.report(inv)
	var tail []byte
	if inv.tail != nil {
		tail = inv.tail.bytes()
	}
	return out, tail, nil
}

func (h *Host) closed() bool {
	select {
	case <-h.done:
		return true
	default:
		return false
	}
}

// Close stops every instance and waits for their processes and for Event
// invocations in flight. Invocations still running fail.
func (h *Host) Close() error {
	h.mu.Lock() // orders Close after any async.Add made under the read lock
	h.once.Do(func() { close(h.done) })
	fns := make([]*function, 0, len(h.fns))
	for _, f := range h.fns {
		fns = append(fns, f)
	}
	h.mu.Unlock()
	for _, f := range fns {
		for _, in := range f.instances() {
			in.kill()
		}
	}
	h.procs.Wait()
	h.async.Wait()
	return nil
}
