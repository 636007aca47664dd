package stepfunctions

import "fmt"

// checkTransitions applies AWS's graph checks to one scope, with AWS's
// messages: every transition target exists (the word is always 'Next',
// whatever the field), the scope has a terminal state, and every state is
// reachable from StartAt. A scope without a terminal state is not checked
// for reachability, as AWS does.
func (l *loader) checkTransitions(sc *scope, loc string) {
	missing := func(target, at string) {
		l.fail(diagTransition, at, "Missing 'Next' target: %s", target)
	}
	if _, ok := sc.states[sc.startAt]; !ok {
		missing(sc.startAt, loc+"/StartAt")
	}
	terminal := false
	for _, name := range sortedStateNames(sc) {
		st := sc.states[name]
		for _, t := range st.transitions(loc + "/States/" + name) {
			if _, ok := sc.states[t.target]; !ok {
				missing(t.target, t.loc)
			}
		}
		terminal = terminal || st.end || st.typ == typeSucceed || st.typ == typeFail
	}
	if !terminal {
		l.fail(diagEndState, "", "Workflow has no terminal state")
		return
	}
	reached := map[string]bool{}
	queue := []string{sc.startAt}
	for len(queue) > 0 {
		name := queue[0]
		queue = queue[1:]
		st, ok := sc.states[name]
		if !ok || reached[name] {
			continue
		}
		reached[name] = true
		for _, t := range st.transitions("") {
			queue = append(queue, t.target)
		}
	}
	for _, name := range sortedStateNames(sc) {
		if !reached[name] {
			l.fail(diagTransition, loc+"/States/"+name, "State \"%s\" is not reachable.", name)
		}
	}
}

type transition struct{ target, loc string }

// transitions lists the states st can go to, with the location of each
// reference (under the state's location loc).
func (st *stateDef) transitions(loc string) []transition {
	var ts []transition
	if st.next != "" {
		ts = append(ts, transition{st.next, loc + "/Next"})
	}
	if st.choice != nil {
		for i, next := range st.choice.nexts {
			if next != "" {
				ts = append(ts, transition{next, fmt.Sprintf("%s/Choices[%d]/Next", loc, i)})
			}
		}
		if st.choice.defaultNext != "" {
			ts = append(ts, transition{st.choice.defaultNext, loc + "/Default"})
		}
	}
	for i, c := range st.catch {
		if c.next != "" {
			ts = append(ts, transition{c.next, fmt.Sprintf("%s/Catch[%d]/Next", loc, i)})
		}
	}
	return ts
}

func sortedStateNames(sc *scope) []string {
	m := make(map[string]any, len(sc.states))
	for k := range sc.states {
		m[k] = nil
	}
	return sortedKeys(m)
}
