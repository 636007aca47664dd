package cloudformation

import (
	"encoding/json"
	"strings"
)

// StateMachine is an AWS::StepFunctions::StateMachine.
type StateMachine struct {
	LogicalID string
	Name      string
	ARN       string
	// Type is StateMachineType: "STANDARD" (default) or "EXPRESS".
	Type string
	// Definition is the Amazon States Language JSON: DefinitionString, or
	// Definition encoded as JSON, with intrinsics resolved and
	// DefinitionSubstitutions applied.
	Definition string
	RoleARN    string
	// Logging is LoggingConfiguration, nil if the template has none.
	Logging *StateMachineLogging
	// Tracing reports TracingConfiguration.Enabled (X-Ray; not emulated).
	Tracing bool
}

// StateMachineLogging is where and how much a state machine logs.
type StateMachineLogging struct {
	Level                string // ALL, ERROR, FATAL or OFF
	IncludeExecutionData bool
	LogGroupARNs         []string
}

type cfnStateMachine struct {
	DefinitionString        string
	DefinitionSubstitutions map[string]flexString
	RoleArn                 string
	StateMachineType        string
	LoggingConfiguration    *struct {
		Level                string
		IncludeExecutionData flexBool
		Destinations         []struct {
			CloudWatchLogsLogGroup struct{ LogGroupArn string }
		}
	}
	TracingConfiguration *struct{ Enabled flexBool }
}

func (r *resolver) stateMachine(id string) (StateMachine, error) {
	var p cfnStateMachine
	props, path, err := r.properties(id, &p)
	if err != nil {
		return StateMachine{}, err
	}
	def, err := r.definition(props, p, path)
	if err != nil {
		return StateMachine{}, err
	}
	name, err := r.physicalName(id, path)
	if err != nil {
		return StateMachine{}, err
	}
	sm := StateMachine{
		LogicalID: id, Name: name, ARN: r.stateMachineARN(name),
		Type: p.StateMachineType, Definition: def, RoleARN: p.RoleArn,
		Tracing: p.TracingConfiguration != nil && bool(p.TracingConfiguration.Enabled),
	}
	if sm.Type == "" {
		sm.Type = "STANDARD"
	}
	if lc := p.LoggingConfiguration; lc != nil {
		sm.Logging = &StateMachineLogging{Level: lc.Level, IncludeExecutionData: bool(lc.IncludeExecutionData)}
		if sm.Logging.Level == "" {
			sm.Logging.Level = "OFF"
		}
		for _, d := range lc.Destinations {
			sm.Logging.LogGroupARNs = append(sm.Logging.LogGroupARNs, d.CloudWatchLogsLogGroup.LogGroupArn)
		}
	}
	return sm, nil
}

// definition returns the ASL text with substitutions applied, checking it is JSON.
func (r *resolver) definition(props map[string]any, p cfnStateMachine, path string) (string, error) {
	def, field := p.DefinitionString, "DefinitionString"
	if obj, ok := props["Definition"]; ok {
		s, err := marshalJSON(obj)
		if err != nil {
			return "", r.errorf(path+".Definition", ErrMalformed, "%v", err)
		}
		def, field = s, "Definition"
	}
	if def == "" {
		if _, ok := props["DefinitionS3Location"]; ok {
			return "", r.errorf(path+".DefinitionS3Location", ErrUnsupported, "a definition in S3")
		}
		return "", r.errorf(path+".DefinitionString", ErrMalformed, "missing (no Definition or DefinitionString)")
	}
	def = substitute(def, stringMap(p.DefinitionSubstitutions))
	if !json.Valid([]byte(def)) {
		return "", r.errorf(path+"."+field, ErrMalformed, "not valid JSON")
	}
	return def, nil
}

// substitute replaces each ${key} that subs defines; others stay as written.
func substitute(def string, subs map[string]string) string {
	if len(subs) == 0 {
		return def
	}
	var b strings.Builder
	for {
		start := strings.Index(def, "${")
		end := -1
		if start >= 0 {
			end = strings.IndexByte(def[start:], '}')
		}
		if end < 0 {
			b.WriteString(def)
			return b.String()
		}
		end += start
		if v, ok := subs[def[start+2:end]]; ok {
			b.WriteString(def[:start])
			b.WriteString(v)
		} else {
			b.WriteString(def[:end+1])
		}
		def = def[end+1:]
	}
}
