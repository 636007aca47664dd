package asl

import (
	"fmt"
	"maps"
	"slices"
)

// ApplyResultPath places result into input at the Reference Path p and returns
// the new state output (ASL spec, "Using InputPath, Parameters, …"): an
// existing field at that location is overwritten, missing intermediate
// objects are created, and a nil p or "$" replaces the input entirely.
// ResultPath null (discard the result) is the caller's to handle. Input is not
// modified: the objects and arrays along the path are copied.
//
// When the path cannot be applied — it steps into something that is not an
// object (for a name) or not an array holding that index — the error is
// *Error States.ResultPathMatchFailure (spec, "Runtime Errors").
func ApplyResultPath(p *Path, input, result any) (any, error) {
	if p == nil || len(p.steps) == 0 {
		if p != nil && (p.context || !p.IsDefinite()) {
			return nil, resultPathFailure(p, "it is not a reference path into the state input")
		}
		return result, nil
	}
	if p.context {
		return nil, resultPathFailure(p, "the context object cannot be written")
	}
	return setAt(p, 0, input, result)
}

func setAt(p *Path, i int, node, result any) (any, error) {
	st := p.steps[i]
	last := i == len(p.steps)-1
	if st.isIdx {
		arr, ok := node.([]any)
		idx := st.index
		if ok && idx < 0 {
			idx += len(arr)
		}
		if !ok || idx < 0 || idx >= len(arr) {
			return nil, resultPathFailure(p, fmt.Sprintf("%s is not an array with an element at index %d", p.prefix(i), st.index))
		}
		child := result
		if !last {
			var err error
			if child, err = setAt(p, i+1, arr[idx], result); err != nil {
				return nil, err
			}
		}
		out := slices.Clone(arr)
		out[idx] = child
		return out, nil
	}
	obj, ok := node.(map[string]any)
	if !ok {
		return nil, resultPathFailure(p, fmt.Sprintf("%s is not a JSON object", p.prefix(i)))
	}
	child := result
	if !last {
		existing, present := obj[st.name]
		if !present {
			existing = map[string]any{}
		}
		var err error
		if child, err = setAt(p, i+1, existing, result); err != nil {
			return nil, err
		}
	}
	out := maps.Clone(obj)
	if out == nil {
		out = map[string]any{}
	}
	out[st.name] = child
	return out, nil
}

// prefix renders the first n steps of p, e.g. "$.a.b", for messages.
func (p *Path) prefix(n int) string {
	q := &Path{steps: p.steps[:n]}
	return q.normalized()
}

func resultPathFailure(p *Path, why string) *Error {
	return &Error{Name: ErrResultPathMatchFailure, Cause: fmt.Sprintf("Unable to apply ResultPath '%s' to the state input: %s", p.raw, why)}
}
