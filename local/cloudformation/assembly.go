// Package cloudformation reads a CDK cloud assembly (the cdk.out directory)
// through its manifest.json and resolves each stack template the way
// CloudFormation would deploy it, to local names and ARNs: Ref, Fn::GetAtt,
// Fn::Join, Fn::Sub, Fn::Select, Fn::Split, Fn::If with the template's
// Conditions, Fn::FindInMap, Fn::ImportValue, parameters and pseudo
// parameters. It exposes typed views of what the local stack emulates —
// DynamoDB tables, Lambda functions, Step Functions state machines, S3
// buckets, KMS keys, SNS topics with their email subscriptions, HTTP APIs
// with their stage, Lambda proxy integrations and routes — plus the stack
// outputs and the resource types nothing local serves. What a template asks
// of those that the local services cannot do faithfully (a WebSocket API, a
// JWT authorizer, an SQS subscription…) is a *TemplateError naming it.
//
// An HTTP API's ApiEndpoint is where the local stack serves it
// (Options.APIEndpoint), so outputs and environment variables built from
// it point at the local API.
//
// Generated physical names follow CloudFormation's pattern
// "<StackName>-<LogicalId>-<SUFFIX>" with a suffix derived from the stack
// name and logical ID (lower-cased for buckets), so a restart keeps the same
// table, function and bucket names; a KMS key ID is a UUID derived the same
// way.
// Templates are JSON (what CDK writes). Rules are checked before anything
// else, as CloudFormation does: an assertion that does not hold fails the
// load with its AssertDescription. SSM parameter values are not looked up:
// their Default stands in for resources and outputs, and a rule over one is
// left to AWS, with a note (Stack.Notes).
package cloudformation

import (
	"encoding/json"
	"errors"
	"fmt"
	"io/fs"
	"maps"
	"os"
	"path/filepath"
	"slices"
)

// Artifact types in a cloud assembly manifest (cloud-assembly-schema ArtifactType).
const (
	artifactStack    = "aws:cloudformation:stack"
	artifactAssembly = "cdk:cloud-assembly"
)

// maxNesting bounds nested cloud assemblies (CDK Stages), guarding against loops.
const maxNesting = 16

// Assembly is a cloud assembly's stacks, resolved, in deployment order
// (a stack comes after the stacks it depends on).
type Assembly struct {
	Dir    string
	Stacks []*Stack
}

type manifest struct {
	Artifacts map[string]artifact `json:"artifacts"`
}

type artifact struct {
	Type         string          `json:"type"`
	Properties   json.RawMessage `json:"properties"`
	Dependencies []string        `json:"dependencies"`
}

type stackProperties struct {
	TemplateFile string            `json:"templateFile"`
	StackName    string            `json:"stackName"`
	Parameters   map[string]string `json:"parameters"`
}

type nestedProperties struct {
	DirectoryName string `json:"directoryName"`
}

// Load reads dir/manifest.json and resolves every stack in it, including
// those of nested assemblies (CDK Stages). An assembly without stacks is
// valid. A missing manifest is ErrNoAssembly; template problems are
// *TemplateError.
func Load(dir string, opts Options) (*Assembly, error) {
	l := &loader{opts: opts, imports: map[string]string{}}
	if err := l.load(dir, 0); err != nil {
		return nil, err
	}
	return &Assembly{Dir: dir, Stacks: l.stacks}, nil
}

type loader struct {
	opts    Options
	imports map[string]string // export name → value, across stacks
	stacks  []*Stack
}

func (l *loader) load(dir string, depth int) error {
	file := filepath.Join(dir, "manifest.json")
	data, err := os.ReadFile(file)
	if errors.Is(err, fs.ErrNotExist) {
		return &TemplateError{File: file, Err: ErrNoAssembly}
	}
	if err != nil {
		return &TemplateError{File: file, Err: err}
	}
	var m manifest
	if err := json.Unmarshal(data, &m); err != nil {
		return &TemplateError{File: file, Err: fmt.Errorf("%w: %v", ErrMalformed, err)}
	}
	ids, err := deploymentOrder(m.Artifacts)
	if err != nil {
		return &TemplateError{File: file, Path: "artifacts", Err: err}
	}
	for _, id := range ids {
		a := m.Artifacts[id]
		path := "artifacts." + id + ".properties"
		switch a.Type {
		case artifactStack:
			err = l.loadStack(dir, file, id, path, a.Properties)
		case artifactAssembly:
			var p nestedProperties
			if err = decodeProperties(file, path, a.Properties, &p); err == nil {
				if depth >= maxNesting || p.DirectoryName == "" {
					return &TemplateError{File: file, Path: path + ".directoryName", Err: fmt.Errorf("%w: missing or nested too deep", ErrMalformed)}
				}
				err = l.load(filepath.Join(dir, p.DirectoryName), depth+1)
			}
		}
		if err != nil {
			return err
		}
	}
	return nil
}

func (l *loader) loadStack(dir, manifestFile, id, path string, raw json.RawMessage) error {
	var p stackProperties
	if err := decodeProperties(manifestFile, path, raw, &p); err != nil {
		return err
	}
	if p.TemplateFile == "" {
		return &TemplateError{File: manifestFile, Path: path + ".templateFile", Err: fmt.Errorf("%w: missing", ErrMalformed)}
	}
	templateFile := filepath.Join(dir, p.TemplateFile)
	data, err := os.ReadFile(templateFile)
	if err != nil {
		return &TemplateError{File: manifestFile, Path: path + ".templateFile", Err: err}
	}
	name := p.StackName
	if name == "" {
		name = id
	}
	s, err := buildStack(data, stackInput{
		file: templateFile, name: name, artifactID: id,
		parameters: p.Parameters, imports: l.imports, assetDir: dir,
	}, l.opts)
	if err != nil {
		return err
	}
	for _, o := range s.Outputs {
		if o.ExportName != "" {
			l.imports[o.ExportName] = o.Value
		}
	}
	l.stacks = append(l.stacks, s)
	return nil
}

func decodeProperties(file, path string, raw json.RawMessage, dst any) error {
	if len(raw) == 0 {
		return nil
	}
	if err := json.Unmarshal(raw, dst); err != nil {
		return &TemplateError{File: file, Path: path, Err: fmt.Errorf("%w: %v", ErrMalformed, err)}
	}
	return nil
}

// deploymentOrder sorts artifact IDs so each comes after its dependencies
// (ties by ID); dependencies on IDs not in the manifest are ignored.
func deploymentOrder(arts map[string]artifact) ([]string, error) {
	const visiting, done = 1, 2
	state := map[string]int{}
	var order []string
	var visit func(id string) error
	visit = func(id string) error {
		switch state[id] {
		case done:
			return nil
		case visiting:
			return fmt.Errorf("%w: artifact %q depends on itself", ErrCycle, id)
		}
		state[id] = visiting
		deps := slices.Clone(arts[id].Dependencies)
		slices.Sort(deps)
		for _, d := range deps {
			if _, ok := arts[d]; ok {
				if err := visit(d); err != nil {
					return err
				}
			}
		}
		state[id] = done
		order = append(order, id)
		return nil
	}
	for _, id := range slices.Sorted(maps.Keys(arts)) {
		if err := visit(id); err != nil {
			return nil, err
		}
	}
	return order, nil
}
