package stepfunctions

import (
	"strconv"

	"github.com/hitl-go/docsign/local/internal/apierror"
)

// maxTraceHeaderLen is the API's length constraint on traceHeader.
const maxTraceHeaderLen = 256

type startExecutionInput struct {
	StateMachineARN string  `json:"stateMachineArn"`
	Name            string  `json:"name"`
	Input           *string `json:"input"`
	TraceHeader     string  `json:"traceHeader"`
}

func (s *Service) apiStartExecution(in *startExecutionInput) (any, *APIError) {
	x, err := s.startExecution(in)
	if err != nil {
		return nil, err
	}
	return map[string]any{"executionArn": x.arn, "startDate": epochTime(x.start)}, nil
}

// startExecution starts an execution, or returns the running one with the
// same name and input (StartExecution is idempotent for STANDARD state
// machines while the execution is open).
func (s *Service) startExecution(in *startExecutionInput) (*execution, *APIError) {
	sm, err := s.existingMachine(in.StateMachineARN)
	if err != nil {
		return nil, err
	}
	name := in.Name
	if name == "" {
		name = newUUID()
	} else if err := checkName(name); err != nil {
		return nil, err
	}
	if err := maxLen("traceHeader", in.TraceHeader, maxTraceHeaderLen, false); err != nil {
		return nil, err
	}
	input := "{}"
	if in.Input != nil {
		input = *in.Input
	}
	if err := maxBytes("input", input, maxPayloadSize, true); err != nil {
		return nil, err
	}
	val, jerr := decodeJSON([]byte(input))
	if jerr != nil {
		msg := jerr.Error()
		if input == "" {
			msg = "Invalid execution input."
		}
		return nil, apierror.New(codeInvalidExecutionInput, "Invalid State Machine Execution Input: '%s'", msg)
	}
	arn := s.executionARN(sm.name, name)
	s.mu.Lock()
	if old := s.executions[arn]; old != nil {
		s.mu.Unlock()
		old.mu.Lock()
		same := old.running() && old.input == input
		old.mu.Unlock()
		if same {
			return old, nil
		}
		return nil, apierror.New(codeExecutionAlreadyExists, "Execution Already Exists: '%s'", arn)
	}
	x := &execution{svc: s, sm: sm, def: sm.compiled, arn: arn, name: name, input: input, inputVal: val,
		start: s.clock.Now(), status: statusRunning, done: make(chan struct{})}
	s.executions[arn] = x
	s.byMachine[sm.arn] = append(s.byMachine[sm.arn], x)
	s.mu.Unlock()
	x.begin()
	return x, nil
}

type executionARNInput struct {
	ExecutionARN string `json:"executionArn"`
}

func (s *Service) existingExecution(arn string) (*execution, *APIError) {
	if err := checkARNMember("executionArn", arn, kindExecution); err != nil {
		return nil, err
	}
	x := s.execution(arn)
	if x == nil {
		return nil, apierror.New(codeExecutionDoesNotExist, "Execution Does Not Exist: '%s'", arn)
	}
	return x, nil
}

func (s *Service) apiDescribeExecution(in *executionARNInput) (any, *APIError) {
	x, err := s.existingExecution(in.ExecutionARN)
	if err != nil {
		return nil, err
	}
	x.mu.Lock()
	defer x.mu.Unlock()
	out := map[string]any{
		"executionArn":    x.arn,
		"stateMachineArn": x.sm.arn,
		"name":            x.name,
		"status":          x.status,
		"startDate":       epochTime(x.start),
		"input":           x.input,
		"inputDetails":    map[string]any{"included": true},
		"redriveCount":    0,
	}
	switch x.status {
	case statusSucceeded:
		out["output"] = x.output
		out["outputDetails"] = map[string]any{"included": true}
	case statusFailed, statusAborted:
		setIf(out, "error", x.errName)
		setIf(out, "cause", x.cause)
	}
	if x.status != statusRunning {
		out["stopDate"] = epochTime(x.stop)
	}
	out["redriveStatus"] = "NOT_REDRIVABLE"
	out["redriveStatusReason"] = redriveStatusReason(x.status)
	return out, nil
}

// redriveStatusReason says why an execution cannot be redriven: AWS's
// reasons for running and succeeded ones, and for failed, timed-out and
// aborted ones that this engine does not serve RedriveExecution.
func redriveStatusReason(status string) string {
	if status == statusRunning || status == statusSucceeded {
		return "Execution is " + status + " and cannot be redriven"
	}
	return "Redrive is not supported by the local Step Functions engine"
}

func setIf(m map[string]any, key, value string) {
	if value != "" {
		m[key] = value
	}
}

type listExecutionsInput struct {
	StateMachineARN string `json:"stateMachineArn"`
	StatusFilter    string `json:"statusFilter"`
	MaxResults      int    `json:"maxResults"`
	NextToken       string `json:"nextToken"`
	MapRunARN       string `json:"mapRunArn"`
}

var executionStatuses = []string{statusSucceeded, statusTimedOut, "PENDING_REDRIVE", statusAborted, statusFailed, statusRunning}

// ListExecutions lists a state machine's executions, newest first.
func (s *Service) apiListExecutions(in *listExecutionsInput) (any, *APIError) {
	if in.MapRunARN != "" {
		return nil, apierror.New(codeValidationException, "Map Runs (distributed Map) are not supported by this local Step Functions engine")
	}
	sm, err := s.existingMachine(in.StateMachineARN)
	if err != nil {
		return nil, err
	}
	if in.StatusFilter != "" && !contains(executionStatuses, in.StatusFilter) {
		return nil, validationError("statusFilter", in.StatusFilter,
			"Member must satisfy enum value set: [SUCCEEDED, TIMED_OUT, PENDING_REDRIVE, ABORTED, FAILED, RUNNING]")
	}
	size, err := pageSize(in.MaxResults)
	if err != nil {
		return nil, err
	}
	s.mu.RLock()
	all := s.byMachine[sm.arn]
	s.mu.RUnlock()
	from := int64(len(all) - 1)
	if in.NextToken != "" {
		if err := maxLen("nextToken", in.NextToken, 3096, false); err != nil {
			return nil, err
		}
		n, ok := decodePageNumber(in.NextToken, "ex")
		if !ok || n >= int64(len(all)) {
			return nil, invalidPageToken()
		}
		from = n
	}
	items := []any{}
	out := map[string]any{}
	for i := from; i >= 0; i-- {
		item, ok := all[i].listItem(in.StatusFilter)
		if !ok {
			continue
		}
		if len(items) == size {
			out["nextToken"] = encodePageToken("ex", strconv.FormatInt(i, 10))
			break
		}
		items = append(items, item)
	}
	out["executions"] = items
	return out, nil
}

// listItem renders x for ListExecutions if its status passes filter.
func (x *execution) listItem(filter string) (map[string]any, bool) {
	x.mu.Lock()
	defer x.mu.Unlock()
	if filter != "" && x.status != filter {
		return nil, false
	}
	item := map[string]any{
		"executionArn":    x.arn,
		"stateMachineArn": x.sm.arn,
		"name":            x.name,
		"status":          x.status,
		"startDate":       epochTime(x.start),
		"redriveCount":    0,
	}
	if x.status != statusRunning {
		item["stopDate"] = epochTime(x.stop)
	}
	return item, true
}

type stopExecutionInput struct {
	ExecutionARN string `json:"executionArn"`
	Error        string `json:"error"`
	Cause        string `json:"cause"`
}

// StopExecution aborts a running execution; for a closed one it changes
// nothing and returns its stop date.
func (s *Service) apiStopExecution(in *stopExecutionInput) (any, *APIError) {
	x, err := s.existingExecution(in.ExecutionARN)
	if err != nil {
		return nil, err
	}
	if err := maxLen("error", in.Error, 256, true); err != nil {
		return nil, err
	}
	if err := maxLen("cause", in.Cause, 32768, true); err != nil {
		return nil, err
	}
	x.abort(in.Error, in.Cause)
	x.mu.Lock()
	defer x.mu.Unlock()
	return map[string]any{"stopDate": epochTime(x.stop)}, nil
}
