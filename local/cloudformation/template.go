package cloudformation

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"strconv"
)

// template is a parsed CloudFormation template, before any resolution.
type template struct {
	file       string
	parameters map[string]parameter
	mappings   map[string]any
	conditions map[string]any
	resources  map[string]resource
	outputs    map[string]output
	rules      map[string]rule
}

type parameter struct {
	Type       string
	Default    any
	HasDefault bool
}

type resource struct {
	Type       string
	Properties map[string]any
	Metadata   map[string]any
	Condition  string
}

// rule is one entry of the template's Rules: when Condition (RuleCondition,
// nil if none) holds, every assertion must.
type rule struct {
	Condition  any
	Assertions []assertion
}

type assertion struct {
	Assert      any
	Description string // AssertDescription
}

type output struct {
	Value       any
	Description any
	ExportName  any // the Export.Name value, nil if not exported
	Condition   string
}

// parseTemplate decodes a JSON template (the format CDK writes) and checks the
// shape of the sections the local stack reads. Numbers stay json.Number so
// they print back exactly as written.
func parseTemplate(file string, data []byte) (*template, error) {
	dec := json.NewDecoder(bytes.NewReader(data))
	dec.UseNumber()
	var doc any
	if err := dec.Decode(&doc); err != nil {
		return nil, &TemplateError{File: file, Err: fmt.Errorf("%w: not JSON: %v", ErrMalformed, err)}
	}
	if _, err := dec.Token(); !errors.Is(err, io.EOF) {
		return nil, &TemplateError{File: file, Err: fmt.Errorf("%w: data after the template object", ErrMalformed)}
	}
	top, ok := doc.(map[string]any)
	if !ok {
		return nil, &TemplateError{File: file, Err: fmt.Errorf("%w: want a JSON object, got %s", ErrMalformed, kind(doc))}
	}
	if tr, ok := top["Transform"]; ok {
		return nil, &TemplateError{File: file, Path: "Transform", Err: fmt.Errorf("%w: template transform %v", ErrUnsupported, tr)}
	}
	t := &template{file: file}
	p := sectionParser{file: file, top: top}
	t.mappings = p.object("Mappings")
	t.conditions = p.object("Conditions")
	t.parameters = parseEach(&p, "Parameters", parseParameter)
	t.resources = parseEach(&p, "Resources", parseResource)
	t.outputs = parseEach(&p, "Outputs", parseOutput)
	t.rules = parseEach(&p, "Rules", parseRule)
	if p.err != nil {
		return nil, p.err
	}
	return t, nil
}

// sectionParser reads top-level sections, keeping the first error.
type sectionParser struct {
	file string
	top  map[string]any
	err  error
}

func (p *sectionParser) object(section string) map[string]any {
	v, ok := p.top[section]
	if !ok || p.err != nil {
		return map[string]any{}
	}
	m, ok := v.(map[string]any)
	if !ok {
		p.fail(section, "want an object, got %s", kind(v))
		return map[string]any{}
	}
	return m
}

func (p *sectionParser) fail(path, format string, args ...any) {
	if p.err == nil {
		p.err = &TemplateError{File: p.file, Path: path, Err: fmt.Errorf("%w: %s", ErrMalformed, fmt.Sprintf(format, args...))}
	}
}

// parseEach parses every entry of a section whose entries are objects.
func parseEach[T any](p *sectionParser, section string, parse func(p *sectionParser, path string, m map[string]any) T) map[string]T {
	out := map[string]T{}
	for name, v := range p.object(section) {
		path := section + "." + name
		m, ok := v.(map[string]any)
		if !ok {
			p.fail(path, "want an object, got %s", kind(v))
			continue
		}
		out[name] = parse(p, path, m)
	}
	return out
}

func parseParameter(p *sectionParser, path string, m map[string]any) parameter {
	def, has := m["Default"]
	return parameter{Type: p.str(path, m, "Type", true), Default: def, HasDefault: has}
}

func parseResource(p *sectionParser, path string, m map[string]any) resource {
	return resource{
		Type:       p.str(path, m, "Type", true),
		Properties: p.obj(path, m, "Properties"),
		Metadata:   p.obj(path, m, "Metadata"),
		Condition:  p.str(path, m, "Condition", false),
	}
}

func parseOutput(p *sectionParser, path string, m map[string]any) output {
	o := output{Description: m["Description"], Condition: p.str(path, m, "Condition", false)}
	var ok bool
	if o.Value, ok = m["Value"]; !ok {
		p.fail(path+".Value", "missing")
	}
	if export := p.obj(path, m, "Export"); len(export) > 0 {
		o.ExportName = export["Name"]
	}
	return o
}

func parseRule(p *sectionParser, path string, m map[string]any) rule {
	r := rule{Condition: m["RuleCondition"]}
	v, has := m["Assertions"]
	list, ok := v.([]any)
	if !ok {
		if has {
			p.fail(path+".Assertions", "want a list, got %s", kind(v))
		} else {
			p.fail(path+".Assertions", "missing")
		}
		return r
	}
	for i, v := range list {
		ap := path + ".Assertions[" + strconv.Itoa(i) + "]"
		a, ok := v.(map[string]any)
		if !ok {
			p.fail(ap, "want an object, got %s", kind(v))
			continue
		}
		if _, ok := a["Assert"]; !ok {
			p.fail(ap+".Assert", "missing")
		}
		r.Assertions = append(r.Assertions, assertion{Assert: a["Assert"], Description: p.str(ap, a, "AssertDescription", false)})
	}
	return r
}

func (p *sectionParser) str(path string, m map[string]any, key string, required bool) string {
	v, ok := m[key]
	if !ok {
		if required {
			p.fail(path+"."+key, "missing")
		}
		return ""
	}
	s, ok := v.(string)
	if !ok {
		p.fail(path+"."+key, "want a string, got %s", kind(v))
	}
	return s
}

func (p *sectionParser) obj(path string, m map[string]any, key string) map[string]any {
	v, ok := m[key]
	if !ok || v == nil {
		return map[string]any{}
	}
	o, ok := v.(map[string]any)
	if !ok {
		p.fail(path+"."+key, "want an object, got %s", kind(v))
		return map[string]any{}
	}
	return o
}

// kind names a decoded JSON value's type for error messages.
func kind(v any) string {
	switch v.(type) {
	case nil:
		return "null"
	case string:
		return "a string"
	case json.Number:
		return "a number"
	case bool:
		return "a boolean"
	case []any:
		return "a list"
	case map[string]any:
		return "an object"
	case noValueType:
		return "AWS::NoValue"
	}
	return fmt.Sprintf("%T", v)
}
