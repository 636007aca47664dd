package main

import (
	"context"
	"fmt"
	"path/filepath"
	"runtime"
	"time"
)

// The completion-latency runs at each pending level.
const (
	scaleDocuments   = 300
	scaleConcurrency = 10
	// runTimeout is the benchmarked assembly's global timeout, long
	// enough for 100,000 runs to be opened and stay pending.
	runTimeout = time.Hour
	// pendingWindow is how long runs may stay pending: the global timeout
	// less a margin, after which the first ones would time out and stop
	// counting as pending.
	pendingWindow = runTimeout - 5*time.Minute
)

// synthTimeout is the -c timeout=… the assembly is synthesized with.
var synthTimeout = fmt.Sprintf("timeout=%ds", int(runTimeout.Seconds()))

// scaleLevel is completion latency and memory with some runs pending.
type scaleLevel struct {
	Pending int // open runs while measuring, as ListExecutions counts them
	Run     benchRun
	// HeapBytes is the stack process's live Go heap after a collection;
	// RSS and ByPart are the stack's resident memory after the run.
	HeapBytes uint64
	RSS       int64
	ByPart    map[string]int64
}

// scale opens more and more runs that wait on Bob on one stack and
// measures completion latency and memory at each level.
func (r *runner) scale(ctx context.Context) error {
	ls, err := startLocalStack(ctx, r.cfg.cdkOut, filepath.Join(r.cfg.dataDir, "scale"), r.fns)
	if err != nil {
		return err
	}
	defer ls.Close()
	c, err := newClients(ctx, ls)
	if err != nil {
		return err
	}
	began, opened := time.Now(), 0
	for _, level := range r.cfg.pending {
		level = r.fittingLevel(ctx, level, opened, pendingWindow-time.Since(began))
		if level <= opened {
			break
		}
		spec := benchSpec{Documents: scaleDocuments, Concurrency: scaleConcurrency, Pending: level - opened}
		run, err := runClient(ctx, r.cfg.signctl, ls, spec)
		if err != nil {
			return err
		}
		opened = level
		open, err := c.running(ctx)
		if err != nil {
			return err
		}
		runtime.GC()
		var ms runtime.MemStats
		runtime.ReadMemStats(&ms)
		rss, byPart := snapshot(ls.label)
		r.rep.Scale = append(r.rep.Scale, scaleLevel{Pending: len(open), Run: run, HeapBytes: ms.HeapAlloc, RSS: rss, ByPart: byPart})
	}
	return nil
}

// fittingLevel returns level, or the largest multiple of 1,000 above
// opened that fits both the budget and the window runs may stay pending
// in at the last measured throughput (opened if none does).
func (r *runner) fittingLevel(ctx context.Context, level, opened int, window time.Duration) int {
	need := func(l int) time.Duration { return r.estimate(l - opened + scaleDocuments) }
	fits := func(l int) bool { return r.fits(ctx, need(l)) && need(l) < window }
	if fits(level) {
		return level
	}
	l := level / 1000 * 1000
	for l > opened && !fits(l) {
		l -= 1000
	}
	if l <= opened {
		r.note("completion latency with %d runs pending skipped: opening them at %.0f documents/s would not fit the budget or the %s the runs may stay pending", level, r.docsPerSec, pendingWindow)
		return opened
	}
	r.note("completion latency measured with %d runs pending instead of %d: opening more at %.0f documents/s would not fit the budget or the %s the runs may stay pending (global timeout %s)",
		l, level, r.docsPerSec, pendingWindow, runTimeout)
	return l
}
