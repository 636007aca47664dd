package main

import (
	"fmt"
	"math"
	"slices"
	"strings"
	"time"
)

// Targets (issue 6).
const (
	targetDocsPerSec = 500
	targetP99MS      = 50
	targetColdMS     = 10
	targetRSSMiB     = 20
	targetZipMiB     = 5
	targetSize       = 1000 // documents: the size the throughput targets are for
	// flatFactor is how much completion latency may grow from the fewest
	// to the most runs pending and still count as flat.
	flatFactor = 1.5
)

// md builds the report.
type md struct{ strings.Builder }

func (m *md) f(format string, args ...any) { fmt.Fprintf(&m.Builder, format, args...) }

func renderReport(r *report) string {
	var m md
	m.f("# Benchmarks\n\nWritten by `make bench` (`%s`) on %s; the run took %s.\n",
		r.Command, r.Start.UTC().Format("2006-01-02 15:04 MST"), r.Took.Round(time.Second))
	if r.Config.makeTest != "" {
		m.f("Every figure is from that run on the machine below, but for the warm `make test` time, timed on the same " +
			"machine just before and passed in (`--make-test-time`); nothing is copied from elsewhere.\n")
	} else {
		m.f("Every figure is from that run on the machine below; nothing is copied from elsewhere.\n")
	}
	for _, section := range []func(*md, *report){machineSection, summarySection, e2eSection, profileSection,
		scaleSection, coldSection, toolSection, costSection, microSection, notesSection} {
		section(&m, r)
	}
	return m.String()
}

func machineSection(m *md, r *report) {
	mc := r.Machine
	m.f("\n## Machine\n\n| | |\n|---|---|\n")
	m.f("| CPUs (`nproc`) | %d |\n| CPU model | %s |\n| memory | %.1f GiB |\n| kernel | %s |\n", mc.CPUs, mc.CPUModel, mc.MemoryGiB, mc.Kernel)
	m.f("| Go | %s |\n| Node | %s |\n| load average (1, 5, 15 min) at start | %s |\n| load average at end | %s |\n",
		mc.Go, mc.Node, mc.LoadStart, r.LoadEnd)
	share := otherShare(r)
	switch {
	case len(r.E2E) == 0:
	case share > 0.1:
		m.f("\nThe machine is shared: during the end-to-end runs, processes other than the local stack and the bench client "+
			"used %.0f%% of all CPU time the machine spent (see *Where the time goes*); on a quiet machine the figures would be better.\n", share*100)
	default:
		m.f("\nThe machine was quiet: during the end-to-end runs, processes other than the local stack and the bench client "+
			"used %.0f%% of all CPU time the machine spent.\n", share*100)
	}
}

// otherShare is the share of busy CPU time used by processes that are
// neither the stack nor the bench client, over the end-to-end runs.
func otherShare(r *report) float64 {
	var busy, ours time.Duration
	for _, run := range r.E2E {
		busy += run.Usage.MachineBusy
		ours += run.ClientCPU
		for _, d := range run.Usage.CPU {
			ours += d
		}
	}
	if busy <= 0 || ours > busy {
		return 0
	}
	return float64(busy-ours) / float64(busy)
}

func summarySection(m *md, r *report) {
	m.f("\n## Every figure against its target\n\n| figure | target | measured | |\n|---|---|---|---|\n")
	if run, ok := e2eRun(r, targetSize); ok {
		res := run.Result
		m.f("| documents/s, %d documents at concurrency %d | ≥ %d | %.1f | %s |\n", targetSize, r.Config.concurrency,
			targetDocsPerSec, res.DocsPerSec, verdict(res.DocsPerSec >= targetDocsPerSec))
		m.f("| p99 completion latency, same run | ≤ %d ms | %.1f ms (p50 %.1f ms) | %s |\n", targetP99MS, res.P99MS, res.P50MS,
			verdict(res.P99MS <= targetP99MS))
		m.f("| failed documents, same run | 0 | %d | %s |\n", res.Failed, verdict(res.Failed == 0))
	} else {
		m.f("| documents/s and p99 at %d documents | ≥ %d, ≤ %d ms | not measured | ✗ |\n", targetSize, targetDocsPerSec, targetP99MS)
	}
	if len(r.Scale) > 1 {
		first, last := r.Scale[0], r.Scale[len(r.Scale)-1]
		m.f("| completion latency p50 with %d → %d runs pending | flat (≤ %.1f×) | %.1f → %.1f ms (p99 %.1f → %.1f ms) | %s |\n",
			first.Pending, last.Pending, flatFactor, first.Run.Result.P50MS, last.Run.Result.P50MS,
			first.Run.Result.P99MS, last.Run.Result.P99MS, verdict(isFlat(first, last)))
	}
	for _, c := range r.Cold {
		if len(c.Starts) == 0 {
			continue
		}
		m.f("| %s cold start (median of %d) | ≤ %d ms | %.2f ms | %s |\n", c.Function, len(c.Starts), targetColdMS,
			msOf(median(c.Starts)), verdict(msOf(median(c.Starts)) <= targetColdMS))
		m.f("| %s instance peak RSS (largest) | ≤ %d MiB | %.1f MiB | %s |\n", c.Function, targetRSSMiB,
			mib(slices.Max(c.PeakRSS)), verdict(mib(slices.Max(c.PeakRSS)) <= targetRSSMiB))
	}
	for _, c := range r.Cold {
		m.f("| %s arm64 bootstrap, zipped | ≤ %d MiB | %.2f MiB | %s |\n", c.Function, targetZipMiB, mib(c.ZipBytes),
			verdict(mib(c.ZipBytes) <= targetZipMiB))
	}
	if r.Cost != nil && r.Cost.Documents > 0 {
		m.f("| AWS cost of 1,000 signed documents | — | $%.4f | |\n", total(r.Cost.lines()))
	}
	writeMisses(m, r)
}

// writeMisses says in a line per missed target what holds it back, from
// the measurements below.
func writeMisses(m *md, r *report) {
	var lines []string
	if run, ok := e2eRun(r, targetSize); ok {
		n := float64(max(run.Result.Documents, 1))
		if run.Result.DocsPerSec < targetDocsPerSec {
			ours := run.ClientCPU
			for _, d := range run.Usage.CPU {
				ours += d
			}
			lines = append(lines, fmt.Sprintf("**Throughput** is bound by CPU: the stack and the client use %.1f ms of CPU per "+
				"document, which caps %d CPUs near %.0f documents/s; dynalite alone uses %.1f ms on its one thread (a cap near "+
				"%.0f/s). %d documents/s would need at most %.1f ms per document in all.", msOf(ours)/n, r.Machine.CPUs,
				float64(r.Machine.CPUs)*1000/(msOf(ours)/n), msOf(run.Usage.CPU[partDynalite])/n,
				1000/math.Max(msOf(run.Usage.CPU[partDynalite])/n, 0.001), targetDocsPerSec, float64(r.Machine.CPUs)*1000/targetDocsPerSec))
		}
		if run.Result.P99MS > targetP99MS {
			line := fmt.Sprintf("**p99** is queueing on a saturated machine: %d documents in flight at %.1f/s spend about %.0f ms "+
				"each in the system (Little's law), and a completion waits its turn there — for the CPU, and for one of %d instances "+
				"per function, which go to the longest waiter (p50 %.1f ms, p99 %.1f ms: a narrow spread). It falls with fewer "+
				"documents in flight or more throughput", r.Config.concurrency, run.Result.DocsPerSec,
				1000*float64(r.Config.concurrency)/math.Max(run.Result.DocsPerSec, 0.001), lambdaMaxConcurrency,
				run.Result.P50MS, run.Result.P99MS)
			if len(r.Scale) > 0 {
				few := r.Scale[len(r.Scale)-1].Run.Result
				line += fmt.Sprintf(": with %d in flight (section 2) p99 is %.1f ms", scaleConcurrency, few.P99MS)
			}
			lines = append(lines, line+".")
		}
	}
	coldMissed := false
	for _, c := range r.Cold {
		if len(c.Starts) > 0 && msOf(median(c.Starts)) > targetColdMS {
			coldMissed = true
			lines = append(lines, fmt.Sprintf("**%s cold start**: start-up alone takes %.1f ms; the rest is its first "+
				"calls through the local stack (section 3 lists them).", c.Function, msOf(median(c.StartsNoIO))))
		}
	}
	if coldMissed && len(r.Floor) > 0 {
		lines = append(lines, fmt.Sprintf("**Cold starts on this machine**: the floor function (`%s`: %s) takes %.1f ms "+
			"from process start to its first answer: what exec, the Go runtime, aws-lambda-go and one Runtime API round trip "+
			"cost here, against the %d ms target.", floorPackage, floorWhat, msOf(median(r.Floor)), targetColdMS))
	}
	if len(lines) > 0 {
		m.f("\nWhat holds the missed figures back:\n\n")
		for _, l := range lines {
			m.f("- %s\n", l)
		}
	}
}

// isFlat says whether latency stayed within flatFactor (or 2 ms, below
// which the timestamps' millisecond resolution dominates).
func isFlat(first, last scaleLevel) bool {
	return last.Run.Result.P50MS <= math.Max(first.Run.Result.P50MS*flatFactor, first.Run.Result.P50MS+2)
}

func e2eRun(r *report, n int) (benchRun, bool) {
	for _, run := range r.E2E {
		if run.Result.Documents == n {
			return run, true
		}
	}
	return benchRun{}, false
}

func verdict(ok bool) string {
	if ok {
		return "✓"
	}
	return "✗ missed"
}

func total(lines []costLine) float64 {
	var t float64
	for _, l := range lines {
		t += l.Per1000()
	}
	return t
}

func msOf(d time.Duration) float64 { return float64(d.Microseconds()) / 1000 }
func mib(b int64) float64          { return float64(b) / (1 << 20) }
