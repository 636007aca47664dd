package console

import (
	"encoding/json"
	"net/http"
	"sort"
	"strconv"
	"strings"
	"time"

	"github.com/hitl-go/docsign/internal/contract"
)

// ServeHTTP routes like the local endpoint: Step Functions by X-Amz-Target,
// Lambda and the outbox by path; anything else is not the fake's.
func (f *fakeAWS) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	target := r.Header.Get("X-Amz-Target")
	switch {
	case r.Method == http.MethodPost && strings.HasPrefix(target, "AWSStepFunctions."):
		var body map[string]any
		if err := json.NewDecoder(r.Body).Decode(&body); err != nil {
			fakeError(w, "SerializationException", err.Error())
			return
		}
		f.mu.Lock()
		out, code, msg := f.sfn(strings.TrimPrefix(target, "AWSStepFunctions."), body)
		f.mu.Unlock()
		if code != "" {
			fakeError(w, code, msg)
			return
		}
		w.Header().Set("Content-Type", "application/x-amz-json-1.0")
		_ = json.NewEncoder(w).Encode(out)
	case strings.HasPrefix(r.URL.Path, "/2015-03-31/functions"):
		f.lambda(w, r)
	case r.Method == http.MethodGet && r.URL.Path == contract.OutboxPath:
		f.mu.Lock()
		out := append([]contract.OutboxEntry{}, f.outbox...)
		f.mu.Unlock()
		w.Header().Set("Content-Type", "application/json")
		_ = json.NewEncoder(w).Encode(out)
	default:
		http.NotFound(w, r)
	}
}

func fakeError(w http.ResponseWriter, code, msg string) {
	w.Header().Set("Content-Type", "application/x-amz-json-1.0")
	w.WriteHeader(http.StatusBadRequest)
	_ = json.NewEncoder(w).Encode(map[string]string{"__type": "com.amazonaws.swf.base.model#" + code, "message": msg})
}

func (f *fakeAWS) execution(body map[string]any) (*fakeExecution, string, string) {
	arn, _ := body["executionArn"].(string)
	e := f.executions[arn[strings.LastIndex(arn, ":")+1:]]
	if e == nil || fakeExecutionARN(e.name) != arn {
		return nil, "ExecutionDoesNotExist", "Execution Does Not Exist: '" + arn + "'"
	}
	return e, "", ""
}

func (f *fakeAWS) sfn(action string, body map[string]any) (any, string, string) {
	switch action {
	case "ListStateMachines":
		return map[string]any{"stateMachines": []any{map[string]any{"stateMachineArn": fakeMachineARN, "name": fakeMachine,
			"type": "STANDARD", "creationDate": float64(time.Now().Add(-200 * time.Hour).Unix())}}}, "", ""
	case "DescribeStateMachine":
		if body["stateMachineArn"] != fakeMachineARN {
			return nil, "StateMachineDoesNotExist", "State Machine Does Not Exist"
		}
		return map[string]any{"stateMachineArn": fakeMachineARN, "name": fakeMachine, "status": "ACTIVE", "type": "STANDARD",
			"definition": f.definition, "roleArn": "arn:aws:iam::000000000000:role/StateMachineRole"}, "", ""
	case "ListExecutions":
		return f.listExecutions(body)
	case "DescribeExecution":
		e, code, msg := f.execution(body)
		if e == nil {
			return nil, code, msg
		}
		d := e.summary()
		d["input"] = e.input
		if e.output != "" {
			d["output"] = e.output
		}
		if e.errorCode != "" {
			d["error"], d["cause"] = e.errorCode, e.cause
		}
		return d, "", ""
	case "GetExecutionHistory":
		return f.history(body)
	case "StartExecution":
		return f.start(body)
	}
	return nil, "UnknownOperationException", action
}

func (f *fakeAWS) listExecutions(body map[string]any) (any, string, string) {
	status, _ := body["statusFilter"].(string)
	list := []*fakeExecution{}
	for _, e := range f.executions {
		if status == "" || e.status == status {
			list = append(list, e)
		}
	}
	sort.Slice(list, func(i, j int) bool { return list[i].start.After(list[j].start) })
	from, to, next := pageBounds(body, len(list))
	out := []any{}
	for _, e := range list[from:to] {
		out = append(out, e.summary())
	}
	page := map[string]any{"executions": out}
	if next != "" {
		page["nextToken"] = next
	}
	return page, "", ""
}

// pageBounds is the slice [from:to] of n items one ListExecutions call
// answers, AWS's way: maxResults (0 means 100) from nextToken (an offset
// here), and the token of the next page, "" after the last.
func pageBounds(body map[string]any, n int) (from, to int, next string) {
	size := 100
	if m, ok := body["maxResults"].(float64); ok && m > 0 {
		size = int(m)
	}
	if tok, _ := body["nextToken"].(string); tok != "" {
		from, _ = strconv.Atoi(tok)
	}
	from = min(from, n)
	to = min(from+size, n)
	if to < n {
		next = strconv.Itoa(to)
	}
	return from, to, next
}

// history pages five events at a time, so the page must follow nextToken.
func (f *fakeAWS) history(body map[string]any) (any, string, string) {
	e, code, msg := f.execution(body)
	if e == nil {
		return nil, code, msg
	}
	from := 0
	if tok, _ := body["nextToken"].(string); tok != "" {
		from, _ = strconv.Atoi(tok)
	}
	to := min(from+5, len(e.events))
	page := map[string]any{"events": e.events[from:to]}
	if to < len(e.events) {
		page["nextToken"] = strconv.Itoa(to)
	}
	return page, "", ""
}

func (f *fakeAWS) start(body map[string]any) (any, string, string) {
	name, _ := body["name"].(string)
	if body["stateMachineArn"] != fakeMachineARN {
		return nil, "StateMachineDoesNotExist", "State Machine Does Not Exist"
	}
	if f.executions[name] != nil {
		return nil, "ExecutionAlreadyExists", "Execution Already Exists: '" + fakeExecutionARN(name) + "'"
	}
	e := newFakeExecution(name, time.Now(), true)
	e.expired = strings.HasPrefix(name, "expired")
	f.executions[name] = e
	f.timers = append(f.timers, time.AfterFunc(f.aliceDelay, func() {
		f.mu.Lock()
		defer f.mu.Unlock()
		if e.status == "RUNNING" {
			e.aliceSigns()
		}
	}))
	return map[string]any{"executionArn": fakeExecutionARN(name), "startDate": float64(e.start.UnixMilli()) / 1000}, "", ""
}
