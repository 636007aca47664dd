// Package guard records in a resource's template Metadata the cfn-guard rules
// that do not fit it, and why: Guard's convention
// Metadata.guard.SuppressedRules, with each rule's reason beside it.
//
// The AWS Control Tower rules read no Metadata themselves, and Control Tower's
// proactive controls (CloudFormation hooks) ignore it: a suppression documents
// a decision and lets the app's own cfn-guard test accept it, nothing more.
package guard

import (
	"encoding/json"
	"fmt"
	"slices"

	"github.com/aws/aws-cdk-go/awscdk/v2"
	"github.com/aws/constructs-go/constructs/v10"
	"github.com/aws/jsii-runtime-go"
)

// MetadataKey is the resource Metadata entry holding a Metadata.
const MetadataKey = "guard"

// Rule names (as cfn-guard reports them) of the AWS Control Tower proactive
// controls this app suppresses somewhere.
const (
	// LambdaInsideVPC is CT.LAMBDA.PR.3: a Lambda function runs in a
	// customer-managed VPC.
	LambdaInsideVPC = "lambda_inside_vpc_check"
	// LogGroupEncrypted is CT.CLOUDWATCH.PR.3: a log group is encrypted with
	// a KMS key of the account's own.
	LogGroupEncrypted = "cloudwatch_log_group_encrypted_check"
)

// Metadata is the value under MetadataKey.
type Metadata struct {
	// SuppressedRules names the rules that do not apply to the resource.
	SuppressedRules []string `json:"SuppressedRules"`
	// SuppressionReasons says, for each suppressed rule, why.
	SuppressionReasons map[string]string `json:"SuppressionReasons"`
}

// Suppress records that rule does not fit scope's resource (its default
// child) for reason, keeping rules suppressed before. Like CDK constructs
// given invalid props, it panics when scope has no CloudFormation resource or
// reason is empty.
func Suppress(scope constructs.IConstruct, rule, reason string) {
	resource, ok := scope.Node().DefaultChild().(awscdk.CfnResource)
	if !ok || rule == "" || reason == "" {
		panic(fmt.Errorf("guard: suppress %q on %s: want a CloudFormation resource, a rule and a reason",
			rule, *scope.Node().Path()))
	}
	md := existing(resource)
	if !slices.Contains(md.SuppressedRules, rule) {
		md.SuppressedRules = append(md.SuppressedRules, rule)
	}
	md.SuppressionReasons[rule] = reason

	reasons := make(map[string]any, len(md.SuppressionReasons))
	for r, why := range md.SuppressionReasons {
		reasons[r] = why
	}
	rules := make([]any, len(md.SuppressedRules))
	for i, r := range md.SuppressedRules {
		rules[i] = r
	}
	resource.AddMetadata(jsii.String(MetadataKey), map[string]any{
		"SuppressedRules":    rules,
		"SuppressionReasons": reasons,
	})
}

// existing decodes the resource's guard Metadata, empty when it has none.
func existing(resource awscdk.CfnResource) Metadata {
	md := Metadata{SuppressionReasons: map[string]string{}}
	v := resource.GetMetadata(jsii.String(MetadataKey))
	if v == nil {
		return md
	}
	b, err := json.Marshal(v)
	if err == nil {
		err = json.Unmarshal(b, &md)
	}
	if err != nil {
		panic(fmt.Errorf("guard: Metadata %s of %s: %w", MetadataKey, *resource.Node().Path(), err))
	}
	if md.SuppressionReasons == nil {
		md.SuppressionReasons = map[string]string{}
	}
	return md
}
