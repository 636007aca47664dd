// Package flowchart draws an Amazon States Language state machine as a
// Mermaid flowchart: Start and End nodes, one node per state labelled with its
// name and type (a Task with its resource in short form), Next, Choice,
// Default and Catch edges (Catch edges dotted and labelled with the errors),
// each Parallel state as a box with one lane per branch (titled after the
// branch's Comment or first state) and each Map state as a box around its
// item processor. Edges into and out of a box go to the first and from the
// last states of its lanes, so lanes sit side by side in branch order;
// Catch edges leave from the box itself. (Mermaid stacks the lanes of a box
// that edges target directly, and with invisible links to its lanes it still
// reorders them and attaches the edges off-centre, so edges stay on lanes.)
//
// The output is deterministic: states are drawn breadth-first from StartAt, so
// the key order of the definition's States objects does not matter.
package flowchart

import (
	"encoding/json"
	"fmt"
	"strings"
)

// Node ids of the chart's Start and End nodes.
const (
	StartID = "n_start"
	EndID   = "n_finish"
)

// Chart is a drawn state machine.
type Chart struct {
	// Text is the Mermaid source, starting with "flowchart TD".
	Text string `json:"text"`
	// StartID and EndID are the ids of the Start and End nodes.
	StartID string `json:"startId"`
	EndID   string `json:"endId"`
	// NodeIDs maps a state's path to its Mermaid node id (for a Parallel or a
	// Map state, the id of its box). A path joins the names of the enclosing
	// states and the state's own name with "/"; a Parallel branch adds a
	// "branch N" segment (1-based), which itself maps to the lane's id. In a
	// name, "~" is written "~0" and "/" "~1" (as in a JSON Pointer), e.g.
	// "Sign/branch 2/Wait for Bob".
	NodeIDs map[string]string `json:"nodeIds"`
	// States lists every state in drawing order.
	States []State `json:"states"`
}

// State describes one drawn state.
type State struct {
	Path string `json:"path"`
	ID   string `json:"id"`
	Name string `json:"name"`
	Type string `json:"type"`
	// Kind is the label's second line, e.g. "lambda:invoke.waitForTaskToken".
	Kind string `json:"kind"`
	// Parent is the path of the enclosing Parallel or Map state ("" at the top).
	Parent string `json:"parent,omitempty"`
	// Branch is the 1-based branch of Parent when Parent is a Parallel state.
	Branch int `json:"branch,omitempty"`
	// Catch lists the paths of the states this state's Catch clauses go to.
	Catch []string `json:"catch,omitempty"`
}

// DefinitionError reports a definition that cannot be drawn.
type DefinitionError struct {
	Path   string // path of the offending state; "" for the top level
	Reason string
}

func (e *DefinitionError) Error() string {
	if e.Path == "" {
		return "state machine definition: " + e.Reason
	}
	return fmt.Sprintf("state machine definition: state %q: %s", e.Path, e.Reason)
}

// Mermaid draws an ASL definition (JSON) as a Mermaid flowchart.
func Mermaid(definition []byte) (*Chart, error) {
	var m machine
	if err := json.Unmarshal(definition, &m); err != nil {
		return nil, &DefinitionError{Reason: "not valid JSON: " + err.Error()}
	}
	b := &builder{chart: &Chart{StartID: StartID, EndID: EndID, NodeIDs: map[string]string{}}}
	b.line(1, StartID+`(("Start"))`)
	ds, ends, err := b.machine(&m, scope{exit: EndID}, 1)
	if err != nil {
		return nil, err
	}
	b.line(1, EndID+`(("End"))`)
	var first []string
	for _, to := range ds[m.StartAt].entries {
		first = append(first, fmt.Sprintf("  %s --> %s", StartID, to))
	}
	for _, from := range ends {
		b.edge(from, EndID, edge{kind: edgeNext})
	}
	b.edges = append(first, b.edges...)
	b.chart.Text = "flowchart TD\n" + strings.Join(b.decls, "\n") + "\n" + strings.Join(b.edges, "\n") + "\n"
	return b.chart, nil
}

// scope says where a (sub-)machine sits in the chart.
type scope struct {
	prefix string // path of the machine's states' container; "" at the top
	parent string // path of the enclosing Parallel or Map state
	branch int    // 1-based branch of a Parallel
	exit   string // node id Fail states connect to: the End node at the top, "" inside boxes
}

type builder struct {
	decls []string // node and box declarations, indented
	edges []string
	count int
	chart *Chart
}

func (b *builder) line(depth int, format string, args ...any) {
	b.decls = append(b.decls, strings.Repeat("  ", depth)+fmt.Sprintf(format, args...))
}

// drawn is a declared state: where edges into it land, and where flow leaves
// it for its Next. For a Parallel or Map box these are the states inside it,
// so lanes fan out from and back into their neighbours side by side.
type drawn struct {
	id      string
	entries []string
	exits   []string
}

// machine declares a machine's states, then its edges. It returns how each
// state was drawn, by name, and the nodes flow leaves the machine from (its
// End and Succeed states).
func (b *builder) machine(m *machine, sc scope, depth int) (map[string]*drawn, []string, error) {
	if err := m.check(sc.prefix); err != nil {
		return nil, nil, err
	}
	names, err := m.order(sc.prefix)
	if err != nil {
		return nil, nil, err
	}
	ds := make(map[string]*drawn, len(names))
	for _, name := range names {
		b.count++
		ds[name] = &drawn{id: fmt.Sprintf("n%d", b.count)}
	}
	for _, name := range names {
		if err := b.declare(name, m.States[name], ds, sc, depth); err != nil {
			return nil, nil, err
		}
	}
	var ends []string
	for _, name := range names {
		s, d := m.States[name], ds[name]
		edges, _ := s.transitions() // checked by order
		for _, e := range edges {
			from := d.exits
			if e.kind == edgeCatch {
				from = []string{d.id}
			}
			for _, f := range from {
				for _, to := range ds[e.to].entries {
					b.edge(f, to, e)
				}
			}
		}
		switch {
		case s.End || s.Type == "Succeed":
			ends = append(ends, d.exits...)
		case s.Type == "Fail" && sc.exit != "":
			b.edge(d.id, sc.exit, edge{kind: edgeNext})
		}
	}
	return ds, ends, nil
}

// declare writes one state's node, or its box with the box's contents.
func (b *builder) declare(name string, s *state, ds map[string]*drawn, sc scope, depth int) error {
	d := ds[name]
	path := join(sc.prefix, name)
	info := State{Path: path, ID: d.id, Name: name, Type: s.Type, Kind: kind(s), Parent: sc.parent, Branch: sc.branch}
	b.chart.NodeIDs[path] = d.id
	edges, _ := s.transitions() // checked by order
	for _, e := range edges {
		if e.kind == edgeCatch {
			info.Catch = append(info.Catch, join(sc.prefix, e.to))
		}
	}
	b.chart.States = append(b.chart.States, info)
	var machines []*machine
	switch s.Type {
	case "Parallel":
		if len(s.Branches) == 0 {
			return &DefinitionError{Path: path, Reason: "Parallel state has no Branches"}
		}
		machines = s.Branches
		b.line(depth, `subgraph %s["%s (Parallel)"]`, d.id, text(name))
	case "Map":
		proc := s.processorOf()
		if proc == nil {
			return &DefinitionError{Path: path, Reason: "Map state has no ItemProcessor"}
		}
		machines = []*machine{proc}
		b.line(depth, `subgraph %s["%s (%s)"]`, d.id, text(name), kindText(info.Kind))
	default:
		b.line(depth, "%s%s", d.id, shape(s.Type, text(name)+"<br/>"+kindText(info.Kind)))
		d.entries, d.exits = []string{d.id}, []string{d.id}
		return nil
	}
	for i, m := range machines {
		if err := b.inner(path, d, s.Type, i, m, depth+1); err != nil {
			return err
		}
	}
	b.line(depth, "end")
	if len(d.exits) == 0 { // every branch ends in Fail: leave from the box
		d.exits = []string{d.id}
	}
	return nil
}

// inner declares the i-th machine inside a box: a lane of a Parallel (its own
// box, "branch N" in paths) or a Map's item processor.
func (b *builder) inner(path string, box *drawn, typ string, i int, m *machine, depth int) error {
	sc := scope{prefix: path, parent: path}
	if typ == "Parallel" {
		laneID := fmt.Sprintf("%s_b%d", box.id, i+1)
		sc.prefix, sc.branch = join(path, fmt.Sprintf("branch %d", i+1)), i+1
		b.chart.NodeIDs[sc.prefix] = laneID
		b.line(depth, `subgraph %s["%s"]`, laneID, text(laneTitle(m, i)))
		defer b.line(depth, "end")
		depth++
	}
	ds, ends, err := b.machine(m, sc, depth)
	if err != nil {
		return err
	}
	box.entries = append(box.entries, ds[m.StartAt].entries...)
	box.exits = append(box.exits, ends...)
	return nil
}

// laneTitle names a Parallel's i-th lane after its branch: the branch's
// Comment, else its first state (one lane per signer reads "Sign as Alice",
// "Wait for Bob to sign"), else "Branch N".
func laneTitle(m *machine, i int) string {
	switch {
	case m == nil:
	case m.Comment != "":
		return m.Comment
	case m.StartAt != "":
		return m.StartAt
	}
	return fmt.Sprintf("Branch %d", i+1)
}

func (b *builder) edge(from, to string, e edge) {
	var arrow string
	switch {
	case e.kind == edgeCatch:
		arrow = fmt.Sprintf(`-.->|"%s"|`, text(e.label))
	case e.label != "":
		arrow = fmt.Sprintf(`-->|"%s"|`, text(e.label))
	default:
		arrow = "-->"
	}
	b.edges = append(b.edges, fmt.Sprintf("  %s %s %s", from, arrow, to))
}

// shape wraps an escaped label in the node shape for a state type.
func shape(typ, label string) string {
	switch typ {
	case "Choice":
		return `{"` + label + `"}`
	case "Succeed", "Fail":
		return `(["` + label + `"])`
	}
	return `("` + label + `")`
}

// join appends a state name to a path, escaping "~" and "/" in the name.
func join(prefix, name string) string {
	name = strings.NewReplacer("~", "~0", "/", "~1").Replace(name)
	if prefix == "" {
		return name
	}
	return prefix + "/" + name
}
