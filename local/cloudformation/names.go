package cloudformation

import (
	"crypto/sha256"
	"fmt"
	"slices"
	"strings"
)

// environment is the account and region the local stack stands in for,
// and where it serves HTTP APIs.
type environment struct {
	region, account string
	// endpoint gives an HTTP API's ApiEndpoint; nil answers AWS's.
	endpoint func(apiID string) string
}

// apiEndpoint is HTTP API id's ApiEndpoint attribute: where the local stack
// serves it, else the execute-api URL CloudFormation answers.
func (e environment) apiEndpoint(id string) string {
	if e.endpoint != nil {
		return e.endpoint(id)
	}
	return "https://" + id + ".execute-api." + e.region + "." + e.urlSuffix()
}

func (e environment) partition() string {
	switch {
	case strings.HasPrefix(e.region, "cn-"):
		return "aws-cn"
	case strings.HasPrefix(e.region, "us-gov-"):
		return "aws-us-gov"
	}
	return "aws"
}

func (e environment) urlSuffix() string {
	if strings.HasPrefix(e.region, "cn-") {
		return "amazonaws.com.cn"
	}
	return "amazonaws.com"
}

// arn formats an ARN in this environment; global services pass region "".
func (e environment) arn(service, region, resource string) string {
	return "arn:" + e.partition() + ":" + service + ":" + region + ":" + e.account + ":" + resource
}

func (e environment) stackID(stack string) string {
	return e.arn("cloudformation", e.region, "stack/"+stack+"/"+uuidFrom("stack", stack))
}

// Resource types the local stack emulates or names specially.
const (
	typeTable        = "AWS::DynamoDB::Table"
	typeGlobalTable  = "AWS::DynamoDB::GlobalTable"
	typeFunction     = "AWS::Lambda::Function"
	typeStateMachine = "AWS::StepFunctions::StateMachine"
	typeLogGroup     = "AWS::Logs::LogGroup"
	typeRole         = "AWS::IAM::Role"
	typeBucket       = "AWS::S3::Bucket"
	typeKey          = "AWS::KMS::Key"
	typeTopic        = "AWS::SNS::Topic"
	typeSubscription = "AWS::SNS::Subscription"
	typeAPI          = "AWS::ApiGatewayV2::Api"
	typeStage        = "AWS::ApiGatewayV2::Stage"
	typeIntegration  = "AWS::ApiGatewayV2::Integration"
	typeRoute        = "AWS::ApiGatewayV2::Route"
)

// nameRule says where a type's explicit physical name lives and how long a
// generated one may be. CloudFormation prefixes most generated names with the
// stack name; state machine names are "<LogicalId>-<suffix>"; bucket names
// are lower-cased, as S3 requires.
type nameRule struct {
	property  string
	max       int
	withStack bool
	lower     bool
}

var nameRules = map[string]nameRule{
	typeTable:        {"TableName", 255, true, false},
	typeGlobalTable:  {"TableName", 255, true, false},
	typeFunction:     {"FunctionName", 64, true, false},
	typeStateMachine: {"StateMachineName", 80, false, false},
	typeLogGroup:     {"LogGroupName", 512, true, false},
	typeRole:         {"RoleName", 64, true, false},
	typeBucket:       {"BucketName", 63, true, true},
	typeTopic:        {"TopicName", 256, true, false},
	typeStage:        {"StageName", 128, false, false},
}

var defaultNameRule = nameRule{max: 128, withStack: true}

// physicalName is the resource's name: its explicit name property, else a
// CloudFormation-style generated one whose suffix is derived from the stack
// name and logical ID, so every run of the same assembly gets the same names.
// A KMS key has no name: its "name" is its key ID, a UUID derived the same
// way; an HTTP API's, integration's or route's is its ID, lower-case letters
// and digits derived the same way.
func (r *resolver) physicalName(id, path string) (string, error) {
	if name, ok := r.names[id]; ok {
		return name, nil
	}
	res, err := r.created(id, path)
	if err != nil {
		return "", err
	}
	key := "Resources." + id
	if err := r.enter(key, path); err != nil {
		return "", err
	}
	defer r.leave(key)
	rule, ok := nameRules[res.Type]
	if !ok {
		rule = defaultNameRule
	}
	name := ""
	switch res.Type {
	case typeKey:
		name = uuidFrom("key", r.in.name, id)
	case typeAPI:
		name = strings.ToLower(hashChars(apiIDLength, "api", r.in.name, id))
	case typeIntegration, typeRoute:
		name = strings.ToLower(hashChars(apiPartLength, res.Type, r.in.name, id))
	}
	if rule.property != "" {
		if name, err = r.optionalString(res.Properties, rule.property, key+".Properties"); err != nil {
			return "", err
		}
	}
	if name == "" {
		parts := []string{id}
		if rule.withStack {
			parts = []string{r.in.name, id}
		}
		name = generatedName(parts, suffixFrom(r.in.name, id), rule.max)
		if rule.lower {
			name = strings.ToLower(name)
		}
	}
	r.names[id] = name
	return name, nil
}

// created returns the resource, or ErrMissingReference if the template has
// none by that ID or its Condition is false.
func (r *resolver) created(id, path string) (resource, error) {
	res, ok := r.t.resources[id]
	if !ok {
		return resource{}, r.errorf(path, ErrMissingReference, "resource %q", id)
	}
	yes, err := r.createdIf(id)
	if err != nil {
		return resource{}, err
	}
	if !yes {
		return resource{}, r.errorf(path, ErrMissingReference, "resource %q is not created (condition %q is false)", id, res.Condition)
	}
	return res, nil
}

// generatedName joins parts and suffix with "-", shortening the parts evenly
// to fit max as CloudFormation does.
func generatedName(parts []string, suffix string, max int) string {
	budget := max - len(suffix) - len(parts)
	total := 0
	for _, p := range parts {
		total += len(p)
	}
	out := slices.Clone(parts)
	if total > budget {
		order := make([]int, len(out))
		for i := range order {
			order[i] = i
		}
		// Shortest first, so a short part's unused share goes to the longer ones.
		slices.SortStableFunc(order, func(a, b int) int { return len(out[a]) - len(out[b]) })
		for n, i := range order {
			share := budget / (len(order) - n)
			if len(out[i]) > share {
				out[i] = out[i][:share]
			}
			budget -= len(out[i])
		}
	}
	return strings.Join(append(out, suffix), "-")
}

const suffixAlphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789"

// suffixFrom is a 12-character upper-case suffix like CloudFormation's
// random ones, but a function of its inputs.
func suffixFrom(parts ...string) string { return hashChars(12, parts...) }

// hashChars is n (≤ 32) upper-case letters and digits derived from parts.
func hashChars(n int, parts ...string) string {
	sum := sha256.Sum256([]byte(strings.Join(parts, "\x00")))
	b := make([]byte, n)
	for i := range b {
		b[i] = suffixAlphabet[int(sum[i])%len(suffixAlphabet)]
	}
	return string(b)
}

// uuidFrom formats a hash of its inputs as a UUID.
func uuidFrom(parts ...string) string {
	s := sha256.Sum256([]byte(strings.Join(parts, "\x00")))
	return fmt.Sprintf("%x-%x-%x-%x-%x", s[0:4], s[4:6], s[6:8], s[8:10], s[10:16])
}
