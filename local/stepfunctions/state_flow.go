package stepfunctions

import (
	"math/rand/v2"
	"time"

	"github.com/hitl-go/docsign/local/stepfunctions/asl"
)

// Input and output processing (ASL spec, "Input and Output Processing"):
// InputPath → Parameters → the state's work → ResultSelector → ResultPath →
// OutputPath.

// selectPath applies an InputPath or OutputPath: "$" by default, {} for null.
func (f *frame) selectPath(p ioPath, v any) (any, *asl.Error) {
	switch {
	case p.null:
		return map[string]any{}, nil
	case p.path == nil:
		return v, nil
	}
	out, err := p.path.Select(v, f.context("", nil))
	if err != nil {
		return nil, f.runtimeError(err)
	}
	return out, nil
}

// effectiveInput applies InputPath and Parameters to the raw input.
func (f *frame) effectiveInput(token string) (any, *asl.Error) {
	in, err := f.selectPath(f.st.inputPath, f.input)
	if err != nil || f.st.parameters == nil {
		return in, err
	}
	out, perr := f.st.parameters.Eval(in, f.context(token, nil))
	if perr != nil {
		return nil, f.runtimeError(perr)
	}
	return out, nil
}

// output applies ResultPath and OutputPath to a state's result.
func (f *frame) output(result any) outcome {
	out := f.input
	if !f.st.resultPath.null {
		var err error
		if out, err = asl.ApplyResultPath(f.st.resultPath.path, f.input, result); err != nil {
			return outcome{err: f.runtimeError(err)}
		}
	}
	final, err := f.selectPath(f.st.outputPath, out)
	return outcome{output: final, err: err}
}

// resultOutput applies ResultSelector, ResultPath and OutputPath to the
// result of a Task, Parallel or Map state.
func (f *frame) resultOutput(result any) outcome {
	if f.st.resultSelector != nil {
		sel, err := f.st.resultSelector.Eval(result, f.context("", nil))
		if err != nil {
			return outcome{err: f.runtimeError(err)}
		}
		result = sel
	}
	return f.output(result)
}

func (f *frame) context(token string, item *mapItem) map[string]any {
	return f.t.x.contextObject(f, token, item)
}

func (f *frame) pass() outcome {
	in, err := f.effectiveInput("")
	if err != nil {
		return outcome{err: err}
	}
	if f.st.hasResult {
		in = f.st.result
	}
	return f.output(in)
}

func (f *frame) succeed() outcome {
	in, err := f.selectPath(f.st.inputPath, f.input)
	if err != nil {
		return outcome{err: err}
	}
	out, err := f.selectPath(f.st.outputPath, in)
	return outcome{output: out, err: err}
}

// choice picks the Next of the first matching rule, or Default, or fails
// with States.NoChoiceMatched.
func (f *frame) choice() outcome {
	in, err := f.selectPath(f.st.inputPath, f.input)
	if err != nil {
		return outcome{err: err}
	}
	ctx := f.context("", nil)
	next := f.st.choice.defaultNext
	for _, r := range f.st.choice.rules {
		ok, merr := r.Match(in, ctx)
		if merr != nil {
			return outcome{err: f.runtimeError(merr)}
		}
		if ok {
			next = r.Next()
			break
		}
	}
	if next == "" {
		return outcome{err: &asl.Error{Name: asl.ErrNoChoiceMatched}}
	}
	out, err := f.selectPath(f.st.outputPath, in)
	return outcome{output: out, next: next, err: err}
}

// failState ends the thread with the state's Error and Cause.
func (f *frame) failState() outcome {
	fd := f.st.fail
	name, cause := fd.errorName, fd.cause
	var err *asl.Error
	if fd.errorExpr != nil {
		name, err = f.stringExpr(fd.errorExpr, "ErrorPath")
	}
	if err == nil && fd.causeEx != nil {
		cause, err = f.stringExpr(fd.causeEx, "CausePath")
	}
	if err != nil {
		return outcome{err: err}
	}
	return outcome{err: &asl.Error{Name: name, Cause: cause}}
}

func (f *frame) stringExpr(e asl.Expr, field string) (string, *asl.Error) {
	v, err := e.Eval(f.input, f.context("", nil))
	if err != nil {
		return "", f.runtimeError(err)
	}
	s, ok := v.(string)
	if !ok {
		return "", f.runtimeError(&asl.Error{Name: asl.ErrRuntime, Cause: "The " + field +
			" '" + e.String() + "' did not resolve to a string: " + encodeJSON(v)})
	}
	return s, nil
}

// wait parks the thread until the state's Seconds, SecondsPath, Timestamp
// or TimestampPath.
func (f *frame) wait() outcome {
	in, err := f.selectPath(f.st.inputPath, f.input)
	if err != nil {
		return outcome{err: err}
	}
	until, err := f.waitUntil(in)
	if err != nil {
		return outcome{err: err}
	}
	finish := func() outcome {
		out, err := f.selectPath(f.st.outputPath, in)
		return outcome{output: out, err: err}
	}
	clock := f.t.x.svc.clock
	d := until.Sub(clock.Now())
	if d <= 0 {
		return finish()
	}
	attempt := f.attempt
	timer := clock.AfterFunc(d, func() {
		x := f.t.x
		x.mu.Lock()
		defer x.mu.Unlock()
		if f.live(attempt) {
			f.complete(finish())
		}
	})
	return f.park(func(int64) { timer.Stop() })
}

// waitUntil resolves when the Wait state ends. AWS considers a timestamp
// up to seconds and truncates milliseconds (developer guide, "Wait
// workflow state"); Timestamp and TimestampPath use the spec's RFC 3339
// profile, as Choice rules do.
func (f *frame) waitUntil(in any) (time.Time, *asl.Error) {
	w := f.st.wait
	now := f.t.x.svc.clock.Now()
	switch {
	case w.hasTimestamp:
		return w.timestamp.Truncate(time.Second), nil
	case w.secondsPath != nil:
		v, err := w.secondsPath.Select(in, f.context("", nil))
		if err != nil {
			return now, f.runtimeError(err)
		}
		n, ok := nonNegativeInt(v)
		if !ok {
			return now, f.runtimeError(&asl.Error{Name: asl.ErrRuntime, Cause: "The SecondsPath parameter does not reference a valid integer value: " + encodeJSON(v)})
		}
		return now.Add(time.Duration(n) * time.Second), nil
	case w.timestampPath != nil:
		v, err := w.timestampPath.Select(in, f.context("", nil))
		if err != nil {
			return now, f.runtimeError(err)
		}
		s, _ := v.(string)
		t, ok := asl.ParseTimestamp(s)
		if !ok {
			return now, f.runtimeError(&asl.Error{Name: asl.ErrRuntime, Cause: "The TimestampPath parameter does not reference a valid ISO-8601 extended offset date-time format string: " + encodeJSON(v)})
		}
		return t.Truncate(time.Second), nil
	}
	return now.Add(time.Duration(w.seconds) * time.Second), nil
}

// nonNegativeInt reads a JSON number that is a whole number ≥ 0.
func nonNegativeInt(v any) (int64, bool) {
	f, ok := number(v)
	if !ok || f < 0 || f != float64(int64(f)) || f > 99999999 {
		return 0, false
	}
	return int64(f), true
}

// jitter draws the factor of JitterStrategy FULL.
func jitter() float64 { return rand.Float64() }
