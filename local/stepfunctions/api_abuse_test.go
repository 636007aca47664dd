package stepfunctions

import (
	"context"
	"encoding/json"
	"net/http"
	"net/http/httptest"
	"strconv"
	"strings"
	"testing"
)

// The bad-input matrix: for each API operation, requests an SDK would never
// send go through the Handler; each must answer AWS's error code with a
// message naming the problem and change no state machine or execution.

const (
	abuseRole    = "arn:aws:iam::000000000000:role/r"
	abuseSM      = "arn:aws:states:us-east-1:000000000000:stateMachine:Sign"
	abuseExecPfx = "arn:aws:states:us-east-1:000000000000:execution:Sign:"
	abuseKiB     = 1024
)

// abuseEnv is a Service with the state machine Sign, a SUCCEEDED execution
// "done" (whose task token is now closed) and an execution "open" waiting on
// its task token.
type abuseEnv struct {
	svc                    *Service
	handler                http.Handler
	openToken, closedToken string
}

func newAbuseEnv(t *testing.T) *abuseEnv {
	t.Helper()
	tokens := make(abuseCatcher, 2)
	svc := New(Options{Invoker: tokens})
	if _, err := svc.CreateStateMachine("Sign", callbackMachine(""), abuseRole); err != nil {
		t.Fatal(err)
	}
	start := func(name string) (*execution, string) {
		input := "{}"
		x, err := svc.startExecution(&startExecutionInput{StateMachineARN: abuseSM, Name: name, Input: &input})
		if err != nil {
			t.Fatalf("StartExecution(%s): %v", name, err)
		}
		tok := tokenCatcher(tokens).next(t)
		waitEvent(t, x, "TaskSubmitted")
		return x, tok
	}
	done, closed := start("done")
	if _, err := svc.apiSendTaskSuccess(&sendTaskSuccessInput{TaskToken: closed, Output: ptr("{}")}); err != nil {
		t.Fatal(err)
	}
	waitDone(t, done)
	_, open := start("open")
	return &abuseEnv{svc: svc, handler: svc.Handler(), openToken: open, closedToken: closed}
}

// abuseCatcher hands the task tokens of .waitForTaskToken tasks to a
// channel while it has room, drops the rest, and returns {}.
type abuseCatcher chan string

func (c abuseCatcher) Invoke(_ context.Context, _ string, p []byte) ([]byte, string, error) {
	var in struct {
		TaskToken string `json:"taskToken"`
	}
	_ = json.Unmarshal(p, &in)
	select {
	case c <- in.TaskToken:
	default:
	}
	return []byte("{}"), "", nil
}

// abuseAnswer is a decoded API answer.
type abuseAnswer struct {
	status        int
	code, message string
	body          string
}

func (e *abuseEnv) call(method, target, body string) abuseAnswer {
	req := httptest.NewRequest(method, "/", strings.NewReader(body))
	req.Header.Set("Content-Type", jsonContentType)
	if target != "" {
		req.Header.Set("X-Amz-Target", target)
	}
	rec := httptest.NewRecorder()
	e.handler.ServeHTTP(rec, req)
	var out struct {
		Type    string `json:"__type"`
		Message string `json:"message"`
	}
	_ = json.Unmarshal(rec.Body.Bytes(), &out)
	return abuseAnswer{status: rec.Code, code: out.Type, message: out.Message, body: rec.Body.String()}
}

// ok calls a read operation that must succeed and returns its body.
func (e *abuseEnv) ok(t *testing.T, op, body string) string {
	t.Helper()
	a := e.call(http.MethodPost, targetPrefix+op, body)
	if a.status != http.StatusOK {
		t.Fatalf("%s %s: %d %s", op, body, a.status, a.body)
	}
	return a.body
}

// snapshot lists, through the API, every state machine with its definition
// and every execution with its description and whole history, plus the
// number of open task tokens.
func (e *abuseEnv) snapshot(t *testing.T) string {
	t.Helper()
	var b strings.Builder
	var machines struct {
		StateMachines []struct{ StateMachineArn string }
	}
	list := e.ok(t, "ListStateMachines", `{"maxResults":1000}`)
	b.WriteString(list)
	_ = json.Unmarshal([]byte(list), &machines)
	for _, sm := range machines.StateMachines {
		arn := strconv.Quote(sm.StateMachineArn)
		b.WriteString(e.ok(t, "DescribeStateMachine", `{"stateMachineArn":`+arn+`}`))
		var execs struct {
			Executions []struct{ ExecutionArn string }
		}
		list := e.ok(t, "ListExecutions", `{"stateMachineArn":`+arn+`,"maxResults":1000}`)
		b.WriteString(list)
		_ = json.Unmarshal([]byte(list), &execs)
		for _, x := range execs.Executions {
			arn := strconv.Quote(x.ExecutionArn)
			b.WriteString(e.ok(t, "DescribeExecution", `{"executionArn":`+arn+`}`))
			b.WriteString(e.ok(t, "GetExecutionHistory", `{"executionArn":`+arn+`,"maxResults":1000}`))
		}
	}
	b.WriteString("open tokens: " + strconv.Itoa(e.svc.tokens.openCount()))
	return b.String()
}

// abuseCase is one bad request and the answer it must get.
type abuseCase struct {
	name   string
	method string // "" is POST
	target string // "" is AWSStepFunctions.<operation>
	body   string
	status int    // 0 is 400
	code   string // "" for a request that succeeds (and changes nothing)
	msg    string // the message must contain it
}

// runAbuseCases sends each case and checks its answer and that nothing changed.
func runAbuseCases(t *testing.T, e *abuseEnv, op string, cases []abuseCase) {
	t.Helper()
	if len(cases) < 30 {
		t.Errorf("%s has %d cases, want at least 30", op, len(cases))
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			method, target, status := c.method, c.target, c.status
			if method == "" {
				method = http.MethodPost
			}
			if target == "" {
				target = targetPrefix + op
			}
			if status == 0 {
				status = http.StatusBadRequest
			}
			before := e.snapshot(t)
			a := e.call(method, target, c.body)
			if a.status != status || a.code != c.code {
				t.Errorf("got %d %s, want %d %s; message %.160q", a.status, orNone(a.code), status, c.code, a.message)
			} else if c.code != "" && (a.message == "" || !strings.Contains(a.message, c.msg)) {
				t.Errorf("message %.160q, want one naming %q", a.message, c.msg)
			}
			if after := e.snapshot(t); after != before {
				t.Errorf("state changed:\nbefore %.600s\nafter  %.600s", before, after)
			}
		})
	}
}

func orNone(code string) string {
	if code == "" {
		return "(no __type)"
	}
	return code
}

// abuseObj renders a JSON object from names and raw JSON values, in order.
func abuseObj(kv ...string) string {
	var b strings.Builder
	b.WriteByte('{')
	for i := 0; i+1 < len(kv); i += 2 {
		if i > 0 {
			b.WriteByte(',')
		}
		b.WriteString(strconv.Quote(kv[i]) + ":" + kv[i+1])
	}
	return b.String() + "}"
}

// abuseQ quotes s as a JSON string (Go's quoting is JSON's for these inputs).
func abuseQ(s string) string {
	b, _ := json.Marshal(s)
	return string(b)
}
