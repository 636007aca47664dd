package inspect

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"strings"
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/sfn"
	sfntypes "github.com/aws/aws-sdk-go-v2/service/sfn/types"

	"github.com/hitl-go/docsign/cmd/signctl/internal/cli"
	"github.com/hitl-go/docsign/cmd/signctl/internal/clitest"
	"github.com/hitl-go/docsign/internal/contract"
	"github.com/hitl-go/docsign/internal/flowchart"
)

func layoutOf(t *testing.T, definition string) []flowchart.State {
	t.Helper()
	chart, err := flowchart.Mermaid([]byte(definition))
	if err != nil {
		t.Fatal(err)
	}
	return chart.States
}

func viewLines(views []stateView) []string {
	var out []string
	for _, v := range views {
		out = append(out, fmt.Sprintf("%s%s|%s|%s", strings.Repeat(">", v.Depth), v.Name, v.Status, cli.Elapsed(v.Elapsed)))
	}
	return out
}

func TestStateViews(t *testing.T) {
	running, _ := clitest.SigningHistory()
	justStarted := running.Events[:3] // the Parallel entered, no branch yet
	tests := []struct {
		name   string
		layout []flowchart.State
		events []sfntypes.HistoryEvent
		want   []string
	}{
		{"with the definition, before the branches", layoutOf(t, clitest.SigningDefinition), justStarted, []string{
			"Collect signatures|RUNNING|10.0s", ">Sign as Alice|NOT_STARTED|0ms", ">Wait for Bob to sign|NOT_STARTED|0ms"}},
		{"with the definition, Bob waiting", layoutOf(t, clitest.SigningDefinition), running.Events, []string{
			"Collect signatures|RUNNING|10.0s", ">Sign as Alice|SUCCEEDED|900ms", ">Wait for Bob to sign|WAITING|9.9s"}},
		{"without it, from the history alone", nil, running.Events, []string{
			"Collect signatures|RUNNING|10.0s", ">Sign as Alice|SUCCEEDED|900ms", ">Wait for Bob to sign|WAITING|9.9s"}},
		{"a state the definition lacks goes in history order", layoutOf(t, `{"StartAt":"Recover","States":{"Recover":{"Type":"Pass","End":true}}}`),
			retryCatchHistory(), []string{"Try|CAUGHT|4.0s", "Recover|SUCCEEDED|0ms"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			runs := readHistory(tt.events)
			got := viewLines(stateViews(tt.layout, runs, clitest.At(10)))
			if strings.Join(got, "\n") != strings.Join(tt.want, "\n") {
				t.Errorf("views:\n got %q\nwant %q", got, tt.want)
			}
		})
	}
}

// progressingRun makes the fake's run of document 3 advance on each read:
// first Bob waits, then the run succeeds.
func progressingRun(f *clitest.FakeSFN) {
	running, _ := clitest.SigningHistory()
	f.SetRun("3", sfntypes.ExecutionStatusRunning, 0, running.Events)
	f.OnRead = func(f *clitest.FakeSFN, n int) {
		if n == 2 {
			f.SetRun("3", sfntypes.ExecutionStatusSucceeded, 30, clitest.SignedHistory())
		}
	}
}

func TestWatchLines(t *testing.T) {
	f := clitest.NewFakeSFN()
	f.Definition = clitest.SigningDefinition
	progressingRun(f)
	var out bytes.Buffer
	tick := 0
	w := &watcher{api: f, stateMachineARN: clitest.SM, arn: clitest.ARN("3"), id: "3", view: &lineView{w: &out}, now: clitest.NowFrom([]float64{10, 31}, &tick)}
	res, err := w.run(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	want := `Document 3: run started 2026-11-22T10:00:00Z
[+0ms] Collect signatures: RUNNING
[+1.0s] Collect signatures / Sign as Alice: SUCCEEDED after 900ms
[+2.0s] Collect signatures / Wait for Bob to sign: WAITING for a callback
[+30.0s] Collect signatures: SUCCEEDED after 30.0s
[+30.0s] Collect signatures / Wait for Bob to sign: SUCCEEDED after 29.9s
Document 3: SUCCEEDED after 30.0s
`
	if out.String() != want {
		t.Errorf("lines:\n%s\nwant:\n%s", out.String(), want)
	}
	if res.Status != "SUCCEEDED" || len(res.States) != 3 || res.DurationSeconds != 30 {
		t.Errorf("result = %+v", res)
	}
	if err := reportEnd(&out, res, false); err != nil {
		t.Errorf("reportEnd(SUCCEEDED) = %v, want nil", err)
	}
}

func TestWatchTerminalRedraws(t *testing.T) {
	f := clitest.NewFakeSFN()
	f.Definition = clitest.SigningDefinition
	progressingRun(f)
	var out bytes.Buffer
	tick := 0
	w := &watcher{api: f, stateMachineARN: clitest.SM, arn: clitest.ARN("3"), id: "3", view: &terminalView{w: &out}, now: clitest.NowFrom([]float64{10, 31}, &tick)}
	if _, err := w.run(context.Background()); err != nil {
		t.Fatal(err)
	}
	frames := strings.Split(out.String(), "\x1b[5A\x1b[J") // 5 lines: header, column titles, 3 states
	if len(frames) != 2 {
		t.Fatalf("want two frames, the second redrawn over the first (cursor up 5, clear); got %q", out.String())
	}
	wantFirst := "Document 3 · RUNNING · 10.0s\n" +
		"  STATE                   STATUS                  ELAPSED\n" +
		"  Collect signatures      RUNNING                 10.0s\n" +
		"    Sign as Alice         SUCCEEDED               900ms\n" +
		"    Wait for Bob to sign  WAITING for a callback  9.9s\n"
	if frames[0] != wantFirst {
		t.Errorf("first frame:\n%q\nwant\n%q", frames[0], wantFirst)
	}
	if !strings.HasPrefix(frames[1], "Document 3 · SUCCEEDED · 30.0s\n") {
		t.Errorf("second frame: %q", frames[1])
	}
}

// TestWatchRunTimedOut: when only the run timed out, the Parallel shows
// as stopped by that, not as timed out itself; the waiting task timed out.
func TestWatchRunTimedOut(t *testing.T) {
	tests := []struct {
		name string
		view func(*bytes.Buffer) runView
		want []string // lines the output holds
	}{
		{"lines", func(b *bytes.Buffer) runView { return &lineView{w: b} }, []string{
			"[+1m00s] Collect signatures: ABORTED after 1m00s (run timed out)\n",
			"[+1m00s] Collect signatures / Wait for Bob to sign: TIMED_OUT after 59.9s\n",
		}},
		{"terminal", func(b *bytes.Buffer) runView { return &terminalView{w: b} }, []string{
			"  Collect signatures      ABORTED    1m00s    run timed out\n",
			"    Wait for Bob to sign  TIMED_OUT  59.9s\n",
		}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			f := clitest.NewFakeSFN()
			f.Definition = clitest.SigningDefinition
			f.SetRun("3", sfntypes.ExecutionStatusTimedOut, 60, clitest.TimedOutHistory())
			var out bytes.Buffer
			w := &watcher{api: f, stateMachineARN: clitest.SM, arn: clitest.ARN("3"), id: "3", view: tt.view(&out), now: clitest.NowFrom([]float64{70}, new(int))}
			res, err := w.run(context.Background())
			if err != nil {
				t.Fatal(err)
			}
			for _, line := range tt.want {
				if !strings.Contains(out.String(), line) {
					t.Errorf("output lacks %q:\n%s", line, out.String())
				}
			}
			if got := res.States[0]; got.Status != stateAborted || got.Note != noteRunTimedOut {
				t.Errorf("--json state %+v, want status ABORTED with note %q", got, noteRunTimedOut)
			}
		})
	}
}

func TestWatchEnds(t *testing.T) {
	tests := []struct {
		name     string
		status   sfntypes.ExecutionStatus
		events   []sfntypes.HistoryEvent
		errName  string
		cause    string
		wantExit int
		wantMsg  string
	}{
		{"declined", sfntypes.ExecutionStatusFailed, clitest.DeclinedHistory(), contract.ErrorSignatureDeclined, "wrong amount", cli.ExitRunFailed,
			"document 3 was not signed: its run ended FAILED (declined, reason: wrong amount)"},
		{"timed out", sfntypes.ExecutionStatusTimedOut, clitest.TimedOutHistory(), "", "", cli.ExitRunFailed,
			"its run ended TIMED_OUT (it timed out before every signer signed)"},
		{"no such document", "", nil, "", "", cli.ExitNotFound, "document 3 has no run"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			f := clitest.NewFakeSFN()
			if tt.status != "" {
				f.SetRun("3", tt.status, 60, tt.events)
				d := f.Execs[clitest.ARN("3")]
				if tt.errName != "" {
					d.Error, d.Cause = aws.String(tt.errName), aws.String(tt.cause)
				}
			}
			tick := 0
			w := &watcher{api: f, stateMachineARN: clitest.SM, arn: clitest.ARN("3"), id: "3", view: discardView{}, now: clitest.NowFrom([]float64{70}, &tick)}
			res, err := w.run(context.Background())
			if err == nil {
				err = reportEnd(&bytes.Buffer{}, res, true)
			}
			var ce *cli.Error
			if !errors.As(err, &ce) || ce.Exit != tt.wantExit || !strings.Contains(ce.Msg, tt.wantMsg) {
				t.Errorf("err = %v, want exit %d and %q", err, tt.wantExit, tt.wantMsg)
			}
		})
	}
}

func TestWatchGivesUpAfterRepeatedErrors(t *testing.T) {
	f := failingSFN{FakeSFN: clitest.NewFakeSFN()}
	w := &watcher{api: f, arn: clitest.ARN("3"), id: "3", view: discardView{}, now: clitest.NowFrom([]float64{0}, new(int))}
	_, err := w.run(context.Background())
	if err == nil || !strings.Contains(err.Error(), "connection refused") {
		t.Errorf("err = %v, want the read error", err)
	}
	if got := f.reads(); got != maxWatchErrors {
		t.Errorf("reads = %d, want %d", got, maxWatchErrors)
	}
}

// failingSFN fails every DescribeExecution as an unreachable endpoint does.
type failingSFN struct{ *clitest.FakeSFN }

func (f failingSFN) DescribeExecution(context.Context, *sfn.DescribeExecutionInput, ...func(*sfn.Options)) (*sfn.DescribeExecutionOutput, error) {
	f.FakeSFN.Reads++
	return nil, errors.New("dial tcp 127.0.0.1:4566: connection refused")
}

func (f failingSFN) reads() int { return f.FakeSFN.Reads }
