package stepfunctions

import (
	"context"
	"log/slog"
	"sort"
	"sync"
	"time"

	"github.com/hitl-go/docsign/local/internal/apierror"
)

// Invoker calls Lambda functions for Task states. functionError is "" for a
// successful call, or "Unhandled" when payload is the function's error
// ({"errorType":…,"errorMessage":…}). err reports a failed call (function
// not found, service unavailable, …); if it has an ErrorCode() string method
// (as AWS SDK errors do) the task fails with "Lambda."+ErrorCode().
type Invoker interface {
	Invoke(ctx context.Context, functionARN string, payload []byte) (out []byte, functionError string, err error)
}

// InvokerFunc adapts a function to the Invoker interface.
type InvokerFunc func(ctx context.Context, functionARN string, payload []byte) ([]byte, string, error)

// Invoke calls f.
func (f InvokerFunc) Invoke(ctx context.Context, functionARN string, payload []byte) ([]byte, string, error) {
	return f(ctx, functionARN, payload)
}

// Options configure a Service.
type Options struct {
	// Region and AccountID appear in the ARNs the Service issues; defaults
	// "us-east-1" and "000000000000".
	Region    string
	AccountID string
	// Invoker calls Lambda functions. Without one every Lambda task fails
	// with Lambda.ServiceException.
	Invoker Invoker
	// Clock defaults to the system clock.
	Clock Clock
	// Logger receives operational messages (never execution data or task
	// tokens); nil discards them.
	Logger *slog.Logger
}

// Service is a local AWS Step Functions: it keeps state machines and their
// executions in memory, runs them, and serves the Step Functions JSON API
// (see Handler). It is safe for concurrent use.
type Service struct {
	region, account string
	invoker         Invoker
	clock           Clock
	log             *slog.Logger
	tokens          *tokenRegistry

	mu         sync.RWMutex
	machines   map[string]*stateMachine // by ARN
	executions map[string]*execution    // by ARN
	byMachine  map[string][]*execution  // by state machine ARN, in start order
}

// New returns a Service with no state machines.
func New(opts Options) *Service {
	s := &Service{
		region:     opts.Region,
		account:    opts.AccountID,
		invoker:    opts.Invoker,
		clock:      opts.Clock,
		log:        opts.Logger,
		tokens:     newTokenRegistry(),
		machines:   make(map[string]*stateMachine),
		executions: make(map[string]*execution),
		byMachine:  make(map[string][]*execution),
	}
	if s.region == "" {
		s.region = "us-east-1"
	}
	if s.account == "" {
		s.account = "000000000000"
	}
	if s.clock == nil {
		s.clock = realClock{}
	}
	if s.log == nil {
		s.log = slog.New(slog.DiscardHandler)
	}
	if s.invoker == nil {
		s.invoker = noInvoker{}
	}
	return s
}

// A stateMachine is a created state machine.
type stateMachine struct {
	arn, name, roleARN string
	definition         string // as given, returned by DescribeStateMachine
	created            time.Time
	compiled           *machineDef
}

// CreateStateMachine creates a STANDARD state machine from an Amazon States
// Language definition (JSON) and returns its ARN, as the CreateStateMachine
// API does: a definition outside the engine's scope fails with an *APIError
// of code InvalidDefinition; creating the same name with the same definition
// again returns the existing ARN.
func (s *Service) CreateStateMachine(name, definition, roleARN string) (string, error) {
	sm, err := s.createStateMachine(name, definition, roleARN)
	if err != nil {
		return "", err
	}
	return sm.arn, nil
}

func (s *Service) createStateMachine(name, definition, roleARN string) (*stateMachine, *APIError) {
	if err := checkName(name); err != nil {
		return nil, err
	}
	def, err := parseDefinition(definition)
	if err != nil {
		return nil, err
	}
	arn := s.stateMachineARN(name)
	s.mu.Lock()
	defer s.mu.Unlock()
	if old := s.machines[arn]; old != nil {
		if old.definition == definition {
			return old, nil
		}
		return nil, apierror.New(codeStateMachineAlreadyExists, "State Machine Already Exists: '%s'", arn)
	}
	sm := &stateMachine{arn: arn, name: name, roleARN: roleARN, definition: definition,
		created: s.clock.Now(), compiled: def}
	s.machines[arn] = sm
	return sm, nil
}

func (s *Service) deleteStateMachine(arn string) {
	s.mu.Lock()
	defer s.mu.Unlock()
	delete(s.machines, arn)
}

func (s *Service) machine(arn string) *stateMachine {
	s.mu.RLock()
	defer s.mu.RUnlock()
	return s.machines[arn]
}

// sortedMachines returns the state machines ordered by name.
func (s *Service) sortedMachines() []*stateMachine {
	s.mu.RLock()
	list := make([]*stateMachine, 0, len(s.machines))
	for _, sm := range s.machines {
		list = append(list, sm)
	}
	s.mu.RUnlock()
	sort.Slice(list, func(i, j int) bool { return list[i].name < list[j].name })
	return list
}

func (s *Service) execution(arn string) *execution {
	s.mu.RLock()
	defer s.mu.RUnlock()
	return s.executions[arn]
}

// noInvoker fails every Lambda call: the Service was built without one.
type noInvoker struct{}

func (noInvoker) Invoke(context.Context, string, []byte) ([]byte, string, error) {
	return nil, "", errNoInvoker
}

var errNoInvoker = &invokeError{code: "ServiceException", msg: "no Lambda invoker is configured"}

type invokeError struct{ code, msg string }

func (e *invokeError) Error() string     { return e.msg }
func (e *invokeError) ErrorCode() string { return e.code }
