package console

import (
	"crypto/rand"
	"encoding/base64"
	"encoding/json"
	"fmt"
	"os"
	"sync"
	"testing"
	"time"

	"github.com/hitl-go/docsign/internal/contract"
)

// fakeAWS is a test double of the AWS APIs the console page calls — the Step
// Functions JSON 1.0 API and Lambda's REST API — for the page-level browser
// test. It holds one state machine (testdata/signing.asl.json), executions
// with AWS-shaped histories (Alice signs at once, Bob waits on a task token),
// and a complete-signature function that moves a waiting run on. It is not an
// engine: every history is scripted.
type fakeAWS struct {
	definition string
	aliceDelay time.Duration // how long Alice's task runs in a started execution

	mu          sync.Mutex
	executions  map[string]*fakeExecution // by name
	invocations []map[string]any          // complete-signature payloads, in order
	outbox      []contract.OutboxEntry    // what the outbox route answers
	timers      []*time.Timer
}

type fakeExecution struct {
	name, status, input, output, errorCode, cause string
	start, stop                                   time.Time
	live                                          bool      // events are stamped now, else at clock
	clock                                         time.Time // a canned execution's event time
	token                                         string
	expired                                       bool // complete-signature answers SignatureRequestExpired
	events                                        []map[string]any
	bobSubmitted                                  int64 // the id Bob's completion chains to
	aliceStarted                                  int64
}

const (
	fakeRegion   = "us-east-1"
	fakeAccount  = "000000000000"
	fakeMachine  = "SigningStateMachine"
	fakeFunction = "DocumentSigningStack-CompleteSignature1A2B3C4D"
)

var fakeMachineARN = fmt.Sprintf("arn:aws:states:%s:%s:stateMachine:%s", fakeRegion, fakeAccount, fakeMachine)

func fakeExecutionARN(name string) string {
	return fmt.Sprintf("arn:aws:states:%s:%s:execution:%s:%s", fakeRegion, fakeAccount, fakeMachine, name)
}

// newFakeAWS returns the fake with four finished or waiting executions.
func newFakeAWS(t *testing.T) *fakeAWS {
	def, err := os.ReadFile("testdata/signing.asl.json")
	if err != nil {
		t.Fatal(err)
	}
	f := &fakeAWS{definition: string(def), aliceDelay: 700 * time.Millisecond, executions: map[string]*fakeExecution{}}
	t.Cleanup(func() {
		f.mu.Lock()
		defer f.mu.Unlock()
		for _, tm := range f.timers {
			tm.Stop()
		}
	})
	now := time.Now()
	canned := []struct {
		name      string
		ago, wait time.Duration // start, and time until Bob answers
		end       func(e *fakeExecution)
	}{
		{"contract-7", 3 * time.Hour, 4*time.Minute + 12*time.Second, func(e *fakeExecution) { e.sign() }},
		{"offer-12", 2 * time.Hour, 38 * time.Minute, func(e *fakeExecution) { e.decline("Clause 4 is not acceptable (token " + e.token + ")") }},
		{"nda-3", 170 * time.Hour, 168 * time.Hour, func(e *fakeExecution) { e.timeOut() }},
		{"lease-9", 25 * time.Minute, 0, func(*fakeExecution) {}},
	}
	for _, c := range canned {
		e := newFakeExecution(c.name, now.Add(-c.ago), false)
		e.aliceSigns()
		e.clock = e.clock.Add(c.wait)
		c.end(e)
		f.executions[c.name] = e
	}
	return f
}

func newFakeExecution(name string, start time.Time, live bool) *fakeExecution {
	raw := make([]byte, 420)
	_, _ = rand.Read(raw)
	e := &fakeExecution{name: name, status: "RUNNING", start: start, live: live, clock: start,
		token: base64.StdEncoding.EncodeToString(raw)}
	e.input = fmt.Sprintf(`{"documentId":%q}`, name)
	e.begin()
	return e
}

// add appends an event and returns its id.
func (e *fakeExecution) add(typ string, prev int64, key string, details map[string]any) int64 {
	id := int64(len(e.events) + 1)
	e.clock = e.clock.Add(40 * time.Millisecond)
	if e.live {
		e.clock = time.Now()
	}
	ev := map[string]any{"id": id, "previousEventId": prev, "type": typ, "timestamp": float64(e.clock.UnixMilli()) / 1000}
	if key != "" {
		ev[key] = details
	}
	e.events = append(e.events, ev)
	return id
}

func mustJSON(v any) string {
	b, _ := json.Marshal(v)
	return string(b)
}

func (e *fakeExecution) begin() {
	arn := fakeExecutionARN(e.name)
	started := e.add("ExecutionStarted", 0, "executionStartedEventDetails", map[string]any{
		"input": e.input, "roleArn": "arn:aws:iam::000000000000:role/StateMachineRole"})
	entered := e.add("ParallelStateEntered", started, "stateEnteredEventDetails", map[string]any{"name": "Collect signatures", "input": e.input})
	parallel := e.add("ParallelStateStarted", entered, "", nil)
	alice := e.add("TaskStateEntered", parallel, "stateEnteredEventDetails", map[string]any{"name": "Alice signs", "input": e.input})
	bob := e.add("TaskStateEntered", parallel, "stateEnteredEventDetails", map[string]any{"name": "Wait for Bob", "input": e.input})
	alice = e.add("TaskScheduled", alice, "taskScheduledEventDetails", map[string]any{
		"resourceType": "lambda", "resource": "invoke", "region": fakeRegion,
		"parameters": mustJSON(map[string]any{"FunctionName": "DocumentSigningStack-SignDocument",
			"Payload": map[string]any{"documentId": e.name, "signer": "Alice"}})})
	bob = e.add("TaskScheduled", bob, "taskScheduledEventDetails", map[string]any{
		"resourceType": "lambda", "resource": "invoke.waitForTaskToken", "region": fakeRegion,
		"parameters": mustJSON(map[string]any{"FunctionName": "DocumentSigningStack-RequestSignature",
			"Payload": map[string]any{"taskToken": e.token, "documentId": e.name, "signer": "Bob",
				"executionArn": arn, "startedAt": e.start.UTC().Format(time.RFC3339), "timeoutSeconds": 604800}})})
	e.aliceStarted = e.add("TaskStarted", alice, "taskStartedEventDetails", map[string]any{"resourceType": "lambda", "resource": "invoke"})
	bob = e.add("TaskStarted", bob, "taskStartedEventDetails", map[string]any{"resourceType": "lambda", "resource": "invoke.waitForTaskToken"})
	e.bobSubmitted = e.add("TaskSubmitted", bob, "taskSubmittedEventDetails", map[string]any{
		"resourceType": "lambda", "resource": "invoke.waitForTaskToken",
		"output": mustJSON(map[string]any{"StatusCode": 200, "Payload": map[string]any{
			"documentId": e.name, "signer": "Bob", "status": "PENDING", "expiresAt": e.start.Add(168 * time.Hour).Unix()}})})
}

func (e *fakeExecution) signature(signer string) map[string]any {
	return map[string]any{"documentId": e.name, "signer": signer, "signature": "sig:" + e.name + ":" + signer,
		"signedAt": time.Now().UTC().Format(time.RFC3339)}
}

func (e *fakeExecution) aliceSigns() {
	out := mustJSON(map[string]any{"StatusCode": 200, "Payload": e.signature("Alice")})
	done := e.add("TaskSucceeded", e.aliceStarted, "taskSucceededEventDetails", map[string]any{"resourceType": "lambda", "resource": "invoke", "output": out})
	e.add("TaskStateExited", done, "stateExitedEventDetails", map[string]any{"name": "Alice signs", "output": mustJSON(e.signature("Alice"))})
}

func (e *fakeExecution) finish(status string) {
	e.status, e.stop = status, e.clock
}

func (e *fakeExecution) sign() {
	out := mustJSON(e.signature("Bob"))
	done := e.add("TaskSucceeded", e.bobSubmitted, "taskSucceededEventDetails", map[string]any{"resourceType": "lambda", "resource": "invoke.waitForTaskToken", "output": out})
	exited := e.add("TaskStateExited", done, "stateExitedEventDetails", map[string]any{"name": "Wait for Bob", "output": out})
	e.output = mustJSON(map[string]any{"documentId": e.name, "signatures": []any{e.signature("Alice"), e.signature("Bob")}})
	ok := e.add("ParallelStateSucceeded", exited, "", nil)
	exited = e.add("ParallelStateExited", ok, "stateExitedEventDetails", map[string]any{"name": "Collect signatures", "output": e.output})
	entered := e.add("SucceedStateEntered", exited, "stateEnteredEventDetails", map[string]any{"name": "Signed", "input": e.output})
	exited = e.add("SucceedStateExited", entered, "stateExitedEventDetails", map[string]any{"name": "Signed", "output": e.output})
	e.add("ExecutionSucceeded", exited, "executionSucceededEventDetails", map[string]any{"output": e.output})
	e.finish("SUCCEEDED")
}

func (e *fakeExecution) decline(reason string) {
	failed := e.add("TaskFailed", e.bobSubmitted, "taskFailedEventDetails", map[string]any{
		"resourceType": "lambda", "resource": "invoke.waitForTaskToken", "error": "SignatureDeclined", "cause": reason})
	failed = e.add("ParallelStateFailed", failed, "", nil)
	entered := e.add("FailStateEntered", failed, "stateEnteredEventDetails", map[string]any{
		"name": "Declined", "input": mustJSON(map[string]any{"Error": "SignatureDeclined", "Cause": reason})})
	e.errorCode, e.cause = "SignatureDeclined", reason
	e.add("ExecutionFailed", entered, "executionFailedEventDetails", map[string]any{"error": e.errorCode, "cause": reason})
	e.finish("FAILED")
}

func (e *fakeExecution) timeOut() {
	e.errorCode, e.cause = "States.Timeout", "The execution timed out after 604800 seconds."
	e.add("ExecutionTimedOut", e.bobSubmitted, "executionTimedOutEventDetails", map[string]any{"error": e.errorCode, "cause": e.cause})
	e.finish("TIMED_OUT")
}

func (e *fakeExecution) summary() map[string]any {
	m := map[string]any{"executionArn": fakeExecutionARN(e.name), "stateMachineArn": fakeMachineARN, "name": e.name,
		"status": e.status, "startDate": float64(e.start.UnixMilli()) / 1000}
	if !e.stop.IsZero() {
		m["stopDate"] = float64(e.stop.UnixMilli()) / 1000
	}
	return m
}
