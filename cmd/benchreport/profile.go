package main

import (
	"bufio"
	"fmt"
	"os"
	"os/exec"
	"runtime/pprof"
	"strings"
	"time"
)

// profile summarizes a CPU profile of this process, which runs the stack.
type profile struct {
	Path    string
	Sampled time.Duration // CPU time sampled
	Entries []entryTime   // cumulative time of the stack's main paths
	TopCum  string        // `go tool pprof -top -cum` head
}

// entryTime is the CPU time spent in and below one function.
type entryTime struct {
	What   string
	Symbol string
	Cum    time.Duration
}

// profileEntries are the paths through the stack process the report shows,
// by the function that starts each (symbols without the module path).
var profileEntries = []struct{ what, symbol string }{
	{"serving HTTP: every API, the functions' Runtime API", "net/http.(*conn).serve"},
	{"system calls (mostly network reads and writes)", "syscall.RawSyscall6"},
	{"routing to the services (local/stack)", "local/stack.(*router).ServeHTTP"},
	{"proxying DynamoDB requests to dynalite (local/dynamodb)", "net/http/httputil.(*ReverseProxy).ServeHTTP"},
	{"opening new connections to dynalite", "net/http.(*Transport).dialConn"},
	{"Step Functions API and engine (local/stepfunctions)", "local/stepfunctions.(*Service).serveHTTP"},
	{"Lambda Invoke API (local/lambda)", "local/lambda.(*Host).serveInvoke"},
	{"S3 API: uploads, pins and checks (local/s3)", "local/s3.(*Service).ServeHTTP"},
	{"KMS API: signing statements (local/kms)", "local/kms.(*Service).ServeHTTP"},
	{"ECDSA P-256 signatures (in local/kms)", "crypto/ecdsa.SignASN1"},
	{"allocating memory", "runtime.mallocgc"},
	{"garbage collection", "runtime.gcBgMarkWorker"},
	{"scheduling goroutines", "runtime.schedule"},
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
	out, err := exec.Command("go", "tool", "pprof", "-top", "-cum", "-nodecount=2000", path).Output()
	if err != nil {
		return nil, fmt.Errorf("go tool pprof -top -cum %s: %w", path, err)
	}
	p := &profile{Path: path}
	cum := map[string]time.Duration{}
	var head []string
	sc := bufio.NewScanner(strings.NewReader(string(out)))
	for sc.Scan() {
		line := sc.Text()
		if len(head) < 40 {
			head = append(head, line)
		}
		if _, total, ok := strings.Cut(line, "Total samples = "); ok {
			p.Sampled, _ = pprofDuration(strings.Fields(total)[0])
		}
		f := strings.Fields(line)
		if len(f) < 6 || !strings.HasSuffix(f[1], "%") {
			continue
		}
		c, err := pprofDuration(f[3])
		if err != nil {
			continue // the header line
		}
		cum[strings.TrimPrefix(strings.Join(f[5:], " "), "github.com/hitl-go/docsign/")] = c
	}
	for _, e := range profileEntries {
		p.Entries = append(p.Entries, entryTime{What: e.what, Symbol: e.symbol, Cum: cum[e.symbol]})
	}
	p.TopCum = strings.Join(head, "\n")
	return p, nil
}

// pprofDuration parses pprof's durations: 1.20s, 10ms, 1.5mins, 2hrs.
func pprofDuration(s string) (time.Duration, error) {
	s = strings.NewReplacer("mins", "m", "hrs", "h").Replace(s)
	return time.ParseDuration(s)
}
