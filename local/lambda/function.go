package lambda

import (
	"context"
	"crypto/sha256"
	"encoding/base64"
	"errors"
	"fmt"
	"io"
	"os"
	"slices"
	"strings"
	"sync"
	"time"
)

// function is a registered function and its pool of instances.
type function struct {
	cfg        FunctionConfig
	host       *Host
	prefix     string // "[name] " before each log line
	registered time.Time
	revision   string
	codeSize   int64
	codeSHA256 string

	mu       sync.Mutex
	idle     []*instance // warm and waiting; the most recently used last
	live     map[*instance]struct{}
	starting int // slots taken by instances being started
	// waiters are the invocations waiting for an instance, oldest first.
	// A freed instance or slot goes straight to the oldest, so that under
	// load the wait is first come, first served. Each gets an instance, or
	// nil for a slot reserved for it to start one.
	waiters  []chan *instance
	inflight int // invocations accepted and not finished
}

func newFunction(h *Host, cfg FunctionConfig) (*function, error) {
	size, sum, err := fileDigest(cfg.Executable)
	if err != nil {
		return nil, fmt.Errorf("function %s: %w", cfg.Name, err)
	}
	return &function{
		cfg: cfg, host: h, prefix: "[" + cfg.Name + "] ",
		registered: time.Now().UTC(), revision: newRequestID(), codeSize: size, codeSHA256: sum,
		live: map[*instance]struct{}{},
	}, nil
}

// fileDigest returns a file's size and base64 SHA-256, Lambda's CodeSha256.
func fileDigest(path string) (int64, string, error) {
	f, err := os.Open(path)
	if err != nil {
		return 0, "", err
	}
	defer f.Close()
	h := sha256.New()
	n, err := io.Copy(h, f)
	if err != nil {
		return 0, "", err
	}
	return n, base64.StdEncoding.EncodeToString(h.Sum(nil)), nil
}

// admit counts an invocation in, refusing it beyond reserved concurrency.
func (f *function) admit() error {
	f.mu.Lock()
	defer f.mu.Unlock()
	if f.cfg.ReservedConcurrency > 0 && f.inflight >= f.cfg.ReservedConcurrency {
		return &TooManyRequestsError{Reason: "ReservedFunctionConcurrentInvocationLimitExceeded"}
	}
	f.inflight++
	return nil
}

func (f *function) leave() {
	f.mu.Lock()
	f.inflight--
	f.mu.Unlock()
}

// invokeSync runs inv counted against reserved concurrency until it ends,
// which may be after the caller stopped waiting.
func (f *function) invokeSync(ctx context.Context, inv *invocation) (outcome, error) {
	if err := f.admit(); err != nil {
		return outcome{}, err
	}
	o, err := f.invoke(ctx, inv)
	var running *abandonedError
	if errors.As(err, &running) {
		go func() {
			<-inv.outcome
			f.leave()
		}()
		return o, running.err
	}
	f.leave()
	return o, err
}

// abandonedError reports a caller that stopped waiting for an invocation an
// instance holds: it still runs to completion (or its timeout), as it would
// in Lambda after a client hangs up.
type abandonedError struct{ err error }

func (e *abandonedError) Error() string { return e.err.Error() }
func (e *abandonedError) Unwrap() error { return e.err }

// invoke runs inv on an instance and waits for its outcome.
func (f *function) invoke(ctx context.Context, inv *invocation) (outcome, error) {
	for {
		o, err := f.attempt(ctx, inv)
		if err != nil || !o.requeue {
			return o, err
		}
	}
}

func (f *function) attempt(ctx context.Context, inv *invocation) (outcome, error) {
	in, err := f.acquire(ctx)
	if err != nil {
		return outcome{}, err
	}
	if in == nil { // a slot is ours: start an instance for inv
		_, err := startInstance(f, inv)
		if errors.Is(err, ErrHostClosed) {
			return outcome{}, err
		}
		if err != nil {
			f.unstart()
			return outcome{failed: true, payload: functionError("Runtime.InvalidEntrypoint",
				"RequestId: "+inv.id+" Error: "+err.Error())}, nil
		}
	} else if !in.assign(inv) {
		return outcome{requeue: true}, nil
	}
	select {
	case o := <-inv.outcome:
		return o, nil
	case <-ctx.Done():
		return outcome{}, &abandonedError{ctx.Err()}
	}
}

// acquire returns an idle instance, or nil with a slot reserved for a new
// one, waiting in line while MaxConcurrency instances are all busy.
func (f *function) acquire(ctx context.Context) (*instance, error) {
	if f.host.closed() {
		return nil, ErrHostClosed
	}
	f.mu.Lock()
	if len(f.waiters) == 0 {
		if n := len(f.idle); n > 0 {
			in := f.idle[n-1]
			f.idle = f.idle[:n-1]
			f.mu.Unlock()
			return in, nil
		}
		if f.hasFreeSlotLocked() {
			f.starting++
			f.mu.Unlock()
			return nil, nil
		}
	}
	w := make(chan *instance, 1)
	f.waiters = append(f.waiters, w)
	f.mu.Unlock()
	select {
	case in := <-w:
		return in, nil
	case <-ctx.Done():
		f.leaveLine(w)
		return nil, ctx.Err()
	case <-f.host.done:
		f.leaveLine(w)
		return nil, ErrHostClosed
	}
}

func (f *function) hasFreeSlotLocked() bool {
	return len(f.live)+f.starting < f.cfg.MaxConcurrency
}

// leaveLine takes a waiter that gave up out of the line, passing on an
// instance or slot handed to it meanwhile.
func (f *function) leaveLine(w chan *instance) {
	f.mu.Lock()
	defer f.mu.Unlock()
	if i := slices.Index(f.waiters, w); i >= 0 {
		f.waiters = slices.Delete(f.waiters, i, i+1)
		return
	}
	if in := <-w; in != nil {
		if _, ok := f.live[in]; ok {
			f.idleLocked(in)
		}
	} else {
		f.starting--
		f.slotFreedLocked()
	}
}

// nextWaiterLocked removes and returns the oldest waiter, if any.
func (f *function) nextWaiterLocked() (chan *instance, bool) {
	if len(f.waiters) == 0 {
		return nil, false
	}
	w := f.waiters[0]
	f.waiters = slices.Delete(f.waiters, 0, 1)
	return w, true
}

// idleLocked hands a warm instance to the oldest waiter, or pools it.
func (f *function) idleLocked(in *instance) {
	if w, ok := f.nextWaiterLocked(); ok {
		w <- in
		return
	}
	f.idle = append(f.idle, in)
}

// slotFreedLocked reserves a freed slot for the oldest waiter.
func (f *function) slotFreedLocked() {
	if !f.hasFreeSlotLocked() {
		return
	}
	if w, ok := f.nextWaiterLocked(); ok {
		f.starting++
		w <- nil
	}
}

func (f *function) unstart() {
	f.mu.Lock()
	f.starting--
	f.slotFreedLocked()
	f.mu.Unlock()
}

// adopt turns a reserved slot into a live instance, before anything can
// report the instance gone; false once the host is closing, as Close may
// already have collected the instances to stop and be waiting for them.
func (f *function) adopt(in *instance) bool {
	f.mu.Lock()
	defer f.mu.Unlock()
	f.starting--
	if f.host.closed() {
		f.slotFreedLocked()
		return false
	}
	f.live[in] = struct{}{}
	f.host.procs.Add(1) // ordered before Close's Wait by f.mu
	return true
}

// release returns a warm instance to the idle pool.
func (f *function) release(in *instance) {
	f.mu.Lock()
	defer f.mu.Unlock()
	if _, ok := f.live[in]; !ok {
		return // already gone
	}
	f.idleLocked(in)
}

// gone forgets an instance whose process has ended, freeing its slot.
func (f *function) gone(in *instance) {
	f.mu.Lock()
	defer f.mu.Unlock()
	delete(f.live, in)
	for i, x := range f.idle {
		if x == in {
			f.idle = append(f.idle[:i], f.idle[i+1:]...)
			break
		}
	}
	f.slotFreedLocked()
}

// instances returns the live instances, for Close.
func (f *function) instances() []*instance {
	f.mu.Lock()
	defer f.mu.Unlock()
	out := make([]*instance, 0, len(f.live))
	for in := range f.live {
		out = append(out, in)
	}
	return out
}

// report appends END and REPORT lines to a tail, as Lambda logs them.
func (f *function) report(inv *invocation) {
	if inv.tail == nil || inv.start.IsZero() {
		return
	}
	ms := float64(time.Since(inv.start).Microseconds()) / 1000
	inv.tail.add("END RequestId: " + inv.id)
	inv.tail.add(strings.Join([]string{"REPORT RequestId: " + inv.id,
		fmt.Sprintf("Duration: %.2f ms", ms),
		fmt.Sprintf("Billed Duration: %d ms", int64(ms)+1),
		fmt.Sprintf("Memory Size: %d MB", f.cfg.MemoryMB), ""}, "\t"))
}
