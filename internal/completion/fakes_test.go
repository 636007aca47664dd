package completion

import (
	"context"
	"encoding/json"
	"errors"
	"strconv"
	"sync"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/sfn"
	sfntypes "github.com/aws/aws-sdk-go-v2/service/sfn/types"
	"github.com/aws/smithy-go"

	"github.com/hitl-go/docsign/internal/contract"
	"github.com/hitl-go/docsign/internal/signature"
	"github.com/hitl-go/docsign/internal/tokenstore"
)

// Errors a Step Functions client can return before or after a send.
var (
	errTransient = &smithy.OperationError{ServiceID: "SFN", OperationName: "SendTask",
		Err: &smithy.GenericAPIError{Code: "ServiceUnavailable", Message: "try again", Fault: smithy.FaultServer}}
	errClientTimeout = &smithy.OperationError{ServiceID: "SFN", OperationName: "SendTask", Err: context.DeadlineExceeded}
)

// fakeSFN is one execution with one callback task, waiting on token.
type fakeSFN struct {
	mu          sync.Mutex
	token       string                    // the task's token; any other is InvalidToken
	closed      sfntypes.HistoryEventType // "" while the task waits, else the event that closed it
	output      string                    // SendTaskSuccess output
	errorName   string                    // SendTaskFailure error and cause
	cause       string
	status      sfntypes.ExecutionStatus // what DescribeExecution answers ("" = RUNNING)
	sendFaults  []error                  // answered by the next sends before they reach the task
	lostAnswers int                      // the next sends that close the task answer errClientTimeout
	closedErr   error                    // what a send to the closed task answers (nil: TaskTimedOut)
	historyErr  error
	hideParams  bool // history without TaskScheduled parameters
	stateExited bool // Bob's callback state exited (with the task still open in this fake)
	sends       int  // sends that closed the task
	calls       int  // all send calls
}

func (f *fakeSFN) SendTaskSuccess(_ context.Context, in *sfn.SendTaskSuccessInput, _ ...func(*sfn.Options)) (*sfn.SendTaskSuccessOutput, error) {
	return &sfn.SendTaskSuccessOutput{}, f.deliver(*in.TaskToken, func() {
		f.closed, f.output = sfntypes.HistoryEventTypeTaskSucceeded, *in.Output
	})
}

func (f *fakeSFN) SendTaskFailure(_ context.Context, in *sfn.SendTaskFailureInput, _ ...func(*sfn.Options)) (*sfn.SendTaskFailureOutput, error) {
	return &sfn.SendTaskFailureOutput{}, f.deliver(*in.TaskToken, func() {
		f.closed, f.errorName, f.cause = sfntypes.HistoryEventTypeTaskFailed, aws.ToString(in.Error), aws.ToString(in.Cause)
	})
}

func (f *fakeSFN) deliver(token string, close func()) error {
	f.mu.Lock()
	defer f.mu.Unlock()
	f.calls++
	if len(f.sendFaults) > 0 {
		err := f.sendFaults[0]
		f.sendFaults = f.sendFaults[1:]
		return err
	}
	switch {
	case token != f.token:
		return &sfntypes.InvalidToken{Message: aws.String("Invalid Token")}
	case f.closed != "" && f.closedErr != nil:
		return f.closedErr
	case f.closed != "":
		return &sfntypes.TaskTimedOut{Message: aws.String("Task Timed Out")}
	}
	close()
	f.sends++
	if f.lostAnswers > 0 {
		f.lostAnswers--
		return errClientTimeout
	}
	return nil
}

func (f *fakeSFN) DescribeExecution(context.Context, *sfn.DescribeExecutionInput, ...func(*sfn.Options)) (*sfn.DescribeExecutionOutput, error) {
	f.mu.Lock()
	defer f.mu.Unlock()
	var gone *sfntypes.ExecutionDoesNotExist
	if errors.As(f.historyErr, &gone) {
		return nil, f.historyErr
	}
	status := f.status
	if status == "" {
		status = sfntypes.ExecutionStatusRunning
	}
	return &sfn.DescribeExecutionOutput{Status: status, StopDate: aws.Time(t0)}, nil
}

// historyPage is small so that the handler must follow NextToken.
const historyPage = 3

// GetExecutionHistory answers AWS's history of a Parallel with an auto
// branch (Alice, done) and the callback branch holding the token.
func (f *fakeSFN) GetExecutionHistory(_ context.Context, in *sfn.GetExecutionHistoryInput, _ ...func(*sfn.Options)) (*sfn.GetExecutionHistoryOutput, error) {
	f.mu.Lock()
	defer f.mu.Unlock()
	if f.historyErr != nil {
		return nil, f.historyErr
	}
	events := f.events()
	if !aws.ToBool(in.IncludeExecutionData) { // as AWS: no parameters, inputs or outputs
		for i := range events {
			events[i].TaskScheduledEventDetails, events[i].TaskSucceededEventDetails = nil, nil
		}
	}
	start, _ := strconv.Atoi(aws.ToString(in.NextToken))
	end := min(start+historyPage, len(events))
	out := &sfn.GetExecutionHistoryOutput{Events: events[start:end]}
	if end < len(events) {
		out.NextToken = aws.String(strconv.Itoa(end))
	}
	return out, nil
}

func (f *fakeSFN) events() []sfntypes.HistoryEvent {
	params := `{"FunctionName":"arn:aws:lambda:us-east-1:000000000000:function:request-signature",` +
		`"Payload":{"taskToken":` + quote(f.token) + `,"documentId":"3","signer":"Bob"}}`
	if f.hideParams {
		params = `{}`
	}
	ev := func(id, prev int64, typ sfntypes.HistoryEventType) sfntypes.HistoryEvent {
		return sfntypes.HistoryEvent{Id: id, PreviousEventId: prev, Type: typ, Timestamp: aws.Time(t0.Add(time.Duration(id) * time.Second))}
	}
	bobState := contract.CallbackStateName("Bob")
	bobExited := func(id, prev int64) sfntypes.HistoryEvent {
		e := ev(id, prev, sfntypes.HistoryEventTypeTaskStateExited)
		e.StateExitedEventDetails = &sfntypes.StateExitedEventDetails{Name: aws.String(bobState)}
		return e
	}
	bobEntered := ev(4, 2, sfntypes.HistoryEventTypeTaskStateEntered)
	bobEntered.StateEnteredEventDetails = &sfntypes.StateEnteredEventDetails{Name: aws.String(bobState)}
	aliceScheduled, bobScheduled := ev(5, 3, sfntypes.HistoryEventTypeTaskScheduled), ev(6, 4, sfntypes.HistoryEventTypeTaskScheduled)
	aliceScheduled.TaskScheduledEventDetails = &sfntypes.TaskScheduledEventDetails{Parameters: aws.String(`{"Payload":{"documentId":"3","signer":"Alice"}}`)}
	bobScheduled.TaskScheduledEventDetails = &sfntypes.TaskScheduledEventDetails{Parameters: aws.String(params)}
	aliceDone := ev(8, 7, sfntypes.HistoryEventTypeTaskSucceeded)
	aliceDone.TaskSucceededEventDetails = &sfntypes.TaskSucceededEventDetails{Output: aws.String(`{"Payload":{"documentId":"3","signer":"Alice"}}`)}
	events := []sfntypes.HistoryEvent{
		ev(1, 0, sfntypes.HistoryEventTypeExecutionStarted),
		ev(2, 1, sfntypes.HistoryEventTypeParallelStateEntered),
		ev(3, 2, sfntypes.HistoryEventTypeTaskStateEntered),
		bobEntered,
		aliceScheduled, bobScheduled,
		ev(7, 5, sfntypes.HistoryEventTypeTaskStarted),
		aliceDone,
		ev(9, 6, sfntypes.HistoryEventTypeTaskStarted),
		ev(10, 9, sfntypes.HistoryEventTypeTaskSubmitted),
	}
	if f.closed == "" {
		if f.stateExited {
			events = append(events, bobExited(11, 10))
		}
		return events
	}
	closing := ev(11, 10, f.closed)
	switch f.closed {
	case sfntypes.HistoryEventTypeTaskSucceeded:
		closing.TaskSucceededEventDetails = &sfntypes.TaskSucceededEventDetails{Output: aws.String(f.output)}
	case sfntypes.HistoryEventTypeTaskFailed:
		closing.TaskFailedEventDetails = &sfntypes.TaskFailedEventDetails{Error: aws.String(f.errorName), Cause: aws.String(f.cause)}
	}
	if f.closed == sfntypes.HistoryEventTypeTaskFailed && f.errorName != contract.ErrorSignatureDeclined {
		return append(events, closing) // the state stays: its retrier schedules the task again
	}
	return append(events, closing, bobExited(12, 11))
}

func quote(s string) string {
	b, _ := json.Marshal(s)
	return string(b)
}

func (f *fakeSFN) counts() (sends, calls int) {
	f.mu.Lock()
	defer f.mu.Unlock()
	return f.sends, f.calls
}

// fakeStore holds one request with the token store's claim semantics.
type fakeStore struct {
	mu        sync.Mutex
	req       *tokenstore.Request
	claimErr  error               // answered by every Claim
	finishErr error               // answered by the next Finish
	readFirst *tokenstore.Request // answered by the next Get instead of req
	calls     int
}

func (s *fakeStore) Claim(_ context.Context, k tokenstore.Key, claimID string, now time.Time, lease time.Duration, codeHash string) (tokenstore.Request, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.calls++
	switch {
	case s.claimErr != nil:
		return tokenstore.Request{}, s.claimErr
	case s.req == nil || s.req.Key != k:
		return tokenstore.Request{}, tokenstore.ErrNotFound
	case s.req.Status != contract.StatusPending || s.req.Claimed(now),
		codeHash != "" && codeHash != s.req.CodeHash:
		return tokenstore.Request{}, &tokenstore.StateError{Op: "claim", Current: *s.req, At: now}
	}
	s.req.ClaimID, s.req.ClaimExpiresAt = claimID, now.Add(lease)
	return *s.req, nil
}

func (s *fakeStore) Finish(_ context.Context, _ tokenstore.Key, claimID string, o tokenstore.Outcome) error {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.calls++
	if err := s.finishErr; err != nil {
		s.finishErr = nil
		return err
	}
	if s.req.Status != contract.StatusPending || s.req.ClaimID != claimID {
		return tokenstore.ErrClaimLost
	}
	s.req.Status, s.req.CompletedAt, s.req.Decision, s.req.Reason = o.Status, o.At, o.Decision, o.Reason
	s.req.TaskToken, s.req.ClaimID, s.req.ClaimExpiresAt = "", "", time.Time{}
	if o.Status != contract.StatusExpired {
		s.req.CodeHash = ""
	}
	return nil
}

func (s *fakeStore) stored() tokenstore.Request {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.req == nil {
		return tokenstore.Request{}
	}
	return *s.req
}

// pinned is the document the tests' requests pin.
var pinned = signature.Document{Bucket: "docs", Key: "documents/3", VersionID: "v1",
	SHA256: "2cf24dba5fb0a30e26e83b2ac5b9e29e1b161e5c1fa7425e73043362938b9824"}

// fakeSealer seals without KMS: the JWS names the signer, document and run
// (package signing's own tests sign for real).
type fakeSealer struct{ err error }

func (f fakeSealer) Sign(_ context.Context, documentID string, doc signature.Document, signer, executionARN, authenticatedBy string) (signature.Envelope, error) {
	if f.err != nil {
		return signature.Envelope{}, f.err
	}
	st := signature.NewStatement(documentID, doc, signer, executionARN, authenticatedBy, t0)
	return signature.Envelope{Signer: signer, Statement: st, JWS: "header." + documentID + "." + signer}, nil
}

func (s *fakeStore) Get(_ context.Context, k tokenstore.Key) (tokenstore.Request, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.calls++
	if s.claimErr != nil {
		return tokenstore.Request{}, s.claimErr
	}
	if s.readFirst != nil { // what a read saw before the request changed
		r := *s.readFirst
		s.readFirst = nil
		return r, nil
	}
	if s.req == nil || s.req.Key != k {
		return tokenstore.Request{}, tokenstore.ErrNotFound
	}
	return *s.req, nil
}
