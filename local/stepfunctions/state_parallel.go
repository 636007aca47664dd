package stepfunctions

import (
	"github.com/hitl-go/docsign/local/stepfunctions/asl"
)

// A group runs the child threads of a Parallel state (one per branch) or
// of a Map state (one per item, at most maxConcurrency at a time) and joins
// them. The first child to fail aborts its siblings and fails the state
// with the child's own error (AWS has no States.BranchFailed at run time).
type group struct {
	f        *frame
	attempt  int
	results  []any
	children []*thread // started so far; index = branch or item
	running  int
	finished int

	starting bool    // inside the frame's execute: outcomes are returned, not completed
	settled  bool    // the state's outcome is decided
	final    outcome // the outcome decided while starting

	// Map only.
	isMap  bool
	items  []any
	input  any // the Map's effective input, for ItemSelector
	maxc   int // 0: unlimited
	next   int // next item to start
	filing bool
}

// parallel runs every branch on the effective input; the result is the
// array of the branches' outputs, in branch order.
func (f *frame) parallel() outcome {
	in, err := f.effectiveInput("")
	if err != nil {
		return outcome{err: err}
	}
	started := f.t.record("ParallelStateStarted", "", nil)
	branches := f.st.branches
	g := &group{f: f, attempt: f.attempt, results: make([]any, len(branches)), starting: true}
	f.park(g.abort)
	for i, sc := range branches {
		if g.settled {
			break
		}
		child := &thread{x: f.t.x, sc: sc, prev: started, done: g.childDone(i)}
		g.children = append(g.children, child)
		g.running++
		child.run(sc.startAt, in)
	}
	return g.started()
}

// mapState runs the ItemProcessor once per item of ItemsPath.
func (f *frame) mapState() outcome {
	md := f.st.mapping
	in, err := f.selectPath(f.st.inputPath, f.input)
	if err != nil {
		return outcome{err: err}
	}
	items := in
	if md.itemsPath != nil {
		v, serr := md.itemsPath.Select(in, f.context("", nil))
		if serr != nil {
			return outcome{err: f.runtimeError(serr)}
		}
		items = v
	}
	arr, ok := items.([]any)
	if !ok {
		return outcome{err: f.runtimeError(&asl.Error{Name: asl.ErrRuntime,
			Cause: "Items of a Map state must be a JSON array, got: " + encodeJSON(items)})}
	}
	maxc := md.maxConcurrency
	if md.maxConcurrencyPath != nil {
		v, serr := md.maxConcurrencyPath.Select(in, f.context("", nil))
		n, ok := nonNegativeInt(v)
		if serr != nil || !ok {
			return outcome{err: f.runtimeError(&asl.Error{Name: asl.ErrRuntime,
				Cause: "The MaxConcurrencyPath parameter does not reference a valid non-negative integer: " + encodeJSON(v)})}
		}
		maxc = n
	}
	started := f.t.record("MapStateStarted", keyMapStateStarted, mapStartedDetails{Length: len(arr)})
	if len(arr) == 0 {
		f.t.record("MapStateSucceeded", "", nil)
		return f.resultOutput([]any{})
	}
	g := &group{f: f, attempt: f.attempt, results: make([]any, len(arr)), starting: true,
		isMap: true, items: arr, input: in, maxc: int(maxc)}
	f.park(g.abort)
	g.fill(started)
	return g.started()
}

// started ends the starting phase: the outcome if the children already
// decided it, pending otherwise.
func (g *group) started() outcome {
	g.starting = false
	if !g.settled {
		return pendingOutcome
	}
	g.f.pending = false
	g.f.stopWork = nil
	return g.final
}

// fill starts Map iterations while concurrency allows; prev is the event
// that let them start.
func (g *group) fill(prev int64) {
	if g.filing {
		return
	}
	g.filing = true
	defer func() { g.filing = false }()
	for !g.settled && g.next < len(g.items) && (g.maxc == 0 || g.running < g.maxc) {
		i := g.next
		g.next++
		g.launch(i, prev)
	}
}

// launch starts Map iteration i.
func (g *group) launch(i int, prev int64) {
	x, f := g.f.t.x, g.f
	started := x.record(prev, "MapIterationStarted", mapIterationKey("MapIterationStarted"),
		mapIterationDetails{Name: f.st.name, Index: i})
	child := &thread{x: x, sc: f.st.mapping.processor, prev: started, done: g.childDone(i)}
	g.children = append(g.children, child)
	g.running++
	input := g.items[i]
	if sel := f.st.mapping.itemSelector; sel != nil {
		v, err := sel.Eval(g.input, f.context("", &mapItem{index: i, value: g.items[i]}))
		if err != nil {
			g.childDone(i)(child, nil, f.runtimeError(err))
			return
		}
		input = v
	}
	child.run(child.sc.startAt, input)
}

// mapItem is $$.Map.Item while a Map's ItemSelector is evaluated.
type mapItem struct {
	index int
	value any
}

// childDone returns the completion callback of child i.
func (g *group) childDone(i int) func(*thread, any, *asl.Error) {
	return func(t *thread, out any, err *asl.Error) {
		if g.settled || !g.f.live(g.attempt) {
			return
		}
		g.running--
		if err != nil {
			g.childFailed(i, t.prev, err)
			return
		}
		g.results[i] = out
		g.finished++
		prev := t.prev
		if g.isMap {
			prev = g.f.t.x.record(t.prev, "MapIterationSucceeded", mapIterationKey("MapIterationSucceeded"),
				mapIterationDetails{Name: g.f.st.name, Index: i})
		}
		if g.finished < len(g.results) {
			if g.isMap {
				g.fill(t.prev)
			}
			return
		}
		g.settled = true
		g.f.t.prev = g.f.t.x.record(prev, g.f.st.typ+"StateSucceeded", "", nil)
		g.decide(g.f.resultOutput(g.results))
	}
}

// childFailed aborts the other children and fails the state with the
// child's error; prev is the child's last event.
func (g *group) childFailed(i int, prev int64, err *asl.Error) {
	g.settled = true
	x := g.f.t.x
	if g.isMap {
		x.record(prev, "MapIterationFailed", mapIterationKey("MapIterationFailed"),
			mapIterationDetails{Name: g.f.st.name, Index: i})
	}
	g.abortChildren(prev, i)
	g.f.t.prev = x.record(prev, g.f.st.typ+"StateFailed", "", nil)
	g.decide(outcome{err: err})
}

// abortChildren aborts every running child except skip, recording their
// aborted events with previousEventId prev.
func (g *group) abortChildren(prev int64, skip int) {
	for j, c := range g.children {
		if j == skip || c.dead || c.ended {
			continue
		}
		c.abort(prev)
		if g.isMap {
			g.f.t.x.record(prev, "MapIterationAborted", mapIterationKey("MapIterationAborted"),
				mapIterationDetails{Name: g.f.st.name, Index: j})
		}
	}
}

// abort is the frame's stopWork: the Parallel or Map state itself is
// being aborted.
func (g *group) abort(emitPrev int64) {
	g.settled = true
	for _, c := range g.children {
		if emitPrev == 0 {
			c.abort(0)
		}
	}
	if emitPrev != 0 {
		g.abortChildren(emitPrev, -1)
	}
}

// decide delivers the state's outcome.
func (g *group) decide(oc outcome) {
	if g.starting {
		g.final = oc
		return
	}
	g.f.complete(oc)
}
