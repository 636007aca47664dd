package completion

import (
	"context"
	"encoding/json"
	"errors"
	"strings"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/sfn"
	sfntypes "github.com/aws/aws-sdk-go-v2/service/sfn/types"

	"github.com/hitl-go/docsign/internal/contract"
	"github.com/hitl-go/docsign/internal/fault"
	"github.com/hitl-go/docsign/internal/signature"
	"github.com/hitl-go/docsign/internal/tokenstore"
)

// resolve sends the decision with the claimed request's token and returns the
// outcome it led to. When Step Functions says the task is already closed
// (an earlier send whose answer was lost may have gone through), the
// execution decides. An unknown outcome is a *fault.SignatureServiceUnavailable.
func (h *Handler) resolve(ctx context.Context, req tokenstore.Request, in Input, env *signature.Envelope) (tokenstore.Outcome, error) {
	if in.Decision == contract.DecisionSign && env == nil {
		return tokenstore.Outcome{}, fault.Unavailable("signature request %s: no sealed statement to send; retry", req.Key)
	}
	err := h.send(ctx, req, in, env)
	var (
		timedOut     *sfntypes.TaskTimedOut
		invalidToken *sfntypes.InvalidToken
		noTask       *sfntypes.TaskDoesNotExist
	)
	switch {
	case err == nil:
		o := tokenstore.Outcome{Status: statusFor(in.Decision), Decision: in.Decision, Reason: in.Reason, At: h.now()}
		if env != nil {
			o.JWS = env.JWS
		}
		return o, nil
	case errors.As(err, &timedOut):
		return h.settle(ctx, req, false)
	case errors.As(err, &noTask):
		// The task is gone: an earlier send of ours may have closed it, so the
		// history decides; without our outcome in it, the request expired.
		return h.settle(ctx, req, true)
	case errors.As(err, &invalidToken):
		return tokenstore.Outcome{Status: contract.StatusExpired, At: h.now()}, nil
	}
	return tokenstore.Outcome{}, fault.Unavailable("send the %s decision for signature request %s: outcome unknown (%s); retry",
		in.Decision, req.Key, redact(err, req.TaskToken))
}

// send calls SendTaskSuccess with the signature's envelope, or
// SendTaskFailure with error SignatureDeclined and the reason as cause.
func (h *Handler) send(ctx context.Context, req tokenstore.Request, in Input, env *signature.Envelope) error {
	if in.Decision == contract.DecisionDecline {
		failure := &sfn.SendTaskFailureInput{TaskToken: &req.TaskToken, Error: aws.String(contract.ErrorSignatureDeclined)}
		if in.Reason != "" {
			failure.Cause = &in.Reason
		}
		_, err := h.sfn.SendTaskFailure(ctx, failure)
		return err
	}
	output, err := json.Marshal(env)
	if err != nil {
		return err
	}
	_, err = h.sfn.SendTaskSuccess(ctx, &sfn.SendTaskSuccessInput{TaskToken: &req.TaskToken, Output: aws.String(string(output))})
	return err
}

// settle finds out how the request's task closed: from the execution's
// history, else from the execution's status. A still running execution
// without an outcome for the task means expired once the request's deadline
// has passed, else that the outcome is not known yet.
func (h *Handler) settle(ctx context.Context, req tokenstore.Request, pastDeadline bool) (tokenstore.Outcome, error) {
	now := h.now()
	closed := tokenstore.Outcome{Status: contract.StatusExpired, At: now} // without our decision
	var gone *sfntypes.ExecutionDoesNotExist
	events, err := h.history(ctx, req.ExecutionARN, true)
	if errors.As(err, &gone) {
		return closed, nil
	}
	if err != nil {
		return tokenstore.Outcome{}, fault.Unavailable("signature request %s: read its execution's history: %v; retry", req.Key, err)
	}
	if o, ok := taskOutcome(events, req, now); ok {
		return o, nil
	}
	exec, err := h.sfn.DescribeExecution(ctx, &sfn.DescribeExecutionInput{ExecutionArn: &req.ExecutionARN})
	if errors.As(err, &gone) {
		return closed, nil
	}
	if err != nil {
		return tokenstore.Outcome{}, fault.Unavailable("signature request %s: describe its execution: %v; retry", req.Key, err)
	}
	switch exec.Status {
	case sfntypes.ExecutionStatusSucceeded: // every branch succeeded, ours included
		return tokenstore.Outcome{Status: contract.StatusSigned, Decision: contract.DecisionSign, At: timeOr(exec.StopDate, now),
			JWS: signatureIn(exec.Output, req.Key)}, nil
	case sfntypes.ExecutionStatusRunning:
		if pastDeadline {
			return closed, nil
		}
		return tokenstore.Outcome{}, fault.Unavailable("signature request %s: its task is closed but the execution shows no outcome yet; retry", req.Key)
	}
	return closed, nil
}

// askedAgain returns a *fault.SignatureServiceUnavailable when req, expired
// because its task closed without a decision, may still be asked again: its
// run still runs, before the request's deadline, and the signer's callback
// state has not exited — the task is being retried, however long its retries
// wait, and request-signature will store a new token in the EXPIRED item.
// The caller then retries rather than gives up. Otherwise it returns nil:
// the request expired.
func (h *Handler) askedAgain(ctx context.Context, req tokenstore.Request, now time.Time) error {
	if !now.Before(req.ExpiresAt) || req.ExecutionARN == "" {
		return nil
	}
	exec, err := h.sfn.DescribeExecution(ctx, &sfn.DescribeExecutionInput{ExecutionArn: &req.ExecutionARN})
	var gone *sfntypes.ExecutionDoesNotExist
	switch {
	case errors.As(err, &gone):
		return nil
	case err != nil:
		return fault.Unavailable("signature request %s expired; describe its execution: %v; retry", req.Key, err)
	case exec.Status != sfntypes.ExecutionStatusRunning:
		return nil
	}
	events, err := h.history(ctx, req.ExecutionARN, false)
	switch {
	case errors.As(err, &gone):
		return nil
	case err != nil:
		return fault.Unavailable("signature request %s expired; read its execution's history: %v; retry", req.Key, err)
	case stateExited(events, contract.CallbackStateName(req.Signer)):
		return nil
	}
	return fault.Unavailable("signature request %s: its run is still running and will ask for this signature "+
		"again (its task is being retried); retry in a few seconds", req.Key)
}

// history reads an execution's whole history; withData includes the
// states' inputs and outputs (a task token is in TaskScheduled's parameters).
func (h *Handler) history(ctx context.Context, executionARN string, withData bool) ([]sfntypes.HistoryEvent, error) {
	var events []sfntypes.HistoryEvent
	pages := sfn.NewGetExecutionHistoryPaginator(h.sfn, &sfn.GetExecutionHistoryInput{
		ExecutionArn:         &executionARN,
		IncludeExecutionData: aws.Bool(withData),
		MaxResults:           1000,
	})
	for pages.HasMorePages() {
		page, err := pages.NextPage(ctx)
		if err != nil {
			return nil, err
		}
		events = append(events, page.Events...)
	}
	return events, nil
}

// redact describes err without the token (defence in depth: Step Functions'
// messages should not echo it, but every returned error is logged).
func redact(err error, token string) string {
	msg := err.Error()
	if token != "" {
		msg = strings.ReplaceAll(msg, token, "[task token]")
	}
	return msg
}
