package cloudformation

import (
	"maps"
	"path/filepath"
	"slices"
	"strings"
)

// Defaults for Options.
const (
	DefaultRegion    = "us-east-1"
	DefaultAccountID = "000000000000"
)

// Options choose the account and region the local stack stands in for; they
// appear in ARNs and in the pseudo parameters.
type Options struct {
	Region    string // "" = DefaultRegion
	AccountID string // "" = DefaultAccountID
}

func (o Options) environment() environment {
	e := environment{region: o.Region, account: o.AccountID}
	if e.region == "" {
		e.region = DefaultRegion
	}
	if e.account == "" {
		e.account = DefaultAccountID
	}
	return e
}

// Stack is one resolved stack template: the resources the local stack
// emulates, its outputs, and the types it does not emulate.
type Stack struct {
	Name         string // the CloudFormation stack name
	ID           string // the stack ARN (AWS::StackId)
	ArtifactID   string // the cloud assembly artifact ID ("" from ParseTemplate)
	TemplateFile string
	Region       string
	AccountID    string

	Tables        []Table
	Functions     []Function
	StateMachines []StateMachine
	Buckets       []Bucket
	Keys          []Key
	Outputs       []Output
	// NotEmulated lists, sorted and once each, the resource types present
	// that nothing local serves (IAM roles, log groups, custom resources…).
	NotEmulated []string
	// Notes lists, sorted and once each, what of the template could not be
	// checked or is not honoured locally, such as a rule over an SSM
	// parameter or a disabled KMS key.
	Notes []string
}

// Output is one entry of the template's Outputs whose Condition holds.
type Output struct {
	Key         string
	Value       string
	Description string
	ExportName  string
}

// stackInput is what the assembly manifest tells about a template.
type stackInput struct {
	file       string
	name       string
	artifactID string
	parameters map[string]string // values the manifest passes
	imports    map[string]string // exports of stacks resolved earlier
	assetDir   string            // base for relative asset paths
}

// ParseTemplate resolves one JSON template as the stack stackName (if "",
// the file name without ".template.json"). file names the template in errors
// and is the base for relative asset paths; the data is not read from it.
func ParseTemplate(file string, data []byte, stackName string, opts Options) (*Stack, error) {
	if stackName == "" {
		stackName = strings.TrimSuffix(strings.TrimSuffix(filepath.Base(file), ".json"), ".template")
	}
	return buildStack(data, stackInput{file: file, name: stackName, assetDir: filepath.Dir(file)}, opts)
}

func buildStack(data []byte, in stackInput, opts Options) (*Stack, error) {
	t, err := parseTemplate(in.file, data)
	if err != nil {
		return nil, err
	}
	env := opts.environment()
	r := newResolver(t, in, env)
	s := &Stack{
		Name: in.name, ID: env.stackID(in.name), ArtifactID: in.artifactID,
		TemplateFile: in.file, Region: env.region, AccountID: env.account,
	}
	if s.Notes, err = r.checkRules(); err != nil {
		return nil, err
	}
	notEmulated := map[string]bool{}
	for _, id := range slices.Sorted(maps.Keys(t.resources)) {
		if err := r.addResource(s, id, notEmulated); err != nil {
			return nil, err
		}
	}
	s.NotEmulated = slices.Sorted(maps.Keys(notEmulated))
	s.Notes = slices.Compact(slices.Sorted(slices.Values(s.Notes)))
	if s.Outputs, err = r.outputs(); err != nil {
		return nil, err
	}
	return s, nil
}

// addResource adds the view of one resource to s, if its Condition holds.
func (r *resolver) addResource(s *Stack, id string, notEmulated map[string]bool) error {
	res := r.t.resources[id]
	if res.Condition != "" {
		yes, err := r.condition(res.Condition, "Resources."+id+".Condition")
		if err != nil || !yes {
			return err
		}
	}
	switch res.Type {
	case typeTable, typeGlobalTable:
		t, err := r.table(id)
		s.Tables = append(s.Tables, t)
		return err
	case typeFunction:
		f, err := r.function(id)
		s.Functions = append(s.Functions, f)
		return err
	case typeStateMachine:
		sm, err := r.stateMachine(id)
		s.StateMachines = append(s.StateMachines, sm)
		return err
	case typeBucket:
		b, err := r.bucket(id)
		s.Buckets = append(s.Buckets, b)
		return err
	case typeKey:
		k, notes, err := r.key(id)
		s.Keys = append(s.Keys, k)
		s.Notes = append(s.Notes, notes...)
		return err
	case "AWS::CDK::Metadata":
		// CDK's version-reporting record: nothing to emulate or report.
	default:
		notEmulated[res.Type] = true
	}
	return nil
}

func (r *resolver) outputs() ([]Output, error) {
	var out []Output
	for _, key := range slices.Sorted(maps.Keys(r.t.outputs)) {
		o := r.t.outputs[key]
		path := "Outputs." + key
		if o.Condition != "" {
			yes, err := r.condition(o.Condition, path+".Condition")
			if err != nil {
				return nil, err
			}
			if !yes {
				continue
			}
		}
		value, err := r.resolveString(o.Value, path+".Value")
		if err != nil {
			return nil, err
		}
		desc, _ := scalarString(o.Description)
		export := ""
		if o.ExportName != nil {
			if export, err = r.resolveString(o.ExportName, path+".Export.Name"); err != nil {
				return nil, err
			}
		}
		out = append(out, Output{Key: key, Value: value, Description: desc, ExportName: export})
	}
	return out, nil
}
