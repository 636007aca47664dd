package flowchart

import (
	"encoding/json"
	"fmt"
	"sort"
)

// machine is the part of an Amazon States Language state machine (or of a
// Parallel branch, or of a Map's item processor) that a chart draws.
type machine struct {
	Comment string            `json:"Comment"`
	StartAt string            `json:"StartAt"`
	States  map[string]*state `json:"States"`
}

// state holds the fields of one ASL state that shape the chart.
type state struct {
	Type     string            `json:"Type"`
	Next     string            `json:"Next"`
	End      bool              `json:"End"`
	Resource string            `json:"Resource"`
	Default  string            `json:"Default"`
	Choices  []json.RawMessage `json:"Choices"`
	Catch    []catcher         `json:"Catch"`
	Branches []*machine        `json:"Branches"`

	// Map: ItemProcessor, or Iterator in older definitions.
	ItemProcessor *processor `json:"ItemProcessor"`
	Iterator      *machine   `json:"Iterator"`

	// Wait
	Seconds       json.Number `json:"Seconds"`
	SecondsPath   string      `json:"SecondsPath"`
	Timestamp     string      `json:"Timestamp"`
	TimestampPath string      `json:"TimestampPath"`
}

type catcher struct {
	ErrorEquals []string `json:"ErrorEquals"`
	Next        string   `json:"Next"`
}

type processor struct {
	machine
	ProcessorConfig struct {
		Mode string `json:"Mode"`
	} `json:"ProcessorConfig"`
}

// processorOf returns a Map state's item processor, or nil.
func (s *state) processorOf() *machine {
	switch {
	case s.ItemProcessor != nil:
		return &s.ItemProcessor.machine
	case s.Iterator != nil:
		return s.Iterator
	}
	return nil
}

// edge is one transition out of a state, before node ids are known.
type edge struct {
	to    string // state name in the same machine
	label string
	kind  edgeKind
}

type edgeKind int

const (
	edgeNext edgeKind = iota
	edgeChoice
	edgeDefault
	edgeCatch
)

// transitions lists a state's outgoing edges in a fixed order: choice rules,
// Default, Next, then Catch clauses.
func (s *state) transitions() ([]edge, error) {
	var out []edge
	for i, raw := range s.Choices {
		var rule map[string]any
		if err := json.Unmarshal(raw, &rule); err != nil {
			return nil, fmt.Errorf("Choices[%d]: %w", i, err)
		}
		next, _ := rule["Next"].(string)
		if next == "" {
			return nil, fmt.Errorf("Choices[%d] has no Next", i)
		}
		out = append(out, edge{to: next, label: ruleText(rule), kind: edgeChoice})
	}
	if s.Default != "" {
		out = append(out, edge{to: s.Default, label: "Default", kind: edgeDefault})
	}
	if s.Next != "" {
		out = append(out, edge{to: s.Next, kind: edgeNext})
	}
	for _, c := range s.Catch {
		out = append(out, edge{to: c.Next, label: errorsText(c.ErrorEquals), kind: edgeCatch})
	}
	return out, nil
}

// order returns the machine's state names breadth-first from StartAt, then any
// unreachable states (sorted by name, each followed by what it reaches), so the
// chart does not depend on the key order of the States object.
func (m *machine) order(prefix string) ([]string, error) {
	seen := make(map[string]bool, len(m.States))
	var out []string
	visit := func(root string) error {
		queue := []string{root}
		seen[root] = true
		for len(queue) > 0 {
			name := queue[0]
			queue = queue[1:]
			out = append(out, name)
			edges, err := m.States[name].transitions()
			if err != nil {
				return &DefinitionError{Path: join(prefix, name), Reason: err.Error()}
			}
			for _, e := range edges {
				if _, ok := m.States[e.to]; !ok {
					return &DefinitionError{Path: join(prefix, name), Reason: fmt.Sprintf("transition to unknown state %q", e.to)}
				}
				if !seen[e.to] {
					seen[e.to] = true
					queue = append(queue, e.to)
				}
			}
		}
		return nil
	}
	if err := visit(m.StartAt); err != nil {
		return nil, err
	}
	rest := make([]string, 0, len(m.States)-len(out))
	for name := range m.States {
		if !seen[name] {
			rest = append(rest, name)
		}
	}
	sort.Strings(rest)
	for _, name := range rest {
		if !seen[name] {
			if err := visit(name); err != nil {
				return nil, err
			}
		}
	}
	return out, nil
}

// check reports a machine that cannot be drawn.
func (m *machine) check(prefix string) error {
	switch {
	case m == nil:
		return &DefinitionError{Path: prefix, Reason: "missing state machine"}
	case len(m.States) == 0:
		return &DefinitionError{Path: prefix, Reason: "States is empty"}
	case m.StartAt == "":
		return &DefinitionError{Path: prefix, Reason: "StartAt is missing"}
	case m.States[m.StartAt] == nil:
		return &DefinitionError{Path: prefix, Reason: fmt.Sprintf("StartAt names unknown state %q", m.StartAt)}
	}
	for name, s := range m.States {
		if s == nil || s.Type == "" {
			return &DefinitionError{Path: join(prefix, name), Reason: "Type is missing"}
		}
	}
	return nil
}
