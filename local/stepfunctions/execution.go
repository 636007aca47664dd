package stepfunctions

import (
	"bytes"
	"encoding/json"
	"errors"
	"io"
	"sync"
	"time"

	"github.com/hitl-go/docsign/local/stepfunctions/asl"
)

// Execution statuses.
const (
	statusRunning   = "RUNNING"
	statusSucceeded = "SUCCEEDED"
	statusFailed    = "FAILED"
	statusTimedOut  = "TIMED_OUT"
	statusAborted   = "ABORTED"
)

// maxPayloadSize is AWS's quota on execution inputs, state inputs and
// outputs and task results: 256 KiB.
const maxPayloadSize = 256 * 1024

// An execution is one run of a state machine. Everything that changes an
// execution (state transitions, history, timers firing, Lambda results,
// callbacks, StopExecution) happens under mu, so the interpreter itself is
// single-threaded per execution; Lambda calls run in their own goroutines
// and report back under mu.
type execution struct {
	svc      *Service
	sm       *stateMachine
	def      *machineDef
	arn      string
	name     string
	input    string // the execution input as given
	inputVal any
	start    time.Time

	mu      sync.Mutex
	status  string
	stop    time.Time
	output  string
	errName string
	cause   string
	events  []event
	timer   Timer // machine-level TimeoutSeconds
	root    *thread
	done    chan struct{} // closed when the execution closes
}

// record appends an event to the history and returns its id. Callers hold
// x.mu.
func (x *execution) record(prev int64, typ, key string, detail any) int64 {
	id := int64(len(x.events) + 1)
	x.events = append(x.events, event{id: id, prev: prev, timestamp: x.svc.clock.Now(),
		typ: typ, detailKey: key, detail: detail})
	return id
}

func (x *execution) lastEventID() int64 { return int64(len(x.events)) }

func (x *execution) running() bool { return x.status == statusRunning }

// begin records ExecutionStarted, arms the machine timeout and runs the
// start state. It is called once, without x.mu held.
func (x *execution) begin() {
	x.mu.Lock()
	defer x.mu.Unlock()
	x.record(0, "ExecutionStarted", keyExecutionStarted, executionStartedDetails{
		Input: x.input, InputDetails: &dataDetails{}, RoleARN: x.sm.roleARN})
	if s := x.def.timeoutSeconds; s > 0 {
		x.timer = x.svc.clock.AfterFunc(time.Duration(s)*time.Second, x.timedOut)
	}
	// AWS gives the first state's StateEntered previousEventId 0.
	x.root = &thread{x: x, sc: x.def.root, done: x.rootDone}
	x.root.run(x.def.root.startAt, x.inputVal)
}

// rootDone closes the execution when its top-level thread ends.
func (x *execution) rootDone(t *thread, output any, err *asl.Error) {
	if err != nil {
		x.fail(t.prev, err)
		return
	}
	out, ok := encodeLimited(output)
	if !ok {
		x.fail(t.prev, &asl.Error{Name: asl.ErrDataLimitExceeded,
			Cause: "The state/task returned a result with a size exceeding the maximum number of bytes service limit."})
		return
	}
	x.record(t.prev, "ExecutionSucceeded", keyExecutionSucceeded, outputDetails{Output: out, OutputDetails: &dataDetails{}})
	x.output = out
	x.close(statusSucceeded)
}

func (x *execution) fail(prev int64, err *asl.Error) {
	x.record(prev, "ExecutionFailed", keyExecutionFailed, errorDetails{Error: err.Name, Cause: err.Cause})
	x.errName, x.cause = err.Name, err.Cause
	x.close(statusFailed)
}

// timedOut ends the execution when the machine-level TimeoutSeconds passes.
func (x *execution) timedOut() {
	x.mu.Lock()
	defer x.mu.Unlock()
	if !x.running() {
		return
	}
	x.root.abort(0)
	x.record(x.lastEventID(), "ExecutionTimedOut", keyExecutionTimedOut, errorDetails{})
	x.errName = asl.ErrTimeout // for Go callers; DescribeExecution shows none, as AWS
	x.close(statusTimedOut)
}

// abort ends the execution for StopExecution.
func (x *execution) abort(errName, cause string) {
	x.mu.Lock()
	defer x.mu.Unlock()
	if !x.running() {
		return
	}
	x.root.abort(0)
	// AWS records ExecutionAborted with previousEventId 0.
	x.record(0, "ExecutionAborted", keyExecutionAborted, errorDetails{Error: errName, Cause: cause})
	x.errName, x.cause = errName, cause
	x.close(statusAborted)
}

// close moves the execution to a final status. Callers hold x.mu.
func (x *execution) close(status string) {
	x.status = status
	x.stop = x.svc.clock.Now()
	if x.timer != nil {
		x.timer.Stop()
	}
	close(x.done)
}

// contextObject builds the context object ("$$") for a state of this
// execution; token and item are set only where AWS provides them.
func (x *execution) contextObject(f *frame, token string, item *mapItem) map[string]any {
	ctx := map[string]any{
		"Execution": map[string]any{
			"Id":           x.arn,
			"Input":        x.inputVal,
			"Name":         x.name,
			"RoleArn":      x.sm.roleARN,
			"StartTime":    isoTime(x.start),
			"RedriveCount": 0,
		},
		"StateMachine": map[string]any{"Id": x.sm.arn, "Name": x.sm.name},
		"State": map[string]any{
			"Name":        f.st.name,
			"EnteredTime": isoTime(f.enteredAt),
			"RetryCount":  f.retryTotal,
		},
	}
	if token != "" {
		ctx["Task"] = map[string]any{"Token": token}
	}
	if item != nil {
		ctx["Map"] = map[string]any{"Item": map[string]any{"Index": item.index, "Value": item.value}}
	}
	return ctx
}

// isoTime formats times in the context object as AWS does:
// "2019-03-26T20:14:13.192Z".
func isoTime(t time.Time) string { return t.UTC().Format("2006-01-02T15:04:05.000Z") }

// encodeJSON renders a value as compact JSON without HTML escaping, as
// AWS renders execution data.
func encodeJSON(v any) string {
	var b bytes.Buffer
	enc := json.NewEncoder(&b)
	enc.SetEscapeHTML(false)
	if err := enc.Encode(v); err != nil {
		return "null"
	}
	return string(bytes.TrimSuffix(b.Bytes(), []byte("\n")))
}

// encodeLimited encodes v and reports whether it fits AWS's payload quota.
func encodeLimited(v any) (string, bool) {
	s := encodeJSON(v)
	return s, len(s) <= maxPayloadSize
}

// decodeJSON parses one JSON value the way asl expects values (numbers as
// json.Number).
func decodeJSON(data []byte) (any, error) {
	var v any
	if err := decodeOne(data, &v, true); err != nil {
		return nil, err
	}
	return v, nil
}

// decodeOne decodes exactly one JSON value from data into v, with numbers
// as json.Number if useNumber. Whatever follows the value is
// errTrailingData: a stray '}' or ']' too, before which dec.More reports
// false.
func decodeOne(data []byte, v any, useNumber bool) error {
	dec := json.NewDecoder(bytes.NewReader(data))
	if useNumber {
		dec.UseNumber()
	}
	if err := dec.Decode(v); err != nil {
		return err
	}
	if _, err := dec.Token(); !errors.Is(err, io.EOF) {
		return errTrailingData
	}
	return nil
}

var errTrailingData = errors.New("unexpected data after the JSON value")
