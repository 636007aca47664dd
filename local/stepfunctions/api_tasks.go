package stepfunctions

import "github.com/hitl-go/docsign/local/internal/apierror"

type sendTaskSuccessInput struct {
	TaskToken string  `json:"taskToken"`
	Output    *string `json:"output"`
}

type sendTaskFailureInput struct {
	TaskToken string `json:"taskToken"`
	Error     string `json:"error"`
	Cause     string `json:"cause"`
}

type sendTaskHeartbeatInput struct {
	TaskToken string `json:"taskToken"`
}

// checkToken validates the taskToken member without ever echoing it.
func checkToken(token string) *APIError {
	if err := required("taskToken", token); err != nil {
		return err
	}
	return maxLen("taskToken", token, 2048, true)
}

func (s *Service) apiSendTaskSuccess(in *sendTaskSuccessInput) (any, *APIError) {
	if err := checkToken(in.TaskToken); err != nil {
		return nil, err
	}
	if in.Output == nil {
		return nil, validationError("output", "null", "Member must not be null")
	}
	if err := maxBytes("output", *in.Output, maxPayloadSize, true); err != nil {
		return nil, err
	}
	if _, err := decodeJSON([]byte(*in.Output)); err != nil {
		return nil, apierror.New(codeInvalidOutput, "Invalid Output: '%s'", err.Error())
	}
	return s.sendTask(in.TaskToken, func(w tokenWaiter) bool { return w.complete(*in.Output, "", "", false) })
}

func (s *Service) apiSendTaskFailure(in *sendTaskFailureInput) (any, *APIError) {
	if err := checkToken(in.TaskToken); err != nil {
		return nil, err
	}
	if err := maxLen("error", in.Error, 256, true); err != nil {
		return nil, err
	}
	if err := maxLen("cause", in.Cause, 32768, true); err != nil {
		return nil, err
	}
	return s.sendTask(in.TaskToken, func(w tokenWaiter) bool { return w.complete("", in.Error, in.Cause, true) })
}

func (s *Service) apiSendTaskHeartbeat(in *sendTaskHeartbeatInput) (any, *APIError) {
	if err := checkToken(in.TaskToken); err != nil {
		return nil, err
	}
	return s.sendTask(in.TaskToken, tokenWaiter.heartbeat)
}

// sendTask delivers a callback to the task that holds token. A task that
// closed meanwhile answers TaskTimedOut, as one closed before.
func (s *Service) sendTask(token string, deliver func(tokenWaiter) bool) (any, *APIError) {
	w, err := s.tokens.lookup(token)
	if err != nil {
		return nil, err
	}
	if !deliver(w) {
		return nil, apierror.New(codeTaskTimedOut, "Task Timed Out: 'Provided task does not exist anymore'")
	}
	return struct{}{}, nil
}
