package main

import (
	"fmt"
	"slices"
	"strings"
)

func scaleSection(m *md, r *report) {
	m.f("\n## 2. Completion latency with runs pending\n\n")
	if len(r.Scale) == 0 {
		m.f("Not measured (see *Notes*).\n")
		return
	}
	m.f("One stack; at each level `signctl bench --pending P` first opens P more runs that wait on Bob, then signs %d "+
		"documents %d at a time. Runs pending are counted with ListExecutions (RUNNING) after each level. Memory: the stack "+
		"process's live Go heap after a garbage collection (the engine keeps every execution in memory), dynalite's RSS "+
		"(the table, in memory) and the whole stack's RSS.\n\n", scaleDocuments, scaleConcurrency)
	m.f("| runs pending | p50 | p99 | documents/s | Go heap (stack process) | dynalite RSS | whole stack RSS |\n|---|---|---|---|---|---|---|\n")
	for _, l := range r.Scale {
		res := l.Run.Result
		m.f("| %d | %.1f ms | %.1f ms | %.1f | %.1f MiB | %.1f MiB | %.1f MiB |\n", l.Pending, res.P50MS, res.P99MS, res.DocsPerSec,
			mib(int64(l.HeapBytes)), mib(l.ByPart[partDynalite]), mib(l.RSS))
	}
	m.f("\nMemory per open execution, between levels (completed runs, %d per level, are included and negligible):\n\n", scaleDocuments)
	m.f("| from → to | Go heap | dynalite | whole stack |\n|---|---|---|---|\n")
	for i := 1; i < len(r.Scale); i++ {
		a, b := r.Scale[i-1], r.Scale[i]
		n := float64(b.Pending - a.Pending)
		if n <= 0 {
			continue
		}
		m.f("| %d → %d | %.1f KiB | %.1f KiB | %.1f KiB |\n", a.Pending, b.Pending,
			(float64(b.HeapBytes)-float64(a.HeapBytes))/n/1024,
			float64(b.ByPart[partDynalite]-a.ByPart[partDynalite])/n/1024, float64(b.RSS-a.RSS)/n/1024)
	}
	last := r.Scale[len(r.Scale)-1]
	if last.Pending < 100_000 && len(r.Scale) > 1 {
		prev := r.Scale[len(r.Scale)-2]
		n := float64(max(last.Pending-prev.Pending, 1))
		per := (float64(last.HeapBytes) - float64(prev.HeapBytes) + float64(last.ByPart[partDynalite]-prev.ByPart[partDynalite])) / n
		m.f("\n100,000 pending runs were not measured: opening them at this machine's rate would outlast both the time budget "+
			"and the runs' %s global timeout. Extrapolated from the last step (Go heap and dynalite, %.1f KiB per open run), "+
			"not measured: about %.1f GiB more than with %d pending. The whole stack's RSS grows faster than that sum because "+
			"the function instances' heaps grow with the load too.\n", runTimeout, per/1024, per*float64(100_000-last.Pending)/(1<<30), last.Pending)
	}
}

func coldSection(m *md, r *report) {
	m.f("\n## 3. Lambda cold starts and bootstrap sizes\n\n")
	m.f("Each function is built with the deployed flags for this machine and started %d times on a new `lambda.Host` "+
		"(the project's Runtime API host) that reaches the local stack: from process start to the first invocation answered. "+
		"Peak RSS is the instance's VmHWM after its invocations. Each does its work in the new flow, on a document "+
		"uploaded to the stack's bucket first: pin-document pins it (S3 GetObject and a SHA-256); sign-document checks the "+
		"pinned version and signs for Alice (S3 GetObject, KMS Sign, DynamoDB PutItem); request-signature stores a request "+
		"(one PutItem); complete-signature signs for Bob in a run opened for it beforehand with `signctl bench --pending` "+
		"(DynamoDB claim and read, S3 GetObject, KMS Sign, SendTaskSuccess, DynamoDB update), which ends the run. Each "+
		"instance gets the template's environment (bucket, key and table, checked against the stack's outputs) and the "+
		"local endpoint. Sizes are of the linux/arm64 bootstrap, zipped with deflate as "+
		"Lambda receives it:\n\n", r.Config.coldSamples)
	if len(r.Cold) > 0 {
		m.f("    %s\n\n", armBuildCommand(r.Cold[0].Package))
	}
	m.f("| function | cold start median | min | max | second invocation | start-up alone | instance peak RSS | bootstrap | zipped |\n" +
		"|---|---|---|---|---|---|---|---|---|\n")
	for _, c := range r.Cold {
		if len(c.Starts) == 0 {
			m.f("| %s | — | — | — | — | — | — | %.2f MiB | %.2f MiB |\n", c.Function, mib(c.BinBytes), mib(c.ZipBytes))
			continue
		}
		m.f("| %s | %.1f ms | %.1f ms | %.1f ms | %.1f ms | %.1f ms | %.1f MiB | %.2f MiB | %.2f MiB |\n", c.Function,
			msOf(median(c.Starts)), msOf(slices.Min(c.Starts)), msOf(slices.Max(c.Starts)), msOf(median(c.Warm)),
			msOf(median(c.StartsNoIO)), mib(slices.Max(c.PeakRSS)), mib(c.BinBytes), mib(c.ZipBytes))
	}
	var answers []string
	for _, c := range r.Cold {
		answers = append(answers, fmt.Sprintf("%s %s (start-up alone: %s)", c.Function, c.Answer, c.AnswerNoIO))
	}
	m.f("\nFirst answers: %s.\n", strings.Join(answers, "; "))
	if len(r.Floor) > 0 {
		m.f("\nThe floor function (`%s`: %s), built and started the same way, answers "+
			"its first invocation in %.1f ms (median of %d; min %.1f ms, max %.1f ms).\n", floorPackage, floorWhat, msOf(median(r.Floor)),
			len(r.Floor), msOf(slices.Min(r.Floor)), msOf(slices.Max(r.Floor)))
	}
	m.f("\n*Second invocation* is the same instance's next call with the same kind of input (medians): the first call " +
		"pays for starting — the process, the Go runtime, the function's set-up in main (AWS SDK configuration and clients) " +
		"and its first connection to the endpoint. *Start-up alone* is a cold start whose first invocation the function " +
		"refuses before calling anything (InvalidInput), so no S3, KMS or DynamoDB round trip is in it.\n")
}

func toolSection(m *md, r *report) {
	m.f("\n## 4. Tool times\n\n| command | wall time |\n|---|---|\n")
	synth := "`npx --no-install cdk synth -q -c " + synthTimeout + " -o " + r.Config.cdkOut + "`"
	for i, d := range r.Synth {
		when := "first run in `make bench`"
		if i > 0 {
			when = "again, warm"
		}
		m.f("| %s (%s) | %.1f s |\n", synth, when, d.Seconds())
	}
	if r.Config.makeTest != "" {
		m.f("| `make test`, warm (timed by `make bench` just before the run, unless MAKE_TEST_TIME gave it) | %s |\n", r.Config.makeTest)
	} else {
		m.f("| `make test`, warm | not measured in this run: time it (`time make test`) and pass MAKE_TEST_TIME=… to `make bench` |\n")
	}
}

func notesSection(m *md, r *report) {
	if len(r.Notes) == 0 && len(r.Problems) == 0 {
		return
	}
	m.f("\n## Notes\n\n")
	for _, n := range r.Notes {
		m.f("- %s\n", n)
	}
	for _, p := range r.Problems {
		m.f("- **Not measured**: %s\n", strings.ReplaceAll(p, "\n", " "))
	}
}
