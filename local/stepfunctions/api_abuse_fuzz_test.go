package stepfunctions

import (
	"net/http"
	"sort"
	"strconv"
	"strings"
	"testing"
)

// FuzzAPIRefusalChangesNothing: whatever the method, X-Amz-Target and body,
// the answer is a JSON object, never a 5xx; a refusal is a 4xx with a __type
// and a message, and creates no state machine or execution and leaves the
// open and the closed execution (and the open task token) as they were.
func FuzzAPIRefusalChangesNothing(f *testing.F) {
	ops := []string{"StartExecution", "SendTaskSuccess", "SendTaskFailure", "SendTaskHeartbeat", "DescribeExecution",
		"StopExecution", "CreateStateMachine", "GetExecutionHistory", "ListExecutions", "DeleteStateMachine"}
	for i, op := range ops {
		f.Add(uint8(i), targetPrefix+op, `{}`)
	}
	f.Add(uint8(0), targetPrefix+"StartExecution", `{"stateMachineArn":"`+abuseSM+`","name":"done","input":"{}}"}`)
	f.Add(uint8(0), targetPrefix+"StopExecution", `{"executionArn":"`+abuseExecPfx+`open","error":1}`)
	f.Add(uint8(1), targetPrefix+"ListStateMachines", `{"maxResults":1}`)
	f.Add(uint8(0), "DynamoDB_20120810.ListTables", `{}`)
	methods := []string{http.MethodPost, http.MethodGet, http.MethodPut, http.MethodDelete}
	var e *abuseEnv
	f.Fuzz(func(t *testing.T, m uint8, target, body string) {
		if e == nil {
			e = newAbuseEnv(t)
		}
		before := e.fixedState()
		a := e.call(methods[int(m)%len(methods)], target, body)
		if !strings.HasPrefix(strings.TrimSpace(a.body), "{") {
			t.Fatalf("%s %q: answer %d %.200q is not a JSON object", target, body, a.status, a.body)
		}
		if a.status == http.StatusOK {
			return
		}
		if a.status < 400 || a.status >= 500 || a.code == "" || a.message == "" {
			t.Fatalf("%s %q: answer %d %.300s", target, body, a.status, a.body)
		}
		if after := e.fixedState(); after != before {
			t.Fatalf("%s %q refused with %s, yet state changed:\nbefore %s\nafter  %s", target, body, a.code, before, after)
		}
	})
}

// fixedState describes what no refused request may change: which state
// machines (with their definitions) and executions exist, the status and
// history length of "open" and "done", and whether the open token is live.
// Executions a fuzzed request started may still be moving, so their own
// progress is left out.
func (e *abuseEnv) fixedState() string {
	s := e.svc
	s.mu.RLock()
	var keys []string
	for arn, sm := range s.machines {
		keys = append(keys, arn+" "+strconv.Itoa(len(sm.definition)))
	}
	for arn := range s.executions {
		keys = append(keys, arn)
	}
	open, done := s.executions[abuseExecPfx+"open"], s.executions[abuseExecPfx+"done"]
	s.mu.RUnlock()
	sort.Strings(keys)
	for _, x := range []*execution{open, done} {
		x.mu.Lock()
		keys = append(keys, x.name+"="+x.status+"/"+strconv.Itoa(len(x.events)))
		x.mu.Unlock()
	}
	_, err := s.tokens.lookup(e.openToken)
	return strings.Join(keys, "\n") + "\nopen token live: " + strconv.FormatBool(err == nil)
}
