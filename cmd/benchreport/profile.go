package main

import (
	"bufio"
	"cmp"
	"fmt"
	"os"
	"os/exec"
	"runtime/pprof"
	"slices"
	"strings"
	"time"
)

// profile summarizes a CPU profile of this process, which runs the stack.
type profile struct {
	Path     string
	Sampled  time.Duration // CPU time sampled
	Packages []pkgTime     // flat CPU time by package, largest first
	TopCum   string        // `go tool pprof -top -cum` head
}

// pkgTime is the CPU time spent in one package's own code.
type pkgTime struct {
	Package string
	Flat    time.Duration
}

// startProfile starts CPU profiling into path; the returned function stops
// it and summarizes the profile.
func startProfile(path string) (func() (*profile, error), error) {
	f, err := os.Create(path)
	if err != nil {
		return nil, err
	}
	if err := pprof.StartCPUProfile(f); err != nil {
		f.Close()
		return nil, err
	}
	return func() (*profile, error) {
		pprof.StopCPUProfile()
		if err := f.Close(); err != nil {
			return nil, err
		}
		return summarizeProfile(path)
	}, nil
}

func summarizeProfile(path string) (*profile, error) {
	flat, err := exec.Command("go", "tool", "pprof", "-top", "-nodecount=1000", path).Output()
	if err != nil {
		return nil, fmt.Errorf("go tool pprof -top %s: %w", path, err)
	}
	cum, err := exec.Command("go", "tool", "pprof", "-top", "-cum", "-nodecount=30", path).Output()
	if err != nil {
		return nil, fmt.Errorf("go tool pprof -top -cum %s: %w", path, err)
	}
	p := &profile{Path: path, TopCum: strings.TrimSpace(string(cum))}
	byPkg := map[string]time.Duration{}
	sc := bufio.NewScanner(strings.NewReader(string(flat)))
	for sc.Scan() {
		f := strings.Fields(sc.Text())
		if len(f) < 6 || !strings.HasSuffix(f[1], "%") {
			continue
		}
		d, err := pprofDuration(f[0])
		if err != nil {
			continue // the header line
		}
		byPkg[packageOf(strings.Join(f[5:], " "))] += d
		p.Sampled += d
	}
	for pkg, d := range byPkg {
		p.Packages = append(p.Packages, pkgTime{pkg, d})
	}
	slices.SortFunc(p.Packages, func(a, b pkgTime) int { return cmp.Compare(b.Flat, a.Flat) })
	return p, nil
}

// pprofDuration parses pprof's durations: 1.20s, 10ms, 1.5mins, 2hrs.
func pprofDuration(s string) (time.Duration, error) {
	s = strings.NewReplacer("mins", "m", "hrs", "h").Replace(s)
	return time.ParseDuration(s)
}

// packageOf returns the package of a symbol such as
// github.com/x/y/local/lambda.(*Host).Invoke or net/http.(*conn).serve.
func packageOf(symbol string) string {
	slash := strings.LastIndexByte(symbol, '/')
	dot := strings.IndexByte(symbol[slash+1:], '.')
	if dot < 0 {
		return symbol
	}
	return strings.TrimPrefix(symbol[:slash+1+dot], "github.com/hitl-go/docsign/")
}
