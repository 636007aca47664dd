package lambda

import (
	"context"
	"slices"
	"sync"
	"sync/atomic"
	"testing"
	"time"
)

// BenchmarkInvokeQueued measures how long invocations wait when more
// callers than MaxConcurrency invoke at once, as the signing workflow's
// 50 concurrent documents do against 10 instances per function. With
// first-come first-served hand-off every call takes about
// callers/MaxConcurrency × the function's run time; p99 and max far above
// that mean some callers lose the race for a freed instance again and again.
func BenchmarkInvokeQueued(b *testing.B) {
	const (
		instances = 2
		callers   = 16
	)
	h := NewHost(Options{})
	defer h.Close()
	if err := h.Register(FunctionConfig{Name: "fn", Executable: testFn, MaxConcurrency: instances}); err != nil {
		b.Fatal(err)
	}
	payload := []byte(`{"action":"sleep","sleep":"2ms"}`)
	ctx := context.Background()
	var warm sync.WaitGroup
	for range instances { // start every instance before measuring
		warm.Go(func() { invokeOK(b, h, payload) })
	}
	warm.Wait()
	var (
		mu    sync.Mutex
		waits []time.Duration
		next  atomic.Int64
		wg    sync.WaitGroup
	)
	b.ResetTimer()
	for range callers { // closed loop: each caller invokes again at once
		wg.Go(func() {
			for next.Add(1) <= int64(b.N) {
				began := time.Now()
				out, err := h.Invoke(ctx, "fn", payload)
				took := time.Since(began)
				if err != nil || out.FunctionError != "" {
					b.Errorf("Invoke: %v", err)
					return
				}
				mu.Lock()
				waits = append(waits, took)
				mu.Unlock()
			}
		})
	}
	wg.Wait()
	b.StopTimer()
	if len(waits) == 0 {
		return
	}
	slices.Sort(waits)
	ms := func(d time.Duration) float64 { return float64(d.Microseconds()) / 1000 }
	b.ReportMetric(ms(waits[len(waits)/2]), "p50-ms")
	b.ReportMetric(ms(waits[len(waits)*99/100]), "p99-ms")
	b.ReportMetric(ms(waits[len(waits)-1]), "max-ms")
}

func invokeOK(b *testing.B, h *Host, payload []byte) {
	out, err := h.Invoke(context.Background(), "fn", payload)
	if err != nil || out.FunctionError != "" {
		b.Errorf("Invoke: %v", err)
	}
}
