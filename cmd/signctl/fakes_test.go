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

func mustJSON(v any) string {
	b, err := json.Marshal(v)
	if err != nil {
		panic(fmt.Sprint(err))
	}
	return string(b)
}
