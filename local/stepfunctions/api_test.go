package stepfunctions

import (
	"context"
	"encoding/json"
	"errors"
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/credentials"
	"github.com/aws/aws-sdk-go-v2/service/sfn"
	"github.com/aws/aws-sdk-go-v2/service/sfn/types"
)

// newClient serves svc on a loopback httptest server and returns an SDK
// client for it.
func newClient(t *testing.T, svc *Service) (*sfn.Client, string) {
	t.Helper()
	srv := httptest.NewServer(svc.Handler())
	t.Cleanup(srv.Close)
	client := sfn.New(sfn.Options{
		Region:       "us-east-1",
		BaseEndpoint: aws.String(srv.URL),
		Credentials:  credentials.NewStaticCredentialsProvider("AKIDLOCAL", "local-secret", ""),
		Retryer:      aws.NopRetryer{},
	})
	return client, srv.URL
}

const passDef = `{"StartAt":"P","States":{"P":{"Type":"Pass","Result":{"ok":true},"End":true}}}`

func TestAPIStateMachines(t *testing.T) {
	ctx := context.Background()
	client, _ := newClient(t, New(Options{}))
	create := func(name, def string) (*sfn.CreateStateMachineOutput, error) {
		return client.CreateStateMachine(ctx, &sfn.CreateStateMachineInput{Name: aws.String(name),
			Definition: aws.String(def), RoleArn: aws.String("arn:aws:iam::000000000000:role/r")})
	}
	before := time.Now().Add(-time.Second)
	out, err := create("Beta", passDef)
	if err != nil {
		t.Fatal(err)
	}
	const wantARN = "arn:aws:states:us-east-1:000000000000:stateMachine:Beta"
	if aws.ToString(out.StateMachineArn) != wantARN || out.CreationDate.Before(before) {
		t.Errorf("CreateStateMachine: got %s at %v", aws.ToString(out.StateMachineArn), out.CreationDate)
	}
	if again, err := create("Beta", passDef); err != nil || aws.ToString(again.StateMachineArn) != wantARN {
		t.Errorf("idempotent create: got %v, %v", again, err)
	}
	errorCases := []struct {
		name, smName, def string
		target            any
	}{
		{"same name, other definition", "Beta", `{"StartAt":"A","States":{"A":{"Type":"Succeed"}}}`, new(*types.StateMachineAlreadyExists)},
		{"invalid definition", "Gamma", `{"StartAt":"A"}`, new(*types.InvalidDefinition)},
		{"invalid name", "bad name", passDef, new(*types.InvalidName)},
	}
	for _, tc := range errorCases {
		if _, err := create(tc.smName, tc.def); !errors.As(err, tc.target) {
			t.Errorf("%s: got %v, want %T", tc.name, err, tc.target)
		}
	}
	for _, name := range []string{"Alpha", "Gamma"} {
		if _, err := create(name, passDef); err != nil {
			t.Fatal(err)
		}
	}
	desc, err := client.DescribeStateMachine(ctx, &sfn.DescribeStateMachineInput{StateMachineArn: aws.String(wantARN)})
	if err != nil {
		t.Fatal(err)
	}
	if aws.ToString(desc.Definition) != passDef || desc.Status != types.StateMachineStatusActive ||
		desc.Type != types.StateMachineTypeStandard || aws.ToString(desc.Name) != "Beta" {
		t.Errorf("DescribeStateMachine: got %+v", desc)
	}
	var names []string
	pages := sfn.NewListStateMachinesPaginator(client, &sfn.ListStateMachinesInput{MaxResults: 2})
	for pages.HasMorePages() {
		page, err := pages.NextPage(ctx)
		if err != nil {
			t.Fatal(err)
		}
		for _, sm := range page.StateMachines {
			names = append(names, aws.ToString(sm.Name))
		}
	}
	if got := strings.Join(names, ","); got != "Alpha,Beta,Gamma" {
		t.Errorf("ListStateMachines: got %s, want Alpha,Beta,Gamma", got)
	}
	if _, err := client.DeleteStateMachine(ctx, &sfn.DeleteStateMachineInput{StateMachineArn: aws.String(wantARN)}); err != nil {
		t.Fatal(err)
	}
	var notExist *types.StateMachineDoesNotExist
	if _, err := client.DescribeStateMachine(ctx, &sfn.DescribeStateMachineInput{StateMachineArn: aws.String(wantARN)}); !errors.As(err, &notExist) {
		t.Errorf("describe deleted: got %v, want StateMachineDoesNotExist", err)
	}
	var invalidARN *types.InvalidArn
	if _, err := client.DescribeStateMachine(ctx, &sfn.DescribeStateMachineInput{StateMachineArn: aws.String("not-an-arn")}); !errors.As(err, &invalidARN) {
		t.Errorf("invalid ARN: got %v, want InvalidArn", err)
	}
}

func TestAPIExecutions(t *testing.T) {
	ctx := context.Background()
	tokens := make(tokenCatcher, 10)
	svc := New(Options{Invoker: tokens})
	client, _ := newClient(t, svc)
	smARN, err := svc.CreateStateMachine("Sign", callbackMachine(""), "arn:aws:iam::000000000000:role/r")
	if err != nil {
		t.Fatal(err)
	}
	start := func(name, input string) (*sfn.StartExecutionOutput, error) {
		return client.StartExecution(ctx, &sfn.StartExecutionInput{StateMachineArn: aws.String(smARN),
			Name: aws.String(name), Input: aws.String(input)})
	}
	first, err := start("doc-1", `{"documentId":"1"}`)
	if err != nil {
		t.Fatal(err)
	}
	token := tokens.next(t)
	if again, err := start("doc-1", `{"documentId":"1"}`); err != nil || aws.ToString(again.ExecutionArn) != aws.ToString(first.ExecutionArn) {
		t.Errorf("same name and input while running: got %v, %v; want the same execution", again, err)
	}
	startErrors := []struct {
		name, execName, input string
		target                any
	}{
		{"same name, other input", "doc-1", `{"documentId":"2"}`, new(*types.ExecutionAlreadyExists)},
		{"input not JSON", "doc-2", `{"documentId":`, new(*types.InvalidExecutionInput)},
		{"name with a space", "doc 2", `{}`, new(*types.InvalidName)},
		{"input too large", "doc-3", `"` + strings.Repeat("x", maxPayloadSize) + `"`, new(*types.ValidationException)},
	}
	for _, tc := range startErrors {
		if _, err := start(tc.execName, tc.input); !errors.As(err, tc.target) {
			t.Errorf("%s: got %v, want %T", tc.name, err, tc.target)
		}
	}
	list, err := client.ListExecutions(ctx, &sfn.ListExecutionsInput{StateMachineArn: aws.String(smARN), StatusFilter: types.ExecutionStatusRunning})
	if err != nil || len(list.Executions) != 1 || aws.ToString(list.Executions[0].Name) != "doc-1" {
		t.Fatalf("ListExecutions RUNNING: got %+v, %v", list, err)
	}
	if _, err := client.SendTaskSuccess(ctx, &sfn.SendTaskSuccessInput{TaskToken: aws.String(token), Output: aws.String(`{"signed":true}`)}); err != nil {
		t.Fatal(err)
	}
	waitDone(t, svc.execution(aws.ToString(first.ExecutionArn)))
	desc, err := client.DescribeExecution(ctx, &sfn.DescribeExecutionInput{ExecutionArn: first.ExecutionArn})
	if err != nil {
		t.Fatal(err)
	}
	if desc.Status != types.ExecutionStatusSucceeded || aws.ToString(desc.Output) != `{"signed":true}` ||
		aws.ToString(desc.Input) != `{"documentId":"1"}` || desc.StopDate == nil || desc.StartDate.After(*desc.StopDate) {
		t.Errorf("DescribeExecution: got %+v", desc)
	}
	var timedOut *types.TaskTimedOut
	if _, err := client.SendTaskSuccess(ctx, &sfn.SendTaskSuccessInput{TaskToken: aws.String(token), Output: aws.String(`{}`)}); !errors.As(err, &timedOut) {
		t.Errorf("second SendTaskSuccess: got %v, want TaskTimedOut", err)
	}
	var invalid *types.InvalidToken
	if _, err := client.SendTaskFailure(ctx, &sfn.SendTaskFailureInput{TaskToken: aws.String("nope")}); !errors.As(err, &invalid) {
		t.Errorf("SendTaskFailure with a bad token: got %v, want InvalidToken", err)
	}
	var noExec *types.ExecutionDoesNotExist
	if _, err := client.DescribeExecution(ctx, &sfn.DescribeExecutionInput{ExecutionArn: aws.String(strings.Replace(aws.ToString(first.ExecutionArn), "doc-1", "doc-9", 1))}); !errors.As(err, &noExec) {
		t.Errorf("unknown execution: got %v, want ExecutionDoesNotExist", err)
	}
	checkHistoryPaging(t, client, first.ExecutionArn)
}

// checkHistoryPaging reads a history in pages of two, in both orders, and
// without execution data.
func checkHistoryPaging(t *testing.T, client *sfn.Client, arn *string) {
	ctx := context.Background()
	full, err := client.GetExecutionHistory(ctx, &sfn.GetExecutionHistoryInput{ExecutionArn: arn})
	if err != nil {
		t.Fatal(err)
	}
	wantTypes := "ExecutionStarted,TaskStateEntered,TaskScheduled,TaskStarted,TaskSubmitted,TaskSucceeded,TaskStateExited,ExecutionSucceeded"
	if got := joinTypes(full.Events); got != wantTypes {
		t.Errorf("history: got %s\nwant %s", got, wantTypes)
	}
	for _, reverse := range []bool{false, true} {
		var ids []int64
		pages := sfn.NewGetExecutionHistoryPaginator(client, &sfn.GetExecutionHistoryInput{ExecutionArn: arn, MaxResults: 3, ReverseOrder: reverse})
		for pages.HasMorePages() {
			page, err := pages.NextPage(ctx)
			if err != nil {
				t.Fatal(err)
			}
			for _, e := range page.Events {
				ids = append(ids, e.Id)
			}
		}
		for i, id := range ids {
			want := int64(i + 1)
			if reverse {
				want = int64(len(full.Events) - i)
			}
			if id != want {
				t.Errorf("reverse=%v: event %d has id %d, want %d (ids %v)", reverse, i, id, want, ids)
				break
			}
		}
		if len(ids) != len(full.Events) {
			t.Errorf("reverse=%v: got %d events, want %d", reverse, len(ids), len(full.Events))
		}
	}
	bare, err := client.GetExecutionHistory(ctx, &sfn.GetExecutionHistoryInput{ExecutionArn: arn, IncludeExecutionData: aws.Bool(false)})
	if err != nil {
		t.Fatal(err)
	}
	if d := bare.Events[0].ExecutionStartedEventDetails; d == nil || d.Input != nil || aws.ToString(d.RoleArn) == "" {
		t.Errorf("includeExecutionData=false: ExecutionStarted details %+v", d)
	}
	if e := full.Events[0]; e.Timestamp == nil || e.ExecutionStartedEventDetails == nil || aws.ToString(e.ExecutionStartedEventDetails.Input) != `{"documentId":"1"}` {
		t.Errorf("ExecutionStarted: got %+v", e)
	}
}

func joinTypes(events []types.HistoryEvent) string {
	s := make([]string, len(events))
	for i, e := range events {
		s[i] = string(e.Type)
	}
	return strings.Join(s, ",")
}

func TestAPIListAndStopExecutions(t *testing.T) {
	ctx := context.Background()
	svc := New(Options{Invoker: make(tokenCatcher, 10)})
	client, _ := newClient(t, svc)
	smARN, err := svc.CreateStateMachine("Sign", callbackMachine(""), "arn:aws:iam::000000000000:role/r")
	if err != nil {
		t.Fatal(err)
	}
	var arns []string
	for _, name := range []string{"e1", "e2", "e3", "e4", "e5"} {
		out, err := client.StartExecution(ctx, &sfn.StartExecutionInput{StateMachineArn: aws.String(smARN), Name: aws.String(name)})
		if err != nil {
			t.Fatal(err)
		}
		arns = append(arns, aws.ToString(out.ExecutionArn))
	}
	stop, err := client.StopExecution(ctx, &sfn.StopExecutionInput{ExecutionArn: aws.String(arns[1]), Error: aws.String("Cancelled"), Cause: aws.String("by test")})
	if err != nil || stop.StopDate == nil {
		t.Fatalf("StopExecution: %v, %v", stop, err)
	}
	var names []string
	pages := sfn.NewListExecutionsPaginator(client, &sfn.ListExecutionsInput{StateMachineArn: aws.String(smARN), MaxResults: 2})
	for pages.HasMorePages() {
		page, err := pages.NextPage(ctx)
		if err != nil {
			t.Fatal(err)
		}
		for _, e := range page.Executions {
			names = append(names, aws.ToString(e.Name)+"="+string(e.Status))
		}
	}
	want := "e5=RUNNING,e4=RUNNING,e3=RUNNING,e2=ABORTED,e1=RUNNING"
	if got := strings.Join(names, ","); got != want {
		t.Errorf("ListExecutions: got %s, want %s", got, want)
	}
	desc, err := client.DescribeExecution(ctx, &sfn.DescribeExecutionInput{ExecutionArn: aws.String(arns[1])})
	if err != nil || desc.Status != types.ExecutionStatusAborted || aws.ToString(desc.Error) != "Cancelled" || aws.ToString(desc.Cause) != "by test" {
		t.Errorf("DescribeExecution after stop: got %+v, %v", desc, err)
	}
	var validation *types.ValidationException
	if _, err := client.ListExecutions(ctx, &sfn.ListExecutionsInput{StateMachineArn: aws.String(smARN), MaxResults: 1001}); !errors.As(err, &validation) {
		t.Errorf("maxResults 1001: got %v, want ValidationException", err)
	}
	var badToken *types.InvalidToken
	if _, err := client.ListExecutions(ctx, &sfn.ListExecutionsInput{StateMachineArn: aws.String(smARN), NextToken: aws.String("garbage")}); !errors.As(err, &badToken) {
		t.Errorf("bad nextToken: got %v, want InvalidToken", err)
	}
}

// TestAPIWire checks the JSON 1.0 error shapes for requests SDKs would not
// send.
func TestAPIWire(t *testing.T) {
	_, url := newClient(t, New(Options{}))
	tests := []struct {
		name, method, target, body string
		wantStatus                 int
		wantType                   string
	}{
		{"unknown operation", "POST", "AWSStepFunctions.CreateActivity", `{}`, 400, codeUnknownOperationException},
		{"no target", "POST", "", `{}`, 400, codeUnknownOperationException},
		{"malformed JSON", "POST", "AWSStepFunctions.ListStateMachines", `{"maxResults":`, 400, codeSerializationException},
		{"wrong member type", "POST", "AWSStepFunctions.ListStateMachines", `{"maxResults":"ten"}`, 400, codeSerializationException},
		{"missing member", "POST", "AWSStepFunctions.DescribeExecution", `{}`, 400, codeValidationException},
		{"GET", "GET", "AWSStepFunctions.ListStateMachines", ``, 405, codeUnknownOperationException},
	}
	for _, tc := range tests {
		req, _ := http.NewRequest(tc.method, url, strings.NewReader(tc.body))
		req.Header.Set("Content-Type", jsonContentType)
		if tc.target != "" {
			req.Header.Set("X-Amz-Target", tc.target)
		}
		resp, err := http.DefaultClient.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		body, _ := io.ReadAll(resp.Body)
		resp.Body.Close()
		var e struct {
			Type    string `json:"__type"`
			Message string `json:"message"`
		}
		_ = json.Unmarshal(body, &e)
		if resp.StatusCode != tc.wantStatus || e.Type != tc.wantType || e.Message == "" {
			t.Errorf("%s: got %d %s, want %d %s", tc.name, resp.StatusCode, body, tc.wantStatus, tc.wantType)
		}
		if ct := resp.Header.Get("Content-Type"); ct != jsonContentType {
			t.Errorf("%s: Content-Type %q", tc.name, ct)
		}
	}
}
