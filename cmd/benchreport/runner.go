package main

import (
	"context"
	"errors"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strings"
	"syscall"
	"time"
)

// report is everything measured, for renderReport.
type report struct {
	Command string // this program's command line
	Config  config
	Start   time.Time
	Took    time.Duration
	Machine machine
	LoadEnd string
	Synth   []time.Duration // the first run, then a warm one
	E2E     []benchRun
	// Profile is the stack process's CPU profile and NodeProfile dynalite's,
	// both from ProfileRun, an extra end-to-end run made to profile.
	Profile     *profile
	NodeProfile []pkgTime
	NodeBusy    time.Duration
	ProfileRun  *benchRun
	Scale       []scaleLevel
	Cold        []coldStart
	Floor       []time.Duration // the floor function's cold starts (floorPackage)
	Cost        *costEstimate
	Micro       *micro
	Notes       []string // what was scaled down or skipped, and why
	Problems    []string // what failed
}

// runner runs the measurements in order, within the budget.
type runner struct {
	cfg  config
	rep  *report
	fns  []functionInfo
	bins map[string]string // function label → binary built for this machine
	// docsPerSec is the last end-to-end throughput, for time estimates.
	docsPerSec float64
}

func newRunner(cfg config) *runner {
	return &runner{cfg: cfg, rep: &report{Command: strings.Join(os.Args, " "), Config: cfg, Start: time.Now()}}
}

func (r *runner) run(ctx context.Context) {
	defer func() {
		r.rep.Took = time.Since(r.rep.Start)
		r.rep.LoadEnd = loadAverage()
	}()
	r.rep.Machine = readMachine()
	if !r.step(ctx, "cdk synth", r.synth) || !r.step(ctx, "build the functions", r.build) {
		return
	}
	r.step(ctx, "Lambda cold starts and the cost of a document", r.coldStartsAndCost)
	for _, n := range r.cfg.sizes {
		r.step(ctx, fmt.Sprintf("end to end, %d documents", n), func(ctx context.Context) error {
			return r.endToEnd(ctx, n)
		})
	}
	r.step(ctx, "profile the stack", r.profileRun)
	r.step(ctx, "completion latency with runs pending", r.scale)
	r.step(ctx, "Go benchmarks of ./local/...", r.microBenchmarks)
}

// step runs one part, recording its failure; false means it failed.
func (r *runner) step(ctx context.Context, name string, do func(context.Context) error) bool {
	if ctx.Err() != nil {
		r.rep.Problems = append(r.rep.Problems, name+": not run: "+context.Cause(ctx).Error())
		return false
	}
	began := time.Now()
	fmt.Fprintf(os.Stderr, "benchreport: %s…\n", name)
	err := do(ctx)
	fmt.Fprintf(os.Stderr, "benchreport: %s: %s\n", name, time.Since(began).Round(100*time.Millisecond))
	if err != nil {
		r.rep.Problems = append(r.rep.Problems, name+": "+err.Error())
		fmt.Fprintf(os.Stderr, "benchreport: %s failed: %v\n", name, err)
		return false
	}
	return true
}

// profiledSize is the end-to-end size profiled: 1,000 (the target's) if run.
func (r *runner) profiledSize() int {
	if slices.Contains(r.cfg.sizes, 1000) {
		return 1000
	}
	return r.cfg.sizes[len(r.cfg.sizes)/2]
}

// note records a measurement scaled down or skipped.
func (r *runner) note(format string, args ...any) {
	msg := fmt.Sprintf(format, args...)
	r.rep.Notes = append(r.rep.Notes, msg)
	fmt.Fprintln(os.Stderr, "benchreport: note:", msg)
}

// fits reports whether work estimated to take d leaves the budget a margin.
func (r *runner) fits(ctx context.Context, d time.Duration) bool {
	deadline, ok := ctx.Deadline()
	return !ok || time.Until(deadline) > d+30*time.Second
}

// estimate is how long n documents take at the last measured throughput.
func (r *runner) estimate(n int) time.Duration {
	dps := r.docsPerSec
	if dps <= 0 {
		dps = 50 // before any measurement: a cautious guess
	}
	return time.Duration(float64(n)/dps*1.3*float64(time.Second)) + 10*time.Second
}

// synth synthesizes the assembly twice: as `make bench` finds the build
// cache, then warm.
func (r *runner) synth(ctx context.Context) error {
	for range 2 {
		cmd := command(ctx, "npx", "--no-install", "cdk", "synth", "-q", "-c", synthTimeout, "-o", r.cfg.cdkOut)
		cmd.Env = append(os.Environ(), "JSII_SILENCE_WARNING_DEPRECATED_NODE_VERSION=1")
		began := time.Now()
		if out, err := cmd.CombinedOutput(); err != nil {
			return fmt.Errorf("%s: %w\n%s", cmd, err, tail(out, 2000))
		}
		r.rep.Synth = append(r.rep.Synth, time.Since(began))
	}
	var err error
	r.fns, err = loadFunctions(r.cfg.cdkOut)
	return err
}

// endToEnd signs n documents on a fresh stack.
func (r *runner) endToEnd(ctx context.Context, n int) error {
	if !r.fits(ctx, r.estimate(n)) {
		r.note("end to end with %d documents skipped: at %.0f documents/s it would not finish within the budget (--budget %s)",
			n, r.docsPerSec, r.cfg.budget)
		return nil
	}
	ls, err := startLocalStack(ctx, r.cfg.cdkOut, filepath.Join(r.cfg.dataDir, fmt.Sprintf("e2e-%d", n)), r.fns)
	if err != nil {
		return err
	}
	defer ls.Close()
	run, err := runClient(ctx, r.cfg.signctl, ls, benchSpec{Documents: n, Concurrency: r.cfg.concurrency})
	if err != nil {
		return err
	}
	r.rep.E2E = append(r.rep.E2E, run)
	r.docsPerSec = run.Result.DocsPerSec
	return nil
}

// profileRun repeats the profiled size on a fresh stack with the stack
// process under pprof and dynalite under V8's profiler; the measured runs
// stay free of the profilers' overhead.
func (r *runner) profileRun(ctx context.Context) error {
	n := r.profiledSize()
	if !r.fits(ctx, r.estimate(n)) {
		r.note("the profiled run was skipped: the budget was nearly spent")
		return nil
	}
	dir := filepath.Join(r.cfg.dataDir, "profile")
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return err
	}
	restore, err := enableNodeProfile(dir)
	if err != nil {
		return err
	}
	ls, err := startLocalStack(ctx, r.cfg.cdkOut, dir, r.fns)
	restore()
	if err != nil {
		return err
	}
	stop, err := startProfile(filepath.Join(dir, "stack.pprof"))
	if err != nil {
		ls.Close()
		return err
	}
	run, err := runClient(ctx, r.cfg.signctl, ls, benchSpec{Documents: n, Concurrency: r.cfg.concurrency})
	p, perr := stop()
	cerr := ls.Close() // dynalite writes its profile as it stops
	if err = errors.Join(err, perr, cerr); err != nil {
		return err
	}
	r.rep.Profile, r.rep.ProfileRun = p, &run
	r.rep.NodeProfile, r.rep.NodeBusy, err = summarizeNodeProfiles(dir)
	return err
}

func tail(b []byte, n int) string {
	if len(b) > n {
		b = b[len(b)-n:]
	}
	return string(b)
}

// command is exec.CommandContext for a command that starts processes of
// its own (npx, go): it runs in its own process group, and cancelling ctx
// kills the whole group, so nothing it started outlives the benchmark.
func command(ctx context.Context, name string, args ...string) *exec.Cmd {
	cmd := exec.CommandContext(ctx, name, args...)
	cmd.SysProcAttr = &syscall.SysProcAttr{Setpgid: true}
	cmd.Cancel = func() error { return syscall.Kill(-cmd.Process.Pid, syscall.SIGKILL) }
	cmd.WaitDelay = 5 * time.Second
	return cmd
}
