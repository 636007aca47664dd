package stepfunctions

import (
	"context"
	"encoding/json"
	"reflect"
	"strings"
	"testing"
)

// The expected histories below follow executions recorded against AWS (the
// event types, previousEventId chains and detail members).

type eventShape struct {
	typ  string
	prev int64
}

func shapes(t *testing.T, x *execution) []eventShape {
	t.Helper()
	var out []eventShape
	for i, e := range history(t, x) {
		if got := int64(e["id"].(float64)); got != int64(i+1) {
			t.Errorf("event %d has id %d", i+1, got)
		}
		out = append(out, eventShape{e["type"].(string), int64(e["previousEventId"].(float64))})
	}
	return out
}

func TestHistoryShapes(t *testing.T) {
	const fn = "arn:aws:lambda:us-east-1:000000000000:function:F"
	fail := lambdaFunc(func(context.Context, string, []byte) ([]byte, string, error) {
		return []byte(`{"errorType":"Boom","errorMessage":"x"}`), "Unhandled", nil
	})
	tests := []struct {
		name    string
		invoker Invoker
		def     string
		want    []eventShape
	}{
		{
			name: "pass", invoker: echoLambda,
			def:  `{"StartAt":"P","States":{"P":{"Type":"Pass","End":true}}}`,
			want: []eventShape{{"ExecutionStarted", 0}, {"PassStateEntered", 0}, {"PassStateExited", 2}, {"ExecutionSucceeded", 3}},
		},
		{
			name: "lambda:invoke", invoker: echoLambda,
			def: `{"StartAt":"T","States":{"T":{"Type":"Task","Resource":"arn:aws:states:::lambda:invoke",
				"Parameters":{"FunctionName":"` + fn + `","Payload.$":"$"},"End":true}}}`,
			want: []eventShape{{"ExecutionStarted", 0}, {"TaskStateEntered", 0}, {"TaskScheduled", 2}, {"TaskStarted", 3},
				{"TaskSucceeded", 4}, {"TaskStateExited", 5}, {"ExecutionSucceeded", 6}},
		},
		{
			name: "bare Lambda ARN", invoker: echoLambda,
			def: `{"StartAt":"T","States":{"T":{"Type":"Task","Resource":"` + fn + `","End":true}}}`,
			want: []eventShape{{"ExecutionStarted", 0}, {"TaskStateEntered", 0}, {"LambdaFunctionScheduled", 2},
				{"LambdaFunctionStarted", 3}, {"LambdaFunctionSucceeded", 4}, {"TaskStateExited", 5}, {"ExecutionSucceeded", 6}},
		},
		{
			name: "caught function error", invoker: fail,
			def: `{"StartAt":"T","States":{"T":{"Type":"Task","Resource":"` + fn + `","Catch":[{"ErrorEquals":["Boom"],"Next":"D"}],"End":true},
				"D":{"Type":"Succeed"}}}`,
			want: []eventShape{{"ExecutionStarted", 0}, {"TaskStateEntered", 0}, {"LambdaFunctionScheduled", 2},
				{"LambdaFunctionStarted", 3}, {"LambdaFunctionFailed", 4}, {"TaskStateExited", 5},
				{"SucceedStateEntered", 6}, {"SucceedStateExited", 7}, {"ExecutionSucceeded", 8}},
		},
		{
			name: "fail state", invoker: echoLambda,
			def:  `{"StartAt":"F","States":{"F":{"Type":"Fail","Error":"E","Cause":"C"}}}`,
			want: []eventShape{{"ExecutionStarted", 0}, {"FailStateEntered", 0}, {"ExecutionFailed", 2}},
		},
		{
			name: "parallel", invoker: echoLambda,
			def: `{"StartAt":"P","States":{"P":{"Type":"Parallel","End":true,"Branches":[
				{"StartAt":"A","States":{"A":{"Type":"Pass","End":true}}}]}}}`,
			want: []eventShape{{"ExecutionStarted", 0}, {"ParallelStateEntered", 0}, {"ParallelStateStarted", 2},
				{"PassStateEntered", 3}, {"PassStateExited", 4}, {"ParallelStateSucceeded", 5}, {"ParallelStateExited", 6},
				{"ExecutionSucceeded", 7}},
		},
		{
			name: "map", invoker: echoLambda,
			def: `{"StartAt":"M","States":{"M":{"Type":"Map","End":true,"ItemProcessor":
				{"StartAt":"A","States":{"A":{"Type":"Pass","End":true}}}}}}`,
			want: []eventShape{{"ExecutionStarted", 0}, {"MapStateEntered", 0}, {"MapStateStarted", 2},
				{"MapIterationStarted", 3}, {"PassStateEntered", 4}, {"PassStateExited", 5}, {"MapIterationSucceeded", 6},
				{"MapStateSucceeded", 7}, {"MapStateExited", 8}, {"ExecutionSucceeded", 9}},
		},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			svc := New(Options{Invoker: tc.invoker})
			input := `{"a":1}`
			if tc.name == "map" {
				input = `[1]`
			}
			x := mustStart(t, svc, tc.def, input)
			waitDone(t, x)
			if got := shapes(t, x); !reflect.DeepEqual(got, tc.want) {
				t.Errorf("history:\n got %v\nwant %v", got, tc.want)
			}
		})
	}
}

// TestHistoryDetails checks the detail members of a lambda:invoke task's
// events and that includeExecutionData=false drops the data.
func TestHistoryDetails(t *testing.T) {
	svc := New(Options{Invoker: lambdaFunc(func(context.Context, string, []byte) ([]byte, string, error) {
		return []byte(`{"ok":true}`), "", nil
	})})
	x := mustStart(t, svc, `{"StartAt":"T","States":{"T":{"Type":"Task","Resource":"arn:aws:states:::lambda:invoke",
		"Parameters":{"FunctionName":"F","Payload":{"n":1}},"TimeoutSeconds":30,"ResultSelector":{"p.$":"$.Payload"},"End":true}}}`, `{}`)
	waitDone(t, x)
	h := history(t, x)
	sched := h[2]["taskScheduledEventDetails"].(map[string]any)
	want := map[string]any{"resourceType": "lambda", "resource": "invoke", "region": "us-east-1",
		"parameters": `{"FunctionName":"F","Payload":{"n":1}}`, "timeoutInSeconds": float64(30)}
	if !reflect.DeepEqual(sched, want) {
		t.Errorf("taskScheduledEventDetails:\n got %v\nwant %v", sched, want)
	}
	succeeded := h[4]["taskSucceededEventDetails"].(map[string]any)
	var result map[string]any
	if err := json.Unmarshal([]byte(succeeded["output"].(string)), &result); err != nil {
		t.Fatal(err)
	}
	for _, k := range []string{"ExecutedVersion", "Payload", "SdkHttpMetadata", "SdkResponseMetadata", "StatusCode"} {
		if _, ok := result[k]; !ok {
			t.Errorf("lambda:invoke result lacks %s: %v", k, result)
		}
	}
	if got := h[6]["executionSucceededEventDetails"].(map[string]any)["output"]; got != `{"p":{"ok":true}}` {
		t.Errorf("execution output: got %v", got)
	}
	x.mu.Lock()
	b, _ := x.events[2].marshal(false)
	x.mu.Unlock()
	if strings.Contains(string(b), "parameters") {
		t.Errorf("includeExecutionData=false kept the parameters: %s", b)
	}
}

// TestParallelFailureAbortsSiblings: a failing branch aborts the others
// (TaskStateAborted, its token closed) and fails the Parallel state with
// the branch's own error.
func TestParallelFailureAbortsSiblings(t *testing.T) {
	tokens := make(tokenCatcher, 1)
	svc := New(Options{Invoker: tokens})
	x := mustStart(t, svc, `{"StartAt":"P","States":{"P":{"Type":"Parallel","End":true,"Branches":[
		{"StartAt":"Wait","States":{"Wait":{"Type":"Task","Resource":"arn:aws:states:::lambda:invoke.waitForTaskToken",
			"Parameters":{"FunctionName":"F","Payload":{"taskToken.$":"$$.Task.Token"}},"End":true}}},
		{"StartAt":"W","States":{"W":{"Type":"Wait","Seconds":0,"Next":"F"},"F":{"Type":"Fail","Error":"Declined","Cause":"no"}}}]}}}`, `{}`)
	token := tokens.next(t)
	waitDone(t, x)
	if x.status != statusFailed || x.errName != "Declined" || x.cause != "no" {
		t.Fatalf("got %s %q %q, want FAILED Declined no", x.status, x.errName, x.cause)
	}
	types := eventTypes(x)
	for _, want := range []string{"TaskStateAborted", "ParallelStateFailed"} {
		if !contains(types, want) {
			t.Errorf("history lacks %s: %v", want, types)
		}
	}
	_, err := svc.apiSendTaskSuccess(&sendTaskSuccessInput{TaskToken: token, Output: ptr("{}")})
	if err == nil || err.Code != codeTaskTimedOut {
		t.Errorf("SendTaskSuccess after abort: got %v, want TaskTimedOut", err)
	}
}

func ptr[T any](v T) *T { return &v }
