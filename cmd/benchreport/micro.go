package main

import (
	"context"
	"fmt"
	"strconv"
	"strings"
	"time"
)

// microCommand runs the Go benchmarks of the local services.
var microCommand = []string{"go", "test", "-run", "^$", "-bench", ".", "-benchmem", "./local/..."}

// micro is the output of the local services' Go benchmarks.
type micro struct {
	Output string
	// Metrics are each benchmark's reported values, by unit.
	Metrics map[string]map[string]float64
}

// microBenchmarks runs them; they show where the local services spend time
// without the rest of the stack around them.
func (r *runner) microBenchmarks(ctx context.Context) error {
	if !r.fits(ctx, 2*time.Minute) {
		r.note("the Go benchmarks of ./local/... were skipped: the budget was nearly spent")
		return nil
	}
	out, err := command(ctx, microCommand[0], microCommand[1:]...).CombinedOutput()
	if err != nil {
		return fmt.Errorf("%s: %w\n%s", strings.Join(microCommand, " "), err, tail(out, 2000))
	}
	r.rep.Micro = &micro{Output: strings.TrimSpace(string(out)), Metrics: parseBenchmarks(string(out))}
	return nil
}

// parseBenchmarks reads `go test -bench` lines: name, iterations, then
// value-unit pairs.
func parseBenchmarks(out string) map[string]map[string]float64 {
	m := map[string]map[string]float64{}
	for _, line := range strings.Split(out, "\n") {
		f := strings.Fields(line)
		if len(f) < 4 || !strings.HasPrefix(f[0], "Benchmark") {
			continue
		}
		name := f[0]
		if i := strings.LastIndexByte(name, '-'); i > 0 {
			name = name[:i] // the GOMAXPROCS suffix
		}
		m[name] = map[string]float64{}
		for i := 2; i+1 < len(f); i += 2 {
			if v, err := strconv.ParseFloat(f[i], 64); err == nil {
				m[name][f[i+1]] = v
			}
		}
	}
	return m
}
