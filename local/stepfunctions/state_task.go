package stepfunctions

import (
	"context"
	"fmt"
	"time"

	"github.com/hitl-go/docsign/local/stepfunctions/asl"
)

// A taskRun is one attempt of a Task state: a Lambda call and, for
// .waitForTaskToken, the wait for its callback. While it waits it holds
// a token registry entry and up to two timers, no goroutine.
type taskRun struct {
	f       *frame
	attempt int
	kind    taskKind

	resource    string // the history's resource: "invoke", "invoke.waitForTaskToken" or the function ARN
	functionARN string
	version     string // ExecutedVersion reported for lambda:invoke
	payload     []byte

	token     string
	tokID     tokenID
	submitted bool // the callback Lambda returned; waiting for SendTask*

	cancel  context.CancelFunc
	timeout Timer
	hbTimer Timer
	hbEvery time.Duration
}

// task runs one attempt of a Task state.
func (f *frame) task() outcome {
	td := f.st.task
	in, err := f.selectPath(f.st.inputPath, f.input)
	if err != nil {
		return outcome{err: err}
	}
	timeout, err := f.seconds(td.timeoutSeconds, td.timeoutPath, in, "TimeoutSecondsPath")
	if err != nil {
		return outcome{err: err}
	}
	heartbeat, err := f.seconds(td.heartbeatSeconds, td.heartbeatPath, in, "HeartbeatSecondsPath")
	if err != nil {
		return outcome{err: err}
	}
	r := &taskRun{f: f, attempt: f.attempt, kind: td.kind, resource: td.resource, version: "$LATEST"}
	svc := f.t.x.svc
	if td.kind == taskLambdaCallback {
		r.token, r.tokID = svc.tokens.register(r)
	}
	params := in
	if f.st.parameters != nil {
		var perr error
		if params, perr = f.st.parameters.Eval(in, f.context(r.token, nil)); perr != nil {
			r.closeToken()
			return outcome{err: f.runtimeError(perr)}
		}
	}
	paramsJSON, fits := encodeLimited(params)
	if !fits {
		r.closeToken()
		return outcome{err: &asl.Error{Name: asl.ErrDataLimitExceeded, Cause: fmt.Sprintf(
			"The state/task '%s' has an input with a size exceeding the maximum number of bytes service limit.", f.st.name)}}
	}
	if err := r.request(svc, params, paramsJSON); err != nil {
		r.closeToken()
		return outcome{err: f.runtimeError(err)}
	}
	r.scheduled(paramsJSON, timeout, heartbeat)
	r.start(timeout, heartbeat)
	return f.park(r.stop)
}

// seconds resolves TimeoutSeconds/HeartbeatSeconds or their *Path variant
// (a positive integer selected from the effective input).
func (f *frame) seconds(fixed int64, p *asl.Path, in any, field string) (int64, *asl.Error) {
	if p == nil {
		return fixed, nil
	}
	v, err := p.Select(in, f.context("", nil))
	if err != nil {
		return 0, f.runtimeError(err)
	}
	n, ok := nonNegativeInt(v)
	if !ok || n == 0 {
		return 0, f.runtimeError(&asl.Error{Name: asl.ErrRuntime, Cause: "The " + field +
			" parameter does not reference a valid positive integer value: " + encodeJSON(v)})
	}
	return n, nil
}

// request works out the function to call and its payload.
func (r *taskRun) request(svc *Service, params any, paramsJSON string) error {
	if r.kind == taskLambdaARN {
		r.functionARN = r.resource
		r.payload = []byte(paramsJSON)
		return nil
	}
	r.resource = "invoke"
	if r.kind == taskLambdaCallback {
		r.resource = "invoke.waitForTaskToken"
	}
	m, _ := params.(map[string]any)
	fn, ok := m["FunctionName"].(string)
	if !ok || fn == "" {
		return &asl.Error{Name: asl.ErrRuntime, Cause: "The field 'FunctionName' is required and must be a string"}
	}
	r.functionARN = svc.lambdaFunctionARN(fn)
	if q, ok := m["Qualifier"].(string); ok && q != "" {
		r.functionARN += ":" + q
		r.version = q
	}
	r.payload = []byte("{}")
	if p, ok := m["Payload"]; ok {
		r.payload = []byte(encodeJSON(p))
	}
	return nil
}

// scheduled records the Scheduled and Started events.
func (r *taskRun) scheduled(paramsJSON string, timeout, heartbeat int64) {
	t := r.f.t
	if r.kind == taskLambdaARN {
		t.record("LambdaFunctionScheduled", keyLambdaScheduled, lambdaScheduledDetails{
			Resource: r.functionARN, Input: paramsJSON, InputDetails: &dataDetails{}, TimeoutInSeconds: timeout})
		t.record("LambdaFunctionStarted", "", nil)
		return
	}
	t.record("TaskScheduled", keyTaskScheduled, taskScheduledDetails{ResourceType: "lambda", Resource: r.resource,
		Region: t.x.svc.region, Parameters: paramsJSON, TimeoutInSeconds: timeout, HeartbeatInSeconds: heartbeat})
	t.record("TaskStarted", keyTaskStarted, taskResourceDetails{ResourceType: "lambda", Resource: r.resource})
}

// start arms the timers and calls the function in a goroutine.
func (r *taskRun) start(timeout, heartbeat int64) {
	x := r.f.t.x
	ctx, cancel := context.WithCancel(context.Background())
	r.cancel = cancel
	if timeout > 0 {
		r.timeout = x.svc.clock.AfterFunc(time.Duration(timeout)*time.Second, func() { r.timedOut(asl.ErrTimeout) })
	}
	if heartbeat > 0 && r.kind == taskLambdaCallback {
		r.hbEvery = time.Duration(heartbeat) * time.Second
		r.hbTimer = x.svc.clock.AfterFunc(r.hbEvery, func() { r.timedOut(asl.ErrHeartbeatTimeout) })
	}
	invoker, fn, payload := x.svc.invoker, r.functionARN, r.payload
	go func() {
		defer cancel()
		out, fnErr, err := invoker.Invoke(ctx, fn, payload)
		x.mu.Lock()
		defer x.mu.Unlock()
		if r.f.live(r.attempt) && !r.submitted {
			r.invoked(out, fnErr, err)
		}
	}()
}

// stop cancels the attempt's outstanding work: the Lambda call, the
// timers and the token.
func (r *taskRun) stop(int64) {
	if r.cancel != nil {
		r.cancel()
	}
	r.settle()
}

// settle stops the timers and closes the token, leaving a running Lambda
// call alone (a callback may arrive before its function returns).
func (r *taskRun) settle() {
	if r.timeout != nil {
		r.timeout.Stop()
	}
	if r.hbTimer != nil {
		r.hbTimer.Stop()
	}
	r.closeToken()
}

func (r *taskRun) closeToken() {
	if r.token != "" {
		r.f.t.x.svc.tokens.close(r.tokID)
	}
}

// invoked handles the Lambda call's result. Callers hold x.mu.
func (r *taskRun) invoked(out []byte, fnErr string, err error) {
	if err != nil {
		r.failed(lambdaCallError(err))
		return
	}
	if fnErr != "" {
		r.failed(functionError(out))
		return
	}
	payload := lambdaPayload(out)
	result := payload
	if r.kind != taskLambdaARN {
		result = r.invokeResult(payload, len(out))
	}
	enc, fits := encodeLimited(result)
	if !fits {
		// AWS names the resource here: "lambda" for the integration, the
		// function ARN for a bare Lambda task.
		who := "lambda"
		if r.kind == taskLambdaARN {
			who = r.functionARN
		}
		r.failed(&asl.Error{Name: asl.ErrDataLimitExceeded, Cause: fmt.Sprintf(
			"The state/task '%s' returned a result with a size exceeding the maximum number of bytes service limit.", who)})
		return
	}
	t := r.f.t
	switch r.kind {
	case taskLambdaCallback:
		r.submitted = true
		t.record("TaskSubmitted", keyTaskSubmitted, taskOutputDetails{ResourceType: "lambda", Resource: r.resource,
			Output: enc, OutputDetails: &dataDetails{}})
		return // now the task waits for SendTaskSuccess/Failure
	case taskLambdaARN:
		t.record("LambdaFunctionSucceeded", keyLambdaSucceeded, outputDetails{Output: enc, OutputDetails: &dataDetails{}})
	default:
		t.record("TaskSucceeded", keyTaskSucceeded, taskOutputDetails{ResourceType: "lambda", Resource: r.resource,
			Output: enc, OutputDetails: &dataDetails{}})
	}
	r.stop(0)
	r.f.complete(r.f.resultOutput(result))
}

// failed records the task's failure event and fails the state.
func (r *taskRun) failed(err *asl.Error) {
	if r.kind == taskLambdaARN {
		r.f.t.record("LambdaFunctionFailed", keyLambdaFailed, errorDetails{Error: err.Name, Cause: err.Cause})
	} else {
		r.f.t.record("TaskFailed", keyTaskFailed, taskErrorDetails{ResourceType: "lambda", Resource: r.resource,
			Error: err.Name, Cause: err.Cause})
	}
	r.stop(0)
	r.f.complete(outcome{err: err})
}

// timedOut fails the task with States.Timeout or States.HeartbeatTimeout.
func (r *taskRun) timedOut(name string) {
	x := r.f.t.x
	x.mu.Lock()
	defer x.mu.Unlock()
	if !r.f.live(r.attempt) {
		return
	}
	if r.kind == taskLambdaARN {
		r.f.t.record("LambdaFunctionTimedOut", keyLambdaTimedOut, errorDetails{Error: name})
	} else {
		r.f.t.record("TaskTimedOut", keyTaskTimedOut, taskErrorDetails{ResourceType: "lambda", Resource: r.resource, Error: name})
	}
	r.stop(0)
	r.f.complete(outcome{err: &asl.Error{Name: name}})
}

// complete delivers SendTaskSuccess or SendTaskFailure (tokenWaiter).
func (r *taskRun) complete(output, errName, cause string, failed bool) bool {
	x := r.f.t.x
	x.mu.Lock()
	defer x.mu.Unlock()
	if !r.f.live(r.attempt) {
		return false
	}
	t := r.f.t
	r.settle()
	if failed {
		t.record("TaskFailed", keyTaskFailed, taskErrorDetails{ResourceType: "lambda", Resource: r.resource,
			Error: errName, Cause: cause})
		r.f.complete(outcome{err: &asl.Error{Name: errName, Cause: cause}})
		return true
	}
	result, err := decodeJSON([]byte(output))
	if err != nil { // the API checked the output already
		result = output
	}
	t.record("TaskSucceeded", keyTaskSucceeded, taskOutputDetails{ResourceType: "lambda", Resource: r.resource,
		Output: output, OutputDetails: &dataDetails{}})
	r.f.complete(r.f.resultOutput(result))
	return true
}

// heartbeat delivers SendTaskHeartbeat (tokenWaiter): it restarts the
// HeartbeatSeconds timer.
func (r *taskRun) heartbeat() bool {
	x := r.f.t.x
	x.mu.Lock()
	defer x.mu.Unlock()
	if !r.f.live(r.attempt) {
		return false
	}
	if r.hbTimer != nil {
		r.hbTimer.Stop()
		r.hbTimer = x.svc.clock.AfterFunc(r.hbEvery, func() { r.timedOut(asl.ErrHeartbeatTimeout) })
	}
	return true
}
