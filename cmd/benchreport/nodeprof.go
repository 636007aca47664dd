package main

import (
	"cmp"
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"time"
)

// nodeProfiler is loaded into dynalite's node process with --require: it
// starts V8's CPU profiler and writes the profile when SIGTERM stops the
// process (node's --cpu-prof is refused in NODE_OPTIONS, and would not
// write on a signal).
const nodeProfiler = `const inspector = require('inspector'), fs = require('fs');
const session = new inspector.Session();
session.connect();
session.post('Profiler.enable', () => session.post('Profiler.start'));
process.on('SIGTERM', () => session.post('Profiler.stop', (err, res) => {
  if (!err) fs.writeFileSync(%q + '/dynalite-' + process.pid + '.cpuprofile', JSON.stringify(res.profile));
  process.exit(0);
}));
`

// enableNodeProfile makes the node processes started from now on profile
// themselves into dir, replacing the profiles of an earlier run; the
// returned function stops that for later ones.
func enableNodeProfile(dir string) (func(), error) {
	old, _ := filepath.Glob(filepath.Join(dir, "dynalite-*.cpuprofile"))
	for _, f := range old {
		if err := os.Remove(f); err != nil {
			return nil, err
		}
	}
	script := filepath.Join(dir, "node-profiler.js")
	abs, err := filepath.Abs(dir)
	if err != nil {
		return nil, err
	}
	if err := os.WriteFile(script, []byte(fmt.Sprintf(nodeProfiler, abs)), 0o644); err != nil {
		return nil, err
	}
	scriptAbs, _ := filepath.Abs(script)
	prev, had := os.LookupEnv("NODE_OPTIONS")
	os.Setenv("NODE_OPTIONS", strings.TrimSpace(prev+" --require "+scriptAbs))
	return func() {
		if had {
			os.Setenv("NODE_OPTIONS", prev)
		} else {
			os.Unsetenv("NODE_OPTIONS")
		}
	}, nil
}

// pkgTime is the CPU time spent in one source file or package.
type pkgTime struct {
	Package string
	Flat    time.Duration
}

// v8Profile is the part of a .cpuprofile the summary reads.
type v8Profile struct {
	Nodes []struct {
		ID        int `json:"id"`
		CallFrame struct {
			FunctionName string `json:"functionName"`
			URL          string `json:"url"`
		} `json:"callFrame"`
	} `json:"nodes"`
	Samples    []int `json:"samples"`
	TimeDeltas []int `json:"timeDeltas"` // microseconds
}

// summarizeNodeProfiles reads the profiles in dir and returns the busy
// time by source file (idle time left out), largest first.
func summarizeNodeProfiles(dir string) ([]pkgTime, time.Duration, error) {
	files, _ := filepath.Glob(filepath.Join(dir, "dynalite-*.cpuprofile"))
	if len(files) == 0 {
		return nil, 0, fmt.Errorf("no dynalite profile in %s", dir)
	}
	byFile := map[string]time.Duration{}
	var busy time.Duration
	for _, f := range files {
		data, err := os.ReadFile(f)
		if err != nil {
			return nil, 0, err
		}
		var p v8Profile
		if err := json.Unmarshal(data, &p); err != nil {
			return nil, 0, fmt.Errorf("%s: %w", f, err)
		}
		where := map[int]string{}
		for _, n := range p.Nodes {
			where[n.ID] = sourceOf(n.CallFrame.FunctionName, n.CallFrame.URL)
		}
		for i, id := range p.Samples {
			if i < len(p.TimeDeltas) && where[id] != "(idle)" {
				d := time.Duration(p.TimeDeltas[i]) * time.Microsecond
				byFile[where[id]] += d
				busy += d
			}
		}
	}
	out := make([]pkgTime, 0, len(byFile))
	for f, d := range byFile {
		out = append(out, pkgTime{f, d})
	}
	slices.SortFunc(out, func(a, b pkgTime) int { return cmp.Compare(b.Flat, a.Flat) })
	return out, busy, nil
}

// sourceOf names where a sample ran: a file of dynalite or of another npm
// package, node's own module, or V8's pseudo-frames such as
// "(garbage collector)" and native calls.
func sourceOf(function, url string) string {
	if _, rest, ok := strings.Cut(url, "node_modules/"); ok {
		if strings.HasPrefix(rest, "dynalite/") {
			return rest
		}
		pkg, _, _ := strings.Cut(rest, "/")
		return pkg + " (npm)"
	}
	if url != "" {
		return url
	}
	return function
}
