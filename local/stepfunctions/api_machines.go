package stepfunctions

import (
	"encoding/base64"
	"encoding/json"
	"strconv"

	"github.com/hitl-go/docsign/local/internal/apierror"
)

type createStateMachineInput struct {
	Name                 string          `json:"name"`
	Definition           string          `json:"definition"`
	RoleARN              string          `json:"roleArn"`
	Type                 string          `json:"type"`
	Publish              bool            `json:"publish"`
	LoggingConfiguration json.RawMessage `json:"loggingConfiguration"`
	TracingConfiguration json.RawMessage `json:"tracingConfiguration"`
}

func (s *Service) apiCreateStateMachine(in *createStateMachineInput) (any, *APIError) {
	for _, f := range []struct{ name, value string }{{"name", in.Name}, {"definition", in.Definition}, {"roleArn", in.RoleARN}} {
		if err := required(f.name, f.value); err != nil {
			return nil, err
		}
	}
	if err := maxLen("roleArn", in.RoleARN, maxARNLen, false); err != nil {
		return nil, err
	}
	if err := checkRoleARN(in.RoleARN); err != nil {
		return nil, err
	}
	switch in.Type {
	case "", "STANDARD":
	case "EXPRESS":
		return nil, apierror.New(codeStateMachineTypeNotSupported, "EXPRESS state machines are not supported by this local Step Functions engine")
	default:
		return nil, validationError("type", in.Type, "Member must satisfy enum value set: [STANDARD, EXPRESS]")
	}
	if in.Publish {
		return nil, apierror.New(codeValidationException, "Publishing versions is not supported by this local Step Functions engine")
	}
	sm, err := s.createStateMachine(in.Name, in.Definition, in.RoleARN)
	if err != nil {
		return nil, err
	}
	return map[string]any{"stateMachineArn": sm.arn, "creationDate": epochTime(sm.created)}, nil
}

type stateMachineARNInput struct {
	StateMachineARN string `json:"stateMachineArn"`
}

// DeleteStateMachine succeeds for a state machine that does not exist, as
// AWS's does. Its running executions go on to their end.
func (s *Service) apiDeleteStateMachine(in *stateMachineARNInput) (any, *APIError) {
	if err := checkARNMember("stateMachineArn", in.StateMachineARN, kindStateMachine); err != nil {
		return nil, err
	}
	s.deleteStateMachine(in.StateMachineARN)
	return struct{}{}, nil
}

func (s *Service) existingMachine(arn string) (*stateMachine, *APIError) {
	if err := checkARNMember("stateMachineArn", arn, kindStateMachine); err != nil {
		return nil, err
	}
	sm := s.machine(arn)
	if sm == nil {
		return nil, apierror.New(codeStateMachineDoesNotExist, "State Machine Does Not Exist: '%s'", arn)
	}
	return sm, nil
}

func (s *Service) apiDescribeStateMachine(in *stateMachineARNInput) (any, *APIError) {
	sm, err := s.existingMachine(in.StateMachineARN)
	if err != nil {
		return nil, err
	}
	return map[string]any{
		"stateMachineArn":      sm.arn,
		"name":                 sm.name,
		"status":               "ACTIVE",
		"definition":           sm.definition,
		"roleArn":              sm.roleARN,
		"type":                 "STANDARD",
		"creationDate":         epochTime(sm.created),
		"loggingConfiguration": map[string]any{"level": "OFF", "includeExecutionData": false},
		"tracingConfiguration": map[string]any{"enabled": false},
	}, nil
}

type listInput struct {
	MaxResults int    `json:"maxResults"`
	NextToken  string `json:"nextToken"`
}

// ListStateMachines lists state machines by name.
func (s *Service) apiListStateMachines(in *listInput) (any, *APIError) {
	size, err := pageSize(in.MaxResults)
	if err != nil {
		return nil, err
	}
	after := ""
	if in.NextToken != "" {
		if err := maxLen("nextToken", in.NextToken, 1024, false); err != nil {
			return nil, err
		}
		name, ok := decodePageToken(in.NextToken, "sm")
		if !ok {
			return nil, invalidPageToken()
		}
		after = name
	}
	items := []any{}
	next := ""
	for _, sm := range s.sortedMachines() {
		if after != "" && sm.name <= after {
			continue
		}
		if len(items) == size {
			next = encodePageToken("sm", items[len(items)-1].(map[string]any)["name"].(string))
			break
		}
		items = append(items, map[string]any{"stateMachineArn": sm.arn, "name": sm.name,
			"type": "STANDARD", "creationDate": epochTime(sm.created)})
	}
	out := map[string]any{"stateMachines": items}
	if next != "" {
		out["nextToken"] = next
	}
	return out, nil
}

// Page tokens are opaque to callers: base64url of "<kind>:<position>".
func encodePageToken(kind, pos string) string {
	return base64.RawURLEncoding.EncodeToString([]byte(kind + ":" + pos))
}

func decodePageToken(token, kind string) (string, bool) {
	raw, err := base64.RawURLEncoding.DecodeString(token)
	if err != nil || len(raw) <= len(kind)+1 || string(raw[:len(kind)+1]) != kind+":" {
		return "", false
	}
	return string(raw[len(kind)+1:]), true
}

func decodePageNumber(token, kind string) (int64, bool) {
	s, ok := decodePageToken(token, kind)
	if !ok {
		return 0, false
	}
	n, err := strconv.ParseInt(s, 10, 64)
	return n, err == nil && n >= 0
}

func invalidPageToken() *APIError {
	return apierror.New(codeInvalidToken, "Invalid Token: 'The nextToken is invalid or expired'")
}

func itoa(n int) string { return strconv.Itoa(n) }
