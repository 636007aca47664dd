package cloudformation

import (
	"fmt"
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
	// APIEndpoint gives the ApiEndpoint attribute of the HTTP API apiID
	// (a URL without a trailing slash): where the local stack serves it.
	// nil answers AWS's https://<apiID>.execute-api.<region>.amazonaws.com.
	APIEndpoint func(apiID string) string
}

func (o Options) environment() environment {
	e := environment{region: o.Region, account: o.AccountID, endpoint: o.APIEndpoint}
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
	Topics        []Topic
	HTTPAPIs      []HTTPAPI
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
	linked := &linked{}
	for _, id := range slices.Sorted(maps.Keys(t.resources)) {
		if err := r.addResource(s, id, notEmulated, linked); err != nil {
			return nil, err
		}
	}
	if err := r.link(s, linked); err != nil {
		return nil, err
	}
	s.NotEmulated = slices.Sorted(maps.Keys(notEmulated))
	s.Notes = slices.Compact(slices.Sorted(slices.Values(s.Notes)))
	if s.Outputs, err = r.outputs(); err != nil {
		return nil, err
	}
	return s, nil
}

// createdIf reports whether resource id is created: it has no Condition, or
// its Condition holds.
func (r *resolver) createdIf(id string) (bool, error) {
	res := r.t.resources[id]
	if res.Condition == "" {
		return true, nil
	}
	return r.condition(res.Condition, "Resources."+id+".Condition")
}

// linked holds the resources that belong to another one (subscriptions to
// their topic, stages, integrations and routes to their API) until every
// resource is read: logical-ID order puts a part before its owner as often
// as after.
type linked struct {
	subscriptions  []Subscription
	subscriptionAt []string // each subscription's TopicArn path, for errors
	api            apiParts
}

// link attaches the parts in l to their owners in s.
func (r *resolver) link(s *Stack, l *linked) error {
	topics := map[string]*Topic{}
	for i := range s.Topics {
		topics[s.Topics[i].ARN] = &s.Topics[i]
	}
	for i, sub := range l.subscriptions {
		t := topics[sub.TopicARN]
		if t == nil {
			return r.errorf(l.subscriptionAt[i], ErrMissingReference, "%q is not a topic of this template", sub.TopicARN)
		}
		t.Subscriptions = append(t.Subscriptions, sub)
	}
	if err := r.attach(s.HTTPAPIs, &l.api); err != nil {
		return err
	}
	for _, a := range s.HTTPAPIs {
		if a.Stage == nil {
			s.Notes = append(s.Notes, fmt.Sprintf("HTTP API %s has no stage: nothing is deployed, and every request answers Not Found, as on AWS", a.LogicalID))
		}
	}
	return nil
}

// addResource adds the view of one resource to s, if its Condition holds.
func (r *resolver) addResource(s *Stack, id string, notEmulated map[string]bool, l *linked) error {
	res := r.t.resources[id]
	if yes, err := r.createdIf(id); err != nil || !yes {
		return err
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
	case typeTopic:
		t, err := r.topic(id)
		s.Topics = append(s.Topics, t)
		return err
	case typeSubscription:
		sub, err := r.subscription(id)
		l.subscriptions = append(l.subscriptions, sub)
		l.subscriptionAt = append(l.subscriptionAt, "Resources."+id+".Properties.TopicArn")
		return err
	case typeAPI:
		a, notes, err := r.httpAPI(id)
		s.HTTPAPIs = append(s.HTTPAPIs, a)
		s.Notes = append(s.Notes, notes...)
		return err
	case typeStage:
		notes, err := r.apiStage(id, &l.api)
		s.Notes = append(s.Notes, notes...)
		return err
	case typeIntegration:
		fns, err := r.functionARNs()
		if err != nil {
			return err
		}
		return r.apiIntegration(id, fns, &l.api)
	case typeRoute:
		return r.apiRoute(id, &l.api)
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
