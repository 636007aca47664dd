// Command benchreport measures the document-signing project on this machine
// and writes BENCHMARKS.md: end-to-end signing through the local stack
// (`signctl bench`) at several sizes with the stack's peak memory and a CPU
// profile, completion latency with many runs pending, Lambda cold starts
// and bootstrap sizes, `cdk synth` time, and the cost of a signed document
// on AWS. `make bench` runs it; everything it starts, it stops.
//
// Usage:
//
//	benchreport [--signctl bin/signctl] [--out BENCHMARKS.md] [--make-test-time 6m10s]
package main

import (
	"context"
	"flag"
	"fmt"
	"os"
	"os/signal"
	"path/filepath"
	"strconv"
	"strings"
	"syscall"
	"time"
)

// config holds the flags.
type config struct {
	signctl     string
	out         string
	cdkOut      string
	dataDir     string
	sizes       []int
	pending     []int
	concurrency int
	coldSamples int
	budget      time.Duration
	makeTest    string
}

func main() {
	cfg, err := parseFlags(os.Args[1:])
	if err != nil {
		fmt.Fprintln(os.Stderr, "benchreport:", err)
		os.Exit(2)
	}
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	ctx, cancel := context.WithTimeout(ctx, cfg.budget)
	r := newRunner(cfg)
	r.run(ctx)
	cancel()
	stop()
	if err := os.WriteFile(cfg.out, []byte(renderReport(r.rep)), 0o644); err != nil {
		fmt.Fprintln(os.Stderr, "benchreport:", err)
		os.Exit(1)
	}
	fmt.Fprintf(os.Stderr, "benchreport: wrote %s in %s\n", cfg.out, r.rep.Took.Round(time.Second))
	if len(r.rep.Problems) > 0 {
		fmt.Fprintf(os.Stderr, "benchreport: %d part(s) not measured:\n  %s\n", len(r.rep.Problems), strings.Join(r.rep.Problems, "\n  "))
		os.Exit(1)
	}
}

func parseFlags(args []string) (config, error) {
	var cfg config
	var sizes, pending string
	fs := flag.NewFlagSet("benchreport", flag.ContinueOnError)
	fs.StringVar(&cfg.signctl, "signctl", "bin/signctl", "the signctl binary whose `bench` command drives the runs")
	fs.StringVar(&cfg.out, "out", "BENCHMARKS.md", "report to write")
	fs.StringVar(&cfg.cdkOut, "cdk-out", "cdk.out.bench", "cloud assembly to synthesize and run")
	fs.StringVar(&cfg.dataDir, "data-dir", filepath.Join(".local", "bench"), "directory for the stacks' logs, builds and profiles")
	fs.StringVar(&sizes, "documents", "100,1000,10000", "end-to-end sizes (documents per run)")
	fs.StringVar(&pending, "pending", "10,1000,100000", "numbers of pending runs to measure completion latency with")
	fs.IntVar(&cfg.concurrency, "concurrency", 50, "documents in flight in the end-to-end runs")
	fs.IntVar(&cfg.coldSamples, "cold-samples", 10, "cold starts measured per function")
	fs.DurationVar(&cfg.budget, "budget", 30*time.Minute, "the whole run's time limit; parts that would not fit are skipped and said so")
	fs.StringVar(&cfg.makeTest, "make-test-time", os.Getenv("MAKE_TEST_TIME"),
		"wall time of a warm `make test` measured separately (default $MAKE_TEST_TIME)")
	if err := fs.Parse(args); err != nil {
		return cfg, err
	}
	var err error
	if cfg.sizes, err = intList(sizes); err != nil {
		return cfg, fmt.Errorf("--documents: %w", err)
	}
	if cfg.pending, err = intList(pending); err != nil {
		return cfg, fmt.Errorf("--pending: %w", err)
	}
	if cfg.signctl, err = filepath.Abs(cfg.signctl); err != nil {
		return cfg, err
	}
	return cfg, nil
}

// intList parses "100,1000" into increasing positive numbers.
func intList(s string) ([]int, error) {
	var out []int
	for _, f := range strings.Split(s, ",") {
		n, err := strconv.Atoi(strings.TrimSpace(f))
		if err != nil || n < 1 || (len(out) > 0 && n <= out[len(out)-1]) {
			return nil, fmt.Errorf("%q is not a list of increasing positive numbers", s)
		}
		out = append(out, n)
	}
	return out, nil
}
