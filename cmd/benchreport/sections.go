package main

import (
	"cmp"
	"maps"
	"slices"
	"strings"
	"time"

	"github.com/hitl-go/docsign/local/lambda"
)

func e2eSection(m *md, r *report) {
	m.f("\n## 1. End to end through the local stack\n\n")
	m.f("Each size runs on a fresh local stack (`stack.Start`, DynamoDB in memory) in the benchmark's process; the client is "+
		"`signctl bench` in its own process (%d documents in flight):\n\n", r.Config.concurrency)
	for _, run := range r.E2E {
		m.f("    %s\n", strings.Replace(run.Command, "signctl", "bin/signctl", 1))
	}
	m.f("\nPer document: the document uploaded (S3 PutObject) → StartExecution → the run pins it (pin-document: S3 GetObject), " +
		"then signs for Alice (sign-document: S3 GetObject, KMS Sign, PutItem) and asks Bob (request-signature: PutItem) → Bob's " +
		"request PENDING in DynamoDB (GetItem, polled with backoff) → complete-signature invoked through the Lambda API (S3 " +
		"GetObject, KMS Sign, SendTaskSuccess) → the run ends. Latency runs from the start of the complete-signature invocation to the " +
		"run's own `ExecutionSucceeded` timestamp (millisecond resolution), not to when polling sees it. Peak RSS sums VmRSS over " +
		"every process of the stack (this process with S3 and KMS, dynalite, every function instance) every 100 ms; Σ VmHWM adds each process's " +
		"own peak (an upper bound).\n\n")
	m.f("| documents | failed | seconds | documents/s | p50 | p99 | peak RSS of the stack | Σ VmHWM | processes |\n|---|---|---|---|---|---|---|---|---|\n")
	for _, run := range r.E2E {
		res, u := run.Result, run.Usage
		procs := 0
		for _, n := range u.Procs {
			procs += n
		}
		m.f("| %d | %d | %.2f | %.1f | %.1f ms | %.1f ms | %.0f MiB | %.0f MiB | %d |\n", res.Documents, res.Failed, res.Seconds,
			res.DocsPerSec, res.P50MS, res.P99MS, mib(u.PeakRSS), mib(u.SumHWM), procs)
	}
	parts := partsOf(r.E2E)
	if len(parts) == 0 {
		return
	}
	m.f("\nPeak RSS by part (each part's own largest sample):\n\n| documents | %s |\n|---|%s\n",
		strings.Join(parts, " | "), strings.Repeat("---|", len(parts)))
	for _, run := range r.E2E {
		m.f("| %d |", run.Result.Documents)
		for _, p := range parts {
			m.f(" %.0f MiB |", mib(run.Usage.PeakByPart[p]))
		}
		m.f("\n")
	}
	for _, run := range r.E2E {
		if run.Failures != "" {
			m.f("\nFailures reported by `%s`:\n\n```\n%s\n```\n", run.Command, run.Failures)
		}
	}
}

func partsOf(runs []benchRun) []string {
	set := map[string]bool{}
	for _, run := range runs {
		for p := range run.Usage.PeakByPart {
			set[p] = true
		}
	}
	return slices.Sorted(maps.Keys(set))
}

func profileSection(m *md, r *report) {
	run, ok := e2eRun(r, targetSize)
	if !ok && len(r.E2E) > 0 {
		run = r.E2E[len(r.E2E)-1]
	} else if !ok {
		return
	}
	m.f("\n## Where the time goes\n\nCPU time per document in the %d-document run, by process (from /proc):\n\n", run.Result.Documents)
	m.f("| part | CPU | per document | share |\n|---|---|---|---|\n")
	n := float64(max(run.Result.Documents, 1))
	rows := cpuRows(run)
	var all time.Duration
	for _, row := range rows {
		all += row.cpu
	}
	for _, row := range rows {
		m.f("| %s | %.2f s | %.2f ms | %.0f%% |\n", row.part, row.cpu.Seconds(), msOf(row.cpu)/n, 100*row.cpu.Seconds()/all.Seconds())
	}
	ours := all - otherCPU(run)
	if ours > 0 {
		m.f("\nThe stack and the client together need %.1f ms of CPU per document: with both of this machine's %d CPUs to "+
			"themselves they could sign at most about %.0f documents/s; the run achieved %.1f.\n",
			msOf(ours)/n, r.Machine.CPUs, float64(r.Machine.CPUs)*1000/(msOf(ours)/n), run.Result.DocsPerSec)
	}
	if d := run.Usage.CPU[partDynalite]; d > 0 {
		m.f("\ndynalite runs on one thread (node's event loop): at %.2f ms of CPU per document it cannot serve more than "+
			"about %.0f documents/s however many CPUs the machine has.\n", msOf(d)/n, 1000/(msOf(d)/n))
	}
	if run.DynamoConns >= 0 {
		m.f("\nTCP connections to dynalite closed during the run (TIME_WAIT, which lasts a minute): %d, about %.1f per document — "+
			"requests that opened a new connection instead of reusing one.\n", run.DynamoConns, float64(run.DynamoConns)/n)
	}
	writeProfile(m, r)
	writeQueueFinding(m, r)
}

type cpuRow struct {
	part string
	cpu  time.Duration
}

// cpuRows lists the stack's parts, the client and everything else.
func cpuRows(run benchRun) []cpuRow {
	var rows []cpuRow
	for part, d := range run.Usage.CPU {
		rows = append(rows, cpuRow{part, d})
	}
	slices.SortFunc(rows, func(a, b cpuRow) int { return cmp.Compare(b.cpu, a.cpu) })
	rows = append(rows, cpuRow{"bench client (signctl bench)", run.ClientCPU})
	return append(rows, cpuRow{"other processes on the machine", otherCPU(run)})
}

func otherCPU(run benchRun) time.Duration {
	other := run.Usage.MachineBusy - run.ClientCPU
	for _, d := range run.Usage.CPU {
		other -= d
	}
	return max(other, 0)
}

func writeProfile(m *md, r *report) {
	if r.ProfileRun == nil {
		return
	}
	res := r.ProfileRun.Result
	m.f("\nProfiles come from one more %d-document run on a fresh stack (%.1f documents/s, p99 %.1f ms under the profilers).\n",
		res.Documents, res.DocsPerSec, res.P99MS)
	if p := r.Profile; p != nil && p.Sampled > 0 {
		m.f("\nThe stack process (Go; `go tool pprof %s`, %.2f s sampled), CPU time in and below each path "+
			"(paths overlap: the DynamoDB proxy runs inside HTTP serving):\n\n| path | function | CPU | share |\n|---|---|---|---|\n",
			p.Path, p.Sampled.Seconds())
		for _, e := range p.Entries {
			m.f("| %s | `%s` | %.2f s | %.0f%% |\n", e.What, e.Symbol, e.Cum.Seconds(), 100*e.Cum.Seconds()/p.Sampled.Seconds())
		}
		m.f("\n<details><summary>go tool pprof -top -cum</summary>\n\n```\n%s\n```\n</details>\n", p.TopCum)
	}
	if len(r.NodeProfile) > 0 && r.NodeBusy > 0 {
		m.f("\ndynalite (node, V8 CPU profiler; idle time left out), busy time by source:\n\n| source | CPU | share |\n|---|---|---|\n")
		for _, f := range r.NodeProfile[:min(12, len(r.NodeProfile))] {
			m.f("| `%s` | %.2f s | %.1f%% |\n", f.Package, f.Flat.Seconds(), 100*f.Flat.Seconds()/r.NodeBusy.Seconds())
		}
		var parse time.Duration
		for _, f := range r.NodeProfile {
			if strings.HasPrefix(f.Package, "dynalite/db/") && strings.HasSuffix(f.Package, "Parser.js") {
				parse += f.Flat
			}
		}
		m.f("\ndynalite parses every request's condition, update and projection expressions anew with PEG parsers "+
			"(`dynalite/db/*Parser.js`): %.0f%% of its busy time.\n", 100*parse.Seconds()/r.NodeBusy.Seconds())
	}
}

// writeQueueFinding reports the Lambda host's queueing benchmark, which
// explains a latency tail under load.
func writeQueueFinding(m *md, r *report) {
	if r.Micro == nil {
		return
	}
	q, ok := r.Micro.Metrics["BenchmarkInvokeQueued"]
	if !ok {
		return
	}
	m.f("\nQueueing for a function instance (`BenchmarkInvokeQueued` in local/lambda: 16 callers invoking in a closed loop a "+
		"function that sleeps 2 ms, with 2 instances allowed): p50 %.1f ms, p99 %.1f ms, max %.1f ms per invocation. Served in "+
		"arrival order every call takes about 8 × 2 ms ≈ 16–25 ms, which the host does by handing a freed instance to the "+
		"longest waiter; a p50 far below and a p99 far above that would mean a caller that has just released an instance "+
		"takes it again while others keep waiting.\n", q["p50-ms"], q["p99-ms"], q["max-ms"])
	if run, ok := e2eRun(r, targetSize); ok && len(r.Scale) > 0 {
		few := r.Scale[len(r.Scale)-1].Run.Result
		m.f("\nThe end-to-end runs keep %d documents in flight against at most %d instances per function; the runs of "+
			"section 2 keep %d in flight: p99 %.1f ms at %.1f documents/s there, against p99 %.1f ms at %.1f documents/s here.",
			r.Config.concurrency, lambdaMaxConcurrency, scaleConcurrency, few.P99MS, few.DocsPerSec, run.Result.P99MS, run.Result.DocsPerSec)
		if few.DocsPerSec >= 0.8*run.Result.DocsPerSec && few.P99MS*3 < run.Result.P99MS {
			m.f(" The machine was about as busy in both, so the tail comes from waiting for an instance, not from the CPU alone.")
		}
		m.f("\n")
	}
}

// lambdaMaxConcurrency is local/lambda's default cap on a function's
// instances, which the local stack keeps.
const lambdaMaxConcurrency = lambda.DefaultMaxConcurrency
