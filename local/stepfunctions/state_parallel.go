package stepfunctions

import (
	"github.com/hitl-go/docsign/local/stepfunctions/asl"
)

// A group runs the child threads of a Parallel state (one per branch) or
// of a Map state (one per item, at most maxConcurrency at a time) and joins
// them. The first child to fail aborts its siblings and fails the state
// with the child's own error (AWS has no States.BranchFailed at run time).
// AWS starts every branch, and the first MaxConcurrency iterations,
// together: a child that fails at once does not keep its siblings from
// starting (and getting their aborted events).
type group struct {
	f        *frame
	attempt  int
	results  []any
	children []*thread // started so far; index = branch or item
	running  int
	finished int

	starting bool          // inside the frame's execute: outcomes are returned, not completed
	failure  *childFailure // the first child that failed while starting
	settled  bool          // the state's outcome is decided
	final    outcome       // the outcome decided while starting

	// Map only.
	isMap  bool
	items  []any
	input  any // the Map's effective input, for ItemSelector
	maxc   int // 0: unlimited
	next   int // next item to start
	filing bool
}

// childFailure is a child's failure kept until its siblings have started.
type childFailure struct {
	index int
	prev  int64 // the child's last event
	err   *asl.Error
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

// started ends the starting phase: a failure met while starting fails the
// state now; the outcome if the children already decided it, pending
// otherwise.
func (g *group) started() outcome {
	if fl := g.failure; fl != nil && !g.settled {
		g.fail(fl.index, fl.prev, fl.err)
	}
	g.starting = false
	if !g.settled {
		return pendingOutcome
	}
	g.f.pending = false
	g.f.stopWork = nil
	return g.final
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

// childFailed records child i's failure; prev is the child's last event.
// While the group is starting, the first failure waits for the siblings to
// start; otherwise it fails the state at once.
func (g *group) childFailed(i int, prev int64, err *asl.Error) {
	if g.isMap {
		g.f.t.x.record(prev, "MapIterationFailed", mapIterationKey("MapIterationFailed"),
			mapIterationDetails{Name: g.f.st.name, Index: i})
	}
	if !g.starting {
		g.fail(i, prev, err)
		return
	}
	if g.failure == nil {
		g.failure = &childFailure{index: i, prev: prev, err: err}
	}
}

// fail aborts the children other than i and fails the state with err.
func (g *group) fail(i int, prev int64, err *asl.Error) {
	g.settled = true
	g.abortChildren(prev, i)
	g.f.t.prev = g.f.t.x.record(prev, g.f.st.typ+"StateFailed", "", nil)
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
