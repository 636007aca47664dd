package inspect

import (
	"bytes"
	"fmt"
	"io"
	"slices"
	"strings"
	"time"

	sfntypes "github.com/aws/aws-sdk-go-v2/service/sfn/types"

	"github.com/hitl-go/docsign/cmd/signctl/internal/cli"
)

// runView shows each snapshot watch takes.
type runView interface {
	show(res watchResult, now time.Time)
}

// discardView shows nothing (watch --json prints only the end).
type discardView struct{}

func (discardView) show(watchResult, time.Time) {}

// terminalView redraws the whole view in place on a terminal.
type terminalView struct {
	w     io.Writer
	lines int // lines drawn last time
}

func (v *terminalView) show(res watchResult, now time.Time) {
	frame := renderFrame(res)
	if v.lines > 0 {
		cli.WriteControl(v.w, fmt.Sprintf("\x1b[%dA\x1b[J", v.lines)) // cursor up to the frame's start, clear below
	}
	io.WriteString(v.w, frame)
	v.lines = strings.Count(frame, "\n")
}

// renderFrame draws the run's header and a table of its states.
func renderFrame(res watchResult) string {
	var b bytes.Buffer
	fmt.Fprintf(&b, "Document %s · %s · %s\n", res.DocumentID, res.Status, cli.Elapsed(time.Duration(res.DurationSeconds*float64(time.Second))))
	rows := [][]string{{"  STATE", "STATUS", "ELAPSED", ""}}
	for _, s := range res.States {
		took := "-"
		if s.Status != stateNotStarted {
			took = cli.Elapsed(s.Elapsed)
		}
		rows = append(rows, []string{"  " + strings.Repeat("  ", s.Depth) + s.Name, statusWords(s.Status), took, firstNonEmpty(s.Error, s.Note)})
	}
	cli.WriteTable(&b, rows)
	return b.String()
}

// lineView prints a line per change, for logs and pipes.
type lineView struct {
	w       io.Writer
	started bool
	last    map[string]string // state name → status shown
}

func (v *lineView) show(res watchResult, _ time.Time) {
	start := time.Time(res.StartDate)
	if !v.started {
		fmt.Fprintf(v.w, "Document %s: run started %s\n", res.DocumentID, cli.Timestamp(start))
		v.started, v.last = true, map[string]string{}
	}
	var changed []stateView
	for _, s := range res.States {
		if s.Status != stateNotStarted && v.last[s.Name] != s.Status {
			v.last[s.Name] = s.Status
			changed = append(changed, s)
		}
	}
	// In the order they happened (a late start sees several changes at once).
	slices.SortStableFunc(changed, func(a, b stateView) int { return a.Changed.Compare(b.Changed) })
	for _, s := range changed {
		fmt.Fprintln(v.w, changeLine(s, start))
	}
	if res.Status != string(sfntypes.ExecutionStatusRunning) {
		fmt.Fprintf(v.w, "Document %s: %s after %s\n", res.DocumentID, res.Status,
			cli.Elapsed(time.Duration(res.DurationSeconds*float64(time.Second))))
	}
}

// changeLine is one state's change: "[+0.4s] Collect signatures / Sign as Alice: SUCCEEDED after 0.4s".
func changeLine(s stateView, start time.Time) string {
	name := s.Name
	if s.Parent != "" {
		name = s.Parent + " / " + name
	}
	line := fmt.Sprintf("[+%s] %s: %s", cli.Elapsed(s.Changed.Sub(start)), name, statusWords(s.Status))
	switch s.Status {
	case stateRunning, stateWaiting:
	default:
		line += " after " + cli.Elapsed(s.Elapsed)
	}
	if note := firstNonEmpty(s.Error, s.Note); note != "" {
		line += " (" + note + ")"
	}
	return line
}

func firstNonEmpty(ss ...string) string {
	for _, s := range ss {
		if s != "" {
			return s
		}
	}
	return ""
}
