package main

import (
	"bytes"
	"cmp"
	"context"
	"encoding/json"
	"fmt"
	"maps"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/hitl-go/docsign/internal/contract"
)

// benchResult is what `signctl bench --json` prints.
type benchResult = contract.BenchResult

// benchKeys are the contract's keys, all of them and no others, sorted.
var benchKeys = jsonKeys(benchResult{})

// jsonKeys lists the members v encodes to, sorted.
func jsonKeys(v any) []string {
	b, err := json.Marshal(v)
	var m map[string]json.RawMessage
	if err == nil {
		err = json.Unmarshal(b, &m)
	}
	if err != nil {
		panic(fmt.Sprintf("benchreport: %T does not encode as an object: %v", v, err))
	}
	return slices.Sorted(maps.Keys(m))
}

// benchRun is one `signctl bench` run against a local stack.
type benchRun struct {
	Command   string
	Result    benchResult
	Usage     usage         // the stack's
	ClientCPU time.Duration // the bench client's own CPU time
	Failures  string        // the client's stderr: failure reasons
	// DynamoConns counts TCP connections to dynalite closed during the run
	// (-1 if unknown): requests that did not reuse a connection.
	DynamoConns int
}

// benchSpec is what one run asks of `signctl bench`.
type benchSpec struct {
	Documents, Concurrency, Pending int
	// Endpoint is where the client sends its calls: "" for the stack, or
	// a counting proxy in front of it.
	Endpoint string
}

func (s benchSpec) args() []string {
	a := []string{"--documents", strconv.Itoa(s.Documents), "--concurrency", strconv.Itoa(s.Concurrency)}
	if s.Pending > 0 {
		a = append(a, "--pending", strconv.Itoa(s.Pending))
	}
	return a
}

// runClient runs `signctl bench` against ls and meters the stack meanwhile.
func runClient(ctx context.Context, signctl string, ls *localStack, spec benchSpec) (benchRun, error) {
	endpoint := cmp.Or(spec.Endpoint, ls.Endpoint())
	args := append([]string{"bench", "--endpoint", endpoint, "--outputs-file", ls.OutputsFile(), "--json"}, spec.args()...)
	run := benchRun{Command: "signctl " + strings.Join(args, " ")}
	port := ls.dynalitePort()
	closed0 := timeWaitTo(port)
	cmd := command(ctx, signctl, args...)
	var stdout, stderr bytes.Buffer
	cmd.Stdout, cmd.Stderr = &stdout, &stderr
	if err := cmd.Start(); err != nil {
		return run, err
	}
	m := startMeter(cmd.Process.Pid, ls.label)
	err := cmd.Wait()
	run.Usage = m.stop()
	run.DynamoConns = -1
	if port != 0 {
		run.DynamoConns = timeWaitTo(port) - closed0
	}
	run.Failures = strings.TrimSpace(stderr.String())
	if err != nil {
		return run, fmt.Errorf("%s: %w: %s", run.Command, err, run.Failures)
	}
	run.ClientCPU = cmd.ProcessState.UserTime() + cmd.ProcessState.SystemTime()
	run.Result, err = decodeBench(stdout.Bytes())
	return run, err
}

// decodeBench checks that out is exactly the contract's object and reads it.
func decodeBench(out []byte) (benchResult, error) {
	var keys map[string]json.RawMessage
	if err := json.Unmarshal(out, &keys); err != nil {
		return benchResult{}, fmt.Errorf("signctl bench --json printed %q: %w", out, err)
	}
	if got := slices.Sorted(maps.Keys(keys)); !slices.Equal(got, benchKeys) {
		return benchResult{}, fmt.Errorf("signctl bench --json printed keys %v, want exactly %v", got, benchKeys)
	}
	var r benchResult
	err := json.Unmarshal(out, &r)
	return r, err
}
