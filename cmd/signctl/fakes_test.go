package main

import (
	"context"
	"encoding/json"
	"fmt"
	"strconv"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/dynamodb"
	ddbtypes "github.com/aws/aws-sdk-go-v2/service/dynamodb/types"
	"github.com/aws/aws-sdk-go-v2/service/lambda"
	"github.com/aws/aws-sdk-go-v2/service/sfn"
	sfntypes "github.com/aws/aws-sdk-go-v2/service/sfn/types"
)

// Names the tests use.
const (
	testSM    = "arn:aws:states:us-east-1:000000000000:stateMachine:Signing"
	testTable = "Tokens"
	testFn    = "CompleteSignature"
	testToken = "AAAAKgAAAAIAAAAAAAAAAbQ9Ks3GgS8VYw1secret-token-value-do-not-print"
)

var t0 = time.Date(2026, 11, 22, 10, 0, 0, 0, time.UTC)

func at(sec float64) time.Time { return t0.Add(time.Duration(sec * float64(time.Second))) }

func testARN(id string) string {
	arn, err := executionARN(testSM, id)
	if err != nil {
		panic(err)
	}
	return arn
}

// fakeSFN is a Step Functions fake: executions by ARN, each with a history
// served two events per page (so pagination is exercised).
type fakeSFN struct {
	execs      map[string]*sfn.DescribeExecutionOutput
	histories  map[string][]sfntypes.HistoryEvent
	definition string
	startErr   error // returned by StartExecution when set
	started    []sfn.StartExecutionInput
	// reads counts DescribeExecution calls; onRead, when set, runs before each.
	reads  int
	onRead func(f *fakeSFN, n int)
}

func newFakeSFN() *fakeSFN {
	return &fakeSFN{execs: map[string]*sfn.DescribeExecutionOutput{}, histories: map[string][]sfntypes.HistoryEvent{}}
}

func (f *fakeSFN) StartExecution(_ context.Context, in *sfn.StartExecutionInput, _ ...func(*sfn.Options)) (*sfn.StartExecutionOutput, error) {
	f.started = append(f.started, *in)
	if f.startErr != nil {
		return nil, f.startErr
	}
	arn := testARN(aws.ToString(in.Name))
	f.execs[arn] = &sfn.DescribeExecutionOutput{ExecutionArn: aws.String(arn), Status: sfntypes.ExecutionStatusRunning,
		StartDate: aws.Time(t0), Input: in.Input}
	return &sfn.StartExecutionOutput{ExecutionArn: aws.String(arn), StartDate: aws.Time(t0)}, nil
}

func (f *fakeSFN) DescribeExecution(_ context.Context, in *sfn.DescribeExecutionInput, _ ...func(*sfn.Options)) (*sfn.DescribeExecutionOutput, error) {
	f.reads++
	if f.onRead != nil {
		f.onRead(f, f.reads)
	}
	d, ok := f.execs[aws.ToString(in.ExecutionArn)]
	if !ok {
		return nil, &sfntypes.ExecutionDoesNotExist{Message: aws.String("Execution Does Not Exist: '" + aws.ToString(in.ExecutionArn) + "'")}
	}
	return d, nil
}

func (f *fakeSFN) GetExecutionHistory(_ context.Context, in *sfn.GetExecutionHistoryInput, _ ...func(*sfn.Options)) (*sfn.GetExecutionHistoryOutput, error) {
	events := f.histories[aws.ToString(in.ExecutionArn)]
	from := 0
	if in.NextToken != nil {
		from, _ = strconv.Atoi(*in.NextToken)
	}
	to := min(from+2, len(events))
	out := &sfn.GetExecutionHistoryOutput{Events: events[from:to]}
	if to < len(events) {
		out.NextToken = aws.String(strconv.Itoa(to))
	}
	return out, nil
}

func (f *fakeSFN) DescribeStateMachine(_ context.Context, in *sfn.DescribeStateMachineInput, _ ...func(*sfn.Options)) (*sfn.DescribeStateMachineOutput, error) {
	if f.definition == "" {
		return nil, &sfntypes.StateMachineDoesNotExist{Message: in.StateMachineArn}
	}
	return &sfn.DescribeStateMachineOutput{Definition: aws.String(f.definition)}, nil
}

// setRun records an execution of document id with the given history.
func (f *fakeSFN) setRun(id string, status sfntypes.ExecutionStatus, stop float64, events []sfntypes.HistoryEvent) {
	arn := testARN(id)
	d := &sfn.DescribeExecutionOutput{ExecutionArn: aws.String(arn), Status: status, StartDate: aws.Time(t0),
		Input: aws.String(`{"documentId":"` + id + `"}`)}
	if status != sfntypes.ExecutionStatusRunning {
		d.StopDate = aws.Time(at(stop))
	}
	f.execs[arn] = d
	f.histories[arn] = events
}

// fakeDB is a DynamoDB fake holding token-table items; Query and Scan
// return one item per page and record their inputs.
type fakeDB struct {
	items   []map[string]ddbtypes.AttributeValue
	queries []dynamodb.QueryInput
	scans   []dynamodb.ScanInput
}

func (f *fakeDB) Query(_ context.Context, in *dynamodb.QueryInput, _ ...func(*dynamodb.Options)) (*dynamodb.QueryOutput, error) {
	f.queries = append(f.queries, *in)
	id := in.ExpressionAttributeValues[":id"].(*ddbtypes.AttributeValueMemberS).Value
	var match []map[string]ddbtypes.AttributeValue
	for _, it := range f.items {
		if it["documentId"].(*ddbtypes.AttributeValueMemberS).Value == id {
			match = append(match, it)
		}
	}
	page, next := onePage(match, in.ExclusiveStartKey)
	return &dynamodb.QueryOutput{Items: page, LastEvaluatedKey: next}, nil
}

// Scan applies the status filter only (the expiry filter is checked by the
// tests on the input).
func (f *fakeDB) Scan(_ context.Context, in *dynamodb.ScanInput, _ ...func(*dynamodb.Options)) (*dynamodb.ScanOutput, error) {
	f.scans = append(f.scans, *in)
	var match []map[string]ddbtypes.AttributeValue
	for _, it := range f.items {
		if it["status"].(*ddbtypes.AttributeValueMemberS).Value == itemPending {
			match = append(match, it)
		}
	}
	page, next := onePage(match, in.ExclusiveStartKey)
	return &dynamodb.ScanOutput{Items: page, LastEvaluatedKey: next}, nil
}

// onePage returns the item after the start key (an index) and the next key.
func onePage(items []map[string]ddbtypes.AttributeValue, start map[string]ddbtypes.AttributeValue) ([]map[string]ddbtypes.AttributeValue, map[string]ddbtypes.AttributeValue) {
	i := 0
	if start != nil {
		i, _ = strconv.Atoi(start["i"].(*ddbtypes.AttributeValueMemberN).Value)
	}
	if i >= len(items) {
		return nil, nil
	}
	var next map[string]ddbtypes.AttributeValue
	if i+1 < len(items) {
		next = map[string]ddbtypes.AttributeValue{"i": &ddbtypes.AttributeValueMemberN{Value: strconv.Itoa(i + 1)}}
	}
	return items[i : i+1], next
}

// item builds a token-table item, with its task token (which signctl must
// never print); times are seconds after t0, 0 for absent.
func item(doc, signer, status string, requested, completed, expires float64) map[string]ddbtypes.AttributeValue {
	it := map[string]ddbtypes.AttributeValue{
		"documentId":   &ddbtypes.AttributeValueMemberS{Value: doc},
		"signer":       &ddbtypes.AttributeValueMemberS{Value: signer},
		"status":       &ddbtypes.AttributeValueMemberS{Value: status},
		"taskToken":    &ddbtypes.AttributeValueMemberS{Value: testToken},
		"executionArn": &ddbtypes.AttributeValueMemberS{Value: testARN(doc)},
	}
	for name, sec := range map[string]float64{"requestedAt": requested, "completedAt": completed, "expiresAt": expires} {
		if sec != 0 {
			it[name] = &ddbtypes.AttributeValueMemberN{Value: strconv.FormatInt(at(sec).Unix(), 10)}
		}
	}
	return it
}

// fakeLambda answers Invoke with a fixed payload and function error.
type fakeLambda struct {
	payload  string
	fnError  string
	err      error
	payloads []string
}

func (f *fakeLambda) Invoke(_ context.Context, in *lambda.InvokeInput, _ ...func(*lambda.Options)) (*lambda.InvokeOutput, error) {
	f.payloads = append(f.payloads, string(in.Payload))
	if f.err != nil {
		return nil, f.err
	}
	out := &lambda.InvokeOutput{StatusCode: 200, Payload: []byte(f.payload)}
	if f.fnError != "" {
		out.FunctionError = aws.String(f.fnError)
	}
	return out, nil
}

// historyBuilder writes execution histories the way Step Functions does.
type historyBuilder struct{ events []sfntypes.HistoryEvent }

func (h *historyBuilder) add(prev int64, sec float64, typ sfntypes.HistoryEventType, set func(*sfntypes.HistoryEvent)) int64 {
	e := sfntypes.HistoryEvent{Id: int64(len(h.events) + 1), PreviousEventId: prev, Timestamp: aws.Time(at(sec)), Type: typ}
	if set != nil {
		set(&e)
	}
	h.events = append(h.events, e)
	return e.Id
}

func (h *historyBuilder) entered(prev int64, sec float64, typ sfntypes.HistoryEventType, name string) int64 {
	return h.add(prev, sec, typ, func(e *sfntypes.HistoryEvent) {
		e.StateEnteredEventDetails = &sfntypes.StateEnteredEventDetails{Name: aws.String(name)}
	})
}

func (h *historyBuilder) exited(prev int64, sec float64, typ sfntypes.HistoryEventType, name string) int64 {
	return h.add(prev, sec, typ, func(e *sfntypes.HistoryEvent) {
		e.StateExitedEventDetails = &sfntypes.StateExitedEventDetails{Name: aws.String(name)}
	})
}

// scheduled is a lambda:invoke TaskScheduled for signer; a callback task
// carries the task token in its parameters, as in AWS.
func (h *historyBuilder) scheduled(prev int64, sec float64, signer string, callback bool) int64 {
	resource, payload := "invoke", map[string]any{"documentId": "3", "signer": signer}
	if callback {
		resource, payload["taskToken"] = "invoke.waitForTaskToken", testToken
	}
	params, _ := json.Marshal(map[string]any{"FunctionName": "arn:aws:lambda:us-east-1:000000000000:function:F", "Payload": payload})
	return h.add(prev, sec, sfntypes.HistoryEventTypeTaskScheduled, func(e *sfntypes.HistoryEvent) {
		e.TaskScheduledEventDetails = &sfntypes.TaskScheduledEventDetails{
			ResourceType: aws.String("lambda"), Resource: aws.String(resource),
			Region: aws.String("us-east-1"), Parameters: aws.String(string(params)),
		}
	})
}

func (h *historyBuilder) taskFailed(prev int64, sec float64, errName, cause string) int64 {
	return h.add(prev, sec, sfntypes.HistoryEventTypeTaskFailed, func(e *sfntypes.HistoryEvent) {
		e.TaskFailedEventDetails = &sfntypes.TaskFailedEventDetails{Error: aws.String(errName), Cause: aws.String(cause)}
	})
}

// Event ids of signingHistory's steps.
type signingSteps struct{ aliceScheduled, bobScheduled, aliceDone, bobSubmitted int64 }

// tasksScheduled is a run of the project's state machine up to both
// signers' tasks scheduled (at 0.2s).
func tasksScheduled() (*historyBuilder, signingSteps) {
	h := &historyBuilder{}
	start := h.add(0, 0, sfntypes.HistoryEventTypeExecutionStarted, nil)
	par := h.entered(start, 0, sfntypes.HistoryEventTypeParallelStateEntered, "Collect signatures")
	started := h.add(par, 0, sfntypes.HistoryEventTypeParallelStateStarted, nil)
	alice := h.entered(started, 0.1, sfntypes.HistoryEventTypeTaskStateEntered, "Sign as Alice")
	bob := h.entered(started, 0.1, sfntypes.HistoryEventTypeTaskStateEntered, "Wait for Bob to sign")
	return h, signingSteps{aliceScheduled: h.scheduled(alice, 0.2, "Alice", false), bobScheduled: h.scheduled(bob, 0.2, "Bob", true)}
}

// signingHistory continues tasksScheduled up to Alice signed (at 1s) and
// Bob's request stored (at 2s): Bob's task waits for its callback.
func signingHistory() (*historyBuilder, signingSteps) {
	h, s := tasksScheduled()
	aliceStarted := h.add(s.aliceScheduled, 0.3, sfntypes.HistoryEventTypeTaskStarted, nil)
	bobStarted := h.add(s.bobScheduled, 0.3, sfntypes.HistoryEventTypeTaskStarted, nil)
	aliceOK := h.add(aliceStarted, 1, sfntypes.HistoryEventTypeTaskSucceeded, nil)
	s.aliceDone = h.exited(aliceOK, 1, sfntypes.HistoryEventTypeTaskStateExited, "Sign as Alice")
	s.bobSubmitted = h.add(bobStarted, 2, sfntypes.HistoryEventTypeTaskSubmitted, nil)
	return h, s
}

// signedHistory continues signingHistory: Bob signs at 30s, the run succeeds.
func signedHistory() []sfntypes.HistoryEvent {
	h, s := signingHistory()
	ok := h.add(s.bobSubmitted, 30, sfntypes.HistoryEventTypeTaskSucceeded, nil)
	exit := h.exited(ok, 30, sfntypes.HistoryEventTypeTaskStateExited, "Wait for Bob to sign")
	parOK := h.add(exit, 30, sfntypes.HistoryEventTypeParallelStateSucceeded, nil)
	parExit := h.exited(parOK, 30, sfntypes.HistoryEventTypeParallelStateExited, "Collect signatures")
	h.add(parExit, 30, sfntypes.HistoryEventTypeExecutionSucceeded, nil)
	return h.events
}

// declinedHistory continues signingHistory: Bob declines at 40s.
func declinedHistory() []sfntypes.HistoryEvent {
	h, s := signingHistory()
	failed := h.taskFailed(s.bobSubmitted, 40, errorDeclined, "wrong amount")
	parFailed := h.add(failed, 40, sfntypes.HistoryEventTypeParallelStateFailed, nil)
	h.add(parFailed, 40, sfntypes.HistoryEventTypeExecutionFailed, nil)
	return h.events
}

// timedOutHistory continues signingHistory: the run times out at 60s.
func timedOutHistory() []sfntypes.HistoryEvent {
	h, _ := signingHistory()
	h.add(0, 60, sfntypes.HistoryEventTypeExecutionTimedOut, nil)
	return h.events
}

// signingDefinition is the project's state machine shape (ASL).
const signingDefinition = `{"StartAt":"Collect signatures","States":{"Collect signatures":{"Type":"Parallel","End":true,
 "Branches":[
  {"StartAt":"Sign as Alice","States":{"Sign as Alice":{"Type":"Task","Resource":"arn:aws:states:::lambda:invoke","End":true}}},
  {"StartAt":"Wait for Bob to sign","States":{"Wait for Bob to sign":{"Type":"Task","Resource":"arn:aws:states:::lambda:invoke.waitForTaskToken","End":true}}}]}}}`

func mustJSON(v any) string {
	b, err := json.Marshal(v)
	if err != nil {
		panic(fmt.Sprint(err))
	}
	return string(b)
}
