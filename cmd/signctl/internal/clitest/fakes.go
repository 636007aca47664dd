// Package clitest holds the fakes and fixtures signctl's command packages
// test with: Step Functions, DynamoDB, Lambda, S3 and KMS fakes shaped like
// the SDK clients, execution histories written the way Step Functions writes
// them, token-table items, a fake App and a way to run a command line.
package clitest

import (
	"context"
	"encoding/json"
	"fmt"
	"io"
	"strconv"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/dynamodb"
	ddbtypes "github.com/aws/aws-sdk-go-v2/service/dynamodb/types"
	"github.com/aws/aws-sdk-go-v2/service/kms"
	kmstypes "github.com/aws/aws-sdk-go-v2/service/kms/types"
	"github.com/aws/aws-sdk-go-v2/service/lambda"
	"github.com/aws/aws-sdk-go-v2/service/s3"
	"github.com/aws/aws-sdk-go-v2/service/sfn"
	sfntypes "github.com/aws/aws-sdk-go-v2/service/sfn/types"
	"github.com/aws/smithy-go"

	"github.com/hitl-go/docsign/internal/contract"
	"github.com/hitl-go/docsign/internal/runs"
	"github.com/hitl-go/docsign/internal/signature"
)

// Names the tests use.
const (
	SM    = "arn:aws:states:us-east-1:000000000000:stateMachine:Signing"
	Table = "Tokens"
	Fn    = "CompleteSignature"
	// Bucket and KeyARN are the stack's document bucket and signing key.
	Bucket = "docsign-documents"
	KeyARN = "arn:aws:kms:us-east-1:000000000000:key/6f0c1e3a-0000-4000-8000-000000000001"
	Token  = "AAAAKgAAAAIAAAAAAAAAAbQ9Ks3GgS8VYw1secret-token-value-do-not-print"
)

var T0 = time.Date(2026, 11, 22, 10, 0, 0, 0, time.UTC)

func At(sec float64) time.Time { return T0.Add(time.Duration(sec * float64(time.Second))) }

func ARN(id string) string {
	arn, err := runs.ExecutionARN(SM, id)
	if err != nil {
		panic(err)
	}
	return arn
}

// FakeSFN is a Step Functions fake: executions by ARN, each with a history
// served two events per page (so pagination is exercised).
type FakeSFN struct {
	Execs      map[string]*sfn.DescribeExecutionOutput
	Histories  map[string][]sfntypes.HistoryEvent
	Definition string
	StartErr   error // returned by StartExecution when set
	Started    []sfn.StartExecutionInput
	// HistoryReads records the GetExecutionHistory calls.
	HistoryReads []sfn.GetExecutionHistoryInput
	// Reads counts DescribeExecution calls; OnRead, when set, runs before each.
	Reads  int
	OnRead func(f *FakeSFN, n int)
}

func NewFakeSFN() *FakeSFN {
	return &FakeSFN{Execs: map[string]*sfn.DescribeExecutionOutput{}, Histories: map[string][]sfntypes.HistoryEvent{}}
}

func (f *FakeSFN) StartExecution(_ context.Context, in *sfn.StartExecutionInput, _ ...func(*sfn.Options)) (*sfn.StartExecutionOutput, error) {
	f.Started = append(f.Started, *in)
	if f.StartErr != nil {
		return nil, f.StartErr
	}
	arn := ARN(aws.ToString(in.Name))
	f.Execs[arn] = &sfn.DescribeExecutionOutput{ExecutionArn: aws.String(arn), Status: sfntypes.ExecutionStatusRunning,
		StartDate: aws.Time(T0), Input: in.Input}
	return &sfn.StartExecutionOutput{ExecutionArn: aws.String(arn), StartDate: aws.Time(T0)}, nil
}

func (f *FakeSFN) DescribeExecution(_ context.Context, in *sfn.DescribeExecutionInput, _ ...func(*sfn.Options)) (*sfn.DescribeExecutionOutput, error) {
	f.Reads++
	if f.OnRead != nil {
		f.OnRead(f, f.Reads)
	}
	d, ok := f.Execs[aws.ToString(in.ExecutionArn)]
	if !ok {
		return nil, &sfntypes.ExecutionDoesNotExist{Message: aws.String("Execution Does Not Exist: '" + aws.ToString(in.ExecutionArn) + "'")}
	}
	return d, nil
}

func (f *FakeSFN) GetExecutionHistory(_ context.Context, in *sfn.GetExecutionHistoryInput, _ ...func(*sfn.Options)) (*sfn.GetExecutionHistoryOutput, error) {
	f.HistoryReads = append(f.HistoryReads, *in)
	events := f.Histories[aws.ToString(in.ExecutionArn)]
	from := 0
	if in.NextToken != nil {
		from, _ = strconv.Atoi(*in.NextToken)
	}
	to := min(from+2, len(events))
	page := events[from:to]
	if in.IncludeExecutionData != nil && !*in.IncludeExecutionData {
		page = withoutData(page)
	}
	out := &sfn.GetExecutionHistoryOutput{Events: page}
	if to < len(events) {
		out.NextToken = aws.String(strconv.Itoa(to))
	}
	return out, nil
}

// withoutData drops the execution data from events as Step Functions does
// for includeExecutionData=false: inputs, outputs and task parameters.
func withoutData(events []sfntypes.HistoryEvent) []sfntypes.HistoryEvent {
	out := make([]sfntypes.HistoryEvent, len(events))
	for i, e := range events {
		if d := e.TaskScheduledEventDetails; d != nil {
			c := *d
			c.Parameters = nil
			e.TaskScheduledEventDetails = &c
		}
		if d := e.StateEnteredEventDetails; d != nil {
			e.StateEnteredEventDetails = &sfntypes.StateEnteredEventDetails{Name: d.Name}
		}
		if d := e.StateExitedEventDetails; d != nil {
			e.StateExitedEventDetails = &sfntypes.StateExitedEventDetails{Name: d.Name}
		}
		if d := e.TaskSucceededEventDetails; d != nil {
			e.TaskSucceededEventDetails = &sfntypes.TaskSucceededEventDetails{Resource: d.Resource, ResourceType: d.ResourceType}
		}
		if e.ExecutionStartedEventDetails != nil {
			e.ExecutionStartedEventDetails = &sfntypes.ExecutionStartedEventDetails{}
		}
		if e.ExecutionSucceededEventDetails != nil {
			e.ExecutionSucceededEventDetails = &sfntypes.ExecutionSucceededEventDetails{}
		}
		out[i] = e
	}
	return out
}

func (f *FakeSFN) DescribeStateMachine(_ context.Context, in *sfn.DescribeStateMachineInput, _ ...func(*sfn.Options)) (*sfn.DescribeStateMachineOutput, error) {
	if f.Definition == "" {
		return nil, &sfntypes.StateMachineDoesNotExist{Message: in.StateMachineArn}
	}
	return &sfn.DescribeStateMachineOutput{Definition: aws.String(f.Definition)}, nil
}

// SetRun records an execution of document id with the given history.
func (f *FakeSFN) SetRun(id string, status sfntypes.ExecutionStatus, stop float64, events []sfntypes.HistoryEvent) {
	arn := ARN(id)
	d := &sfn.DescribeExecutionOutput{ExecutionArn: aws.String(arn), Status: status, StartDate: aws.Time(T0),
		Input: aws.String(`{"documentId":"` + id + `"}`)}
	if status != sfntypes.ExecutionStatusRunning {
		d.StopDate = aws.Time(At(stop))
	}
	f.Execs[arn] = d
	f.Histories[arn] = events
}

// FakeDB is a DynamoDB fake holding token-table Items; Query and Scan
// return one Item per page and record their inputs.
type FakeDB struct {
	Items   []map[string]ddbtypes.AttributeValue
	Queries []dynamodb.QueryInput
	Scans   []dynamodb.ScanInput
}

func (f *FakeDB) Query(_ context.Context, in *dynamodb.QueryInput, _ ...func(*dynamodb.Options)) (*dynamodb.QueryOutput, error) {
	f.Queries = append(f.Queries, *in)
	id := in.ExpressionAttributeValues[":id"].(*ddbtypes.AttributeValueMemberS).Value
	var match []map[string]ddbtypes.AttributeValue
	for _, it := range f.Items {
		if it["documentId"].(*ddbtypes.AttributeValueMemberS).Value == id {
			match = append(match, it)
		}
	}
	page, next := onePage(match, in.ExclusiveStartKey)
	return &dynamodb.QueryOutput{Items: page, LastEvaluatedKey: next}, nil
}

// Scan applies the status filter only (the expiry filter is checked by the
// tests on the input).
func (f *FakeDB) Scan(_ context.Context, in *dynamodb.ScanInput, _ ...func(*dynamodb.Options)) (*dynamodb.ScanOutput, error) {
	f.Scans = append(f.Scans, *in)
	var match []map[string]ddbtypes.AttributeValue
	for _, it := range f.Items {
		if it["status"].(*ddbtypes.AttributeValueMemberS).Value == string(contract.StatusPending) {
			match = append(match, it)
		}
	}
	page, next := onePage(match, in.ExclusiveStartKey)
	return &dynamodb.ScanOutput{Items: page, LastEvaluatedKey: next}, nil
}

// onePage returns the Item after the start key (an index) and the next key.
func onePage(Items []map[string]ddbtypes.AttributeValue, start map[string]ddbtypes.AttributeValue) ([]map[string]ddbtypes.AttributeValue, map[string]ddbtypes.AttributeValue) {
	i := 0
	if start != nil {
		i, _ = strconv.Atoi(start["i"].(*ddbtypes.AttributeValueMemberN).Value)
	}
	if i >= len(Items) {
		return nil, nil
	}
	var next map[string]ddbtypes.AttributeValue
	if i+1 < len(Items) {
		next = map[string]ddbtypes.AttributeValue{"i": &ddbtypes.AttributeValueMemberN{Value: strconv.Itoa(i + 1)}}
	}
	return Items[i : i+1], next
}

// Item builds a token-table Item, with its task token (which signctl must
// never print); times are seconds after T0, 0 for absent.
func Item(doc, signer string, status contract.Status, requested, completed, expires float64) map[string]ddbtypes.AttributeValue {
	it := map[string]ddbtypes.AttributeValue{
		"documentId":   &ddbtypes.AttributeValueMemberS{Value: doc},
		"signer":       &ddbtypes.AttributeValueMemberS{Value: signer},
		"status":       &ddbtypes.AttributeValueMemberS{Value: string(status)},
		"taskToken":    &ddbtypes.AttributeValueMemberS{Value: Token},
		"executionArn": &ddbtypes.AttributeValueMemberS{Value: ARN(doc)},
	}
	for name, sec := range map[string]float64{"requestedAt": requested, "completedAt": completed, "expiresAt": expires} {
		if sec != 0 {
			it[name] = &ddbtypes.AttributeValueMemberN{Value: strconv.FormatInt(At(sec).Unix(), 10)}
		}
	}
	return it
}

// FakeLambda answers Invoke with a fixed Payload and function error.
type FakeLambda struct {
	Payload  string
	FnError  string
	Err      error
	Payloads []string
}

func (f *FakeLambda) Invoke(_ context.Context, in *lambda.InvokeInput, _ ...func(*lambda.Options)) (*lambda.InvokeOutput, error) {
	f.Payloads = append(f.Payloads, string(in.Payload))
	if f.Err != nil {
		return nil, f.Err
	}
	out := &lambda.InvokeOutput{StatusCode: 200, Payload: []byte(f.Payload)}
	if f.FnError != "" {
		out.FunctionError = aws.String(f.FnError)
	}
	return out, nil
}

func MustJSON(v any) string {
	b, err := json.Marshal(v)
	if err != nil {
		panic(fmt.Sprint(err))
	}
	return string(b)
}

// FnError is a Lambda fake whose function fails with errorType and message.
func FnError(errorType, message string) *FakeLambda {
	return &FakeLambda{FnError: "Unhandled", Payload: MustJSON(map[string]string{"errorType": errorType, "errorMessage": message})}
}

// WithReason sets an item's decline reason.
func WithReason(it map[string]ddbtypes.AttributeValue, reason string) map[string]ddbtypes.AttributeValue {
	it["reason"] = &ddbtypes.AttributeValueMemberS{Value: reason}
	return it
}

// WithARN sets the execution an item belongs to.
func WithARN(it map[string]ddbtypes.AttributeValue, arn string) map[string]ddbtypes.AttributeValue {
	it["executionArn"] = &ddbtypes.AttributeValueMemberS{Value: arn}
	return it
}

// Ptr returns a pointer to v.
func Ptr[T any](v T) *T { return &v }

// NowFrom returns a clock reading the given seconds after T0 in turn (the
// last one repeats); i counts the readings.
func NowFrom(secs []float64, i *int) func() time.Time {
	return func() time.Time {
		n := min(*i, len(secs)-1)
		*i++
		return At(secs[n])
	}
}

// FakeS3 is a versioned document bucket taking PutObject: each put of a key
// is its next version, "v1", "v2", ….
type FakeS3 struct {
	Objects map[string][][]byte // key → versions' bytes, oldest first
	Err     error
}

func (f *FakeS3) PutObject(_ context.Context, in *s3.PutObjectInput, _ ...func(*s3.Options)) (*s3.PutObjectOutput, error) {
	if f.Err != nil {
		return nil, f.Err
	}
	if aws.ToString(in.Bucket) != Bucket {
		return nil, &smithy.GenericAPIError{Code: "NoSuchBucket", Message: "The specified bucket does not exist"}
	}
	body, err := io.ReadAll(in.Body)
	if err != nil {
		return nil, err
	}
	if f.Objects == nil {
		f.Objects = map[string][][]byte{}
	}
	key := aws.ToString(in.Key)
	f.Objects[key] = append(f.Objects[key], body)
	return &s3.PutObjectOutput{VersionId: aws.String(fmt.Sprintf("v%d", len(f.Objects[key])))}, nil
}

// FakeKMS answers GetPublicKey for KeyARN with the DER public key PublicKey.
type FakeKMS struct {
	PublicKey []byte // DER SubjectPublicKeyInfo
	Err       error
	Calls     int
}

func (f *FakeKMS) GetPublicKey(_ context.Context, in *kms.GetPublicKeyInput, _ ...func(*kms.Options)) (*kms.GetPublicKeyOutput, error) {
	f.Calls++
	if f.Err != nil {
		return nil, f.Err
	}
	if aws.ToString(in.KeyId) != KeyARN {
		return nil, &kmstypes.NotFoundException{Message: aws.String("Key '" + aws.ToString(in.KeyId) + "' does not exist")}
	}
	return &kms.GetPublicKeyOutput{KeyId: aws.String(KeyARN), PublicKey: f.PublicKey, KeySpec: kmstypes.KeySpecEccNistP256,
		KeyUsage: kmstypes.KeyUsageTypeSignVerify, SigningAlgorithms: []kmstypes.SigningAlgorithmSpec{kmstypes.SigningAlgorithmSpecEcdsaSha256}}, nil
}

// WithSignature gives an item its envelope's JWS and the pinned document,
// as sign-document and complete-signature store them.
func WithSignature(it map[string]ddbtypes.AttributeValue, jws string, doc signature.Document) map[string]ddbtypes.AttributeValue {
	it[contract.AttrJWS] = &ddbtypes.AttributeValueMemberS{Value: jws}
	it[contract.AttrDocument] = &ddbtypes.AttributeValueMemberM{Value: map[string]ddbtypes.AttributeValue{
		"bucket": &ddbtypes.AttributeValueMemberS{Value: doc.Bucket}, "key": &ddbtypes.AttributeValueMemberS{Value: doc.Key},
		"versionId": &ddbtypes.AttributeValueMemberS{Value: doc.VersionID}, "sha256": &ddbtypes.AttributeValueMemberS{Value: doc.SHA256},
	}}
	return it
}
