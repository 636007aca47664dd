package stepfunctions

import (
	"github.com/hitl-go/docsign/local/stepfunctions/asl"
)

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

// fill starts Map iterations while more allows; prev is the event that
// let them start.
func (g *group) fill(prev int64) {
	if g.filing {
		return
	}
	g.filing = true
	defer func() { g.filing = false }()
	for g.more() {
		i := g.next
		g.next++
		g.launch(i, prev)
	}
}

// more reports whether the next item may start: the Map is undecided, an
// item is left and concurrency allows. Once an iteration has failed while
// starting, only the first MaxConcurrency items start (AWS starts them
// together); a failed iteration frees no place.
func (g *group) more() bool {
	if g.settled || g.next >= len(g.items) || (g.maxc > 0 && g.running >= g.maxc) {
		return false
	}
	return g.failure == nil || g.maxc == 0 || g.next < g.maxc
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
			child.ended = true // it never ran: nothing of it to abort
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
