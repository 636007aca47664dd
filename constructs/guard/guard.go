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
	"errors"
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
	// BucketLogging is CT.S3.PR.2: a bucket has server access logging.
	BucketLogging = "s3_bucket_logging_enabled_check"
	// BucketEventNotifications is CT.S3.PR.4: a bucket has event notifications.
	BucketEventNotifications = "s3_event_notifications_enabled_check"
	// BucketObjectLock is CT.S3.PR.9: a bucket has S3 Object Lock.
	BucketObjectLock = "s3_bucket_object_lock_enabled_check"
	// RouteAuthorization is CT.APIGATEWAY.PR.5: an HTTP API route has an
	// authorization type other than NONE.
	RouteAuthorization = "api_gw_v2_authorization_type_configured_check"
	// LambdaPublicAccess is CT.LAMBDA.PR.2: a Lambda permission for a
	// service names its source by a literal string or a reference to one
	// resource.
	LambdaPublicAccess = "lambda_function_public_access_prohibited_check"
)

// Metadata is the value under MetadataKey.
type Metadata struct {
	// SuppressedRules names the rules that do not apply to the resource.
	SuppressedRules []string `json:"SuppressedRules"`
	// SuppressionReasons says, for each suppressed rule, why.
	SuppressionReasons map[string]string `json:"SuppressionReasons"`
}

// Suppress records that rule does not fit scope's resource (scope itself,
// or its default child) for reason, keeping the rules suppressed before. Like CDK constructs
// given invalid props, it panics when scope has no CloudFormation resource or
// rule or reason is empty.
func Suppress(scope constructs.IConstruct, rule, reason string) {
	resource, ok := scope.(awscdk.CfnResource)
	if !ok {
		resource, ok = scope.Node().DefaultChild().(awscdk.CfnResource)
	}
	if !ok {
		panic(fmt.Errorf("guard: suppress %s on %s: no CloudFormation resource", rule, *scope.Node().Path()))
	}
	md, err := decode(resource.GetMetadata(jsii.String(MetadataKey)))
	if err == nil {
		md, err = md.with(rule, reason)
	}
	if err != nil {
		panic(fmt.Errorf("guard: suppress %s on %s: %w", rule, *scope.Node().Path(), err))
	}
	resource.AddMetadata(jsii.String(MetadataKey), md.value())
}

// decode reads a resource's guard Metadata as jsii returns it (nil when absent).
func decode(v any) (Metadata, error) {
	var md Metadata
	if v != nil {
		b, err := json.Marshal(v)
		if err == nil {
			err = json.Unmarshal(b, &md)
		}
		if err != nil {
			return Metadata{}, fmt.Errorf("Metadata %s: %w", MetadataKey, err)
		}
	}
	return md, nil
}

// with returns md suppressing rule too, for reason (replacing an earlier one).
func (md Metadata) with(rule, reason string) (Metadata, error) {
	if rule == "" || reason == "" {
		return Metadata{}, errors.New("want a rule and a reason")
	}
	out := Metadata{
		SuppressedRules:    slices.Clone(md.SuppressedRules),
		SuppressionReasons: map[string]string{rule: reason},
	}
	if !slices.Contains(out.SuppressedRules, rule) {
		out.SuppressedRules = append(out.SuppressedRules, rule)
	}
	for r, why := range md.SuppressionReasons {
		if r != rule {
			out.SuppressionReasons[r] = why
		}
	}
	return out, nil
}

// value is md as plain JSON values, the form jsii passes to AddMetadata.
func (md Metadata) value() map[string]any {
	rules := make([]any, len(md.SuppressedRules))
	for i, r := range md.SuppressedRules {
		rules[i] = r
	}
	reasons := make(map[string]any, len(md.SuppressionReasons))
	for r, why := range md.SuppressionReasons {
		reasons[r] = why
	}
	return map[string]any{"SuppressedRules": rules, "SuppressionReasons": reasons}
}
