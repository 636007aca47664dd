package graph

import (
	"encoding/json"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"strings"
)

// errNoAssembly reports a directory without manifest.json.
var errNoAssembly = errors.New("no cloud assembly (manifest.json not found)")

// maxNesting bounds nested assemblies (CDK Stages within Stages).
const maxNesting = 8

// stackMachines is a stack of the cloud assembly with the definitions of
// its state machines.
type stackMachines struct {
	Name        string
	Definitions []string
}

// manifest is the part of a cloud assembly's manifest.json graph reads.
type manifest struct {
	Artifacts map[string]struct {
		Type       string `json:"type"`
		Properties struct {
			TemplateFile  string `json:"templateFile"`
			StackName     string `json:"stackName"`
			DirectoryName string `json:"directoryName"`
		} `json:"properties"`
	} `json:"artifacts"`
}

// readAssembly lists the stacks of the cloud assembly at dir (and of its
// nested assemblies), each with its state machines' definitions.
func readAssembly(dir string, depth int) ([]stackMachines, error) {
	file := filepath.Join(dir, "manifest.json")
	data, err := os.ReadFile(file)
	if errors.Is(err, fs.ErrNotExist) {
		return nil, errNoAssembly
	}
	if err != nil {
		return nil, err
	}
	var m manifest
	if err := json.Unmarshal(data, &m); err != nil {
		return nil, fmt.Errorf("%s: %v", file, err)
	}
	var stacks []stackMachines
	for id, a := range m.Artifacts {
		p := a.Properties
		switch {
		case a.Type == "aws:cloudformation:stack" && p.TemplateFile != "":
			name := p.StackName
			if name == "" {
				name = id
			}
			defs, err := readDefinitions(filepath.Join(dir, p.TemplateFile))
			if err != nil {
				return nil, err
			}
			stacks = append(stacks, stackMachines{Name: name, Definitions: defs})
		case a.Type == "cdk:cloud-assembly" && p.DirectoryName != "" && depth < maxNesting:
			nested, err := readAssembly(filepath.Join(dir, p.DirectoryName), depth+1)
			if err != nil && !errors.Is(err, errNoAssembly) {
				return nil, err
			}
			stacks = append(stacks, nested...)
		}
	}
	return stacks, nil
}

// readDefinitions returns the definition of every AWS::StepFunctions::StateMachine
// in the template file.
func readDefinitions(file string) ([]string, error) {
	data, err := os.ReadFile(file)
	if err != nil {
		return nil, err
	}
	var t struct {
		Resources map[string]struct {
			Type       string
			Properties struct {
				DefinitionString any
				Definition       any
			}
		}
	}
	if err := json.Unmarshal(data, &t); err != nil {
		return nil, fmt.Errorf("%s: %v", file, err)
	}
	var defs []string
	for id, r := range t.Resources {
		if r.Type != "AWS::StepFunctions::StateMachine" {
			continue
		}
		def, err := definition(r.Properties.DefinitionString, r.Properties.Definition)
		if err != nil {
			return nil, fmt.Errorf("%s: state machine %s: %v", file, id, err)
		}
		defs = append(defs, def)
	}
	return defs, nil
}

// definition is a state machine's definition as drawn: a DefinitionString
// (a string, or the Fn::Join CDK writes) or a Definition object.
func definition(str, obj any) (string, error) {
	if str == nil && obj != nil {
		b, err := json.Marshal(obj)
		return string(b), err
	}
	return text(str)
}

// text resolves a template value to text for drawing: Fn::Join joins, the
// partition is "aws", and any other reference (a function's ARN in a
// task's parameters) stands as its name in angle brackets — which needs no
// escaping inside the JSON strings where CDK places them.
func text(v any) (string, error) {
	switch v := v.(type) {
	case string:
		return v, nil
	case map[string]any:
		if join, ok := v["Fn::Join"].([]any); ok && len(join) == 2 {
			sep, _ := join[0].(string)
			parts, _ := join[1].([]any)
			out := make([]string, len(parts))
			for i, p := range parts {
				s, err := text(p)
				if err != nil {
					return "", err
				}
				out[i] = s
			}
			return strings.Join(out, sep), nil
		}
		if ref, ok := v["Ref"].(string); ok {
			if ref == "AWS::Partition" {
				return "aws", nil
			}
			return "<" + ref + ">", nil
		}
		if att, ok := v["Fn::GetAtt"].([]any); ok && len(att) == 2 {
			return fmt.Sprintf("<%v.%v>", att[0], att[1]), nil
		}
	}
	return "", fmt.Errorf("cannot read the definition (%T): only strings, Fn::Join, Ref and Fn::GetAtt", v)
}
