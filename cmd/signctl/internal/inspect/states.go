package inspect

import (
	"context"
	"math"
	"strings"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/sfn"

	"github.com/hitl-go/docsign/cmd/signctl/internal/cli"
	"github.com/hitl-go/docsign/internal/flowchart"
)

// definitionReader lists the Step Functions call that reads a definition.
type definitionReader interface {
	DescribeStateMachine(context.Context, *sfn.DescribeStateMachineInput, ...func(*sfn.Options)) (*sfn.DescribeStateMachineOutput, error)
}

// stateView is one state's line in `signctl watch`.
type stateView struct {
	Name   string `json:"name"`
	Type   string `json:"type"`
	Parent string `json:"parent,omitempty"` // the enclosing Parallel or Map state
	Depth  int    `json:"-"`
	Status string `json:"status"`
	// Elapsed is how long the state ran (so far); 0 when not started.
	Elapsed        time.Duration `json:"-"`
	ElapsedSeconds float64       `json:"elapsedSeconds"`
	Error          string        `json:"error,omitempty"`
	// Note says why a state was stopped: "run timed out".
	Note string `json:"note,omitempty"`
	// Changed is when the state last changed status (zero: not started).
	Changed time.Time `json:"-"`
}

// stateLayout lists the state machine's states in drawing order (Parallel
// branches in order, children after their parent); nil when the definition
// cannot be read, and then the history alone gives the order.
func stateLayout(ctx context.Context, api definitionReader, stateMachineARN string) []flowchart.State {
	out, err := api.DescribeStateMachine(ctx, &sfn.DescribeStateMachineInput{StateMachineArn: aws.String(stateMachineARN)})
	if err != nil {
		return nil
	}
	chart, err := flowchart.Mermaid([]byte(aws.ToString(out.Definition)))
	if err != nil {
		return nil
	}
	return chart.States
}

// stateViews lists every state of the layout with how its latest run is
// going, then the states only the history knows.
func stateViews(layout []flowchart.State, runs []*stateRun, now time.Time) []stateView {
	var views []stateView
	seen := map[string]bool{}
	depth := map[string]int{}
	names := map[string]string{}
	for _, st := range layout {
		names[st.Path] = st.Name
		if st.Parent != "" {
			depth[st.Path] = depth[st.Parent] + 1
		}
		v := stateView{Name: st.Name, Type: st.Type, Parent: names[st.Parent], Depth: depth[st.Path], Status: stateNotStarted}
		if r := latestRun(runs, st.Name); r != nil {
			fill(&v, r, now)
		}
		seen[st.Name] = true
		views = append(views, v)
	}
	for _, r := range runs {
		if seen[r.Name] {
			continue
		}
		seen[r.Name] = true
		latest := latestRun(runs, r.Name)
		v := stateView{Name: r.Name, Type: r.Type}
		for p := latest.Parent; p != nil; p = p.Parent {
			v.Depth++
		}
		if latest.Parent != nil {
			v.Parent = latest.Parent.Name
		}
		fill(&v, latest, now)
		views = insertByEntry(views, v, r, runs)
	}
	return views
}

// insertByEntry places the view of a state only the history knows (first
// entered as r) before the first view whose state was entered after r, so
// the history's order holds where the layout says nothing.
func insertByEntry(views []stateView, v stateView, r *stateRun, runs []*stateRun) []stateView {
	at := len(views)
	for i, w := range views {
		if wr := firstRun(runs, w.Name); wr != nil && wr.Entered.After(r.Entered) {
			at = i
			break
		}
	}
	return append(views[:at], append([]stateView{v}, views[at:]...)...)
}

func firstRun(runs []*stateRun, name string) *stateRun {
	for _, r := range runs {
		if r.Name == name {
			return r
		}
	}
	return nil
}

func latestRun(runs []*stateRun, name string) *stateRun {
	for i := len(runs) - 1; i >= 0; i-- {
		if runs[i].Name == name {
			return runs[i]
		}
	}
	return nil
}

func fill(v *stateView, r *stateRun, now time.Time) {
	if v.Type == "" {
		v.Type = r.Type
	}
	v.Status = r.Status
	end := r.Ended
	if end.IsZero() && (r.Status == stateFailed || r.Status == stateTimedOut) {
		end = r.Closed
	}
	if end.IsZero() {
		end = now
	}
	v.Elapsed = max(end.Sub(r.Entered), 0)
	v.ElapsedSeconds = math.Round(v.Elapsed.Seconds()*1000) / 1000
	v.Changed, v.Note = r.Changed, r.Note
	if r.Error != "" {
		v.Error = cli.ErrorText(r.Error, cli.RedactTokens(r.Cause))
	}
}

// statusWords is how watch shows a status.
func statusWords(status string) string {
	switch status {
	case stateWaiting:
		return "WAITING for a callback"
	case stateNotStarted:
		return "not started"
	}
	return strings.ToUpper(status)
}
