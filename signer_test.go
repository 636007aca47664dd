package main

import (
	"encoding/json"
	"reflect"
	"slices"
	"testing"

	"github.com/aws/aws-cdk-go/awscdk/v2/assertions"
	"github.com/aws/jsii-runtime-go"

	"github.com/hitl-go/docsign/internal/contract"
)

// TestNotificationTopic: an encrypted topic, TLS only, and one email
// subscription per signer with an address, filtered to that signer's messages.
func TestNotificationTopic(t *testing.T) {
	for _, tt := range []struct {
		fixture string
		want    map[string]string // signer → email
	}{
		{"default", nil},
		{"three", map[string]string{"Bob": "bob@example.com", "Carol": "carol@example.org"}},
	} {
		t.Run(tt.fixture, func(t *testing.T) {
			f := synth(t, tt.fixture)
			topicID, topic := f.only(t, "AWS::SNS::Topic")
			if key := topic["Properties"].(map[string]any)["KmsMasterKeyId"]; key == nil {
				t.Error("topic has no KmsMasterKeyId: messages carry signing links and must be encrypted")
			}
			f.assert.HasResourceProperties(jsii.String("AWS::SNS::TopicPolicy"), map[string]any{
				"PolicyDocument": assertions.Match_ObjectLike(&map[string]any{"Statement": assertions.Match_ArrayWith(&[]any{
					assertions.Match_ObjectLike(&map[string]any{"Effect": "Deny", "Condition": map[string]any{"Bool": map[string]any{"aws:SecureTransport": "false"}}}),
				})}),
			})
			got := map[string]string{}
			for id, sub := range f.resources("AWS::SNS::Subscription") {
				props := sub["Properties"].(map[string]any)
				var policy map[string][]string
				b, _ := json.Marshal(props["FilterPolicy"])
				if err := json.Unmarshal(b, &policy); err != nil || len(policy) != 1 || len(policy[contract.MessageAttrSigner]) != 1 {
					t.Errorf("subscription %s filter policy %s, want {%q:[<signer>]}", id, b, contract.MessageAttrSigner)
					continue
				}
				if props["Protocol"] != "email" || !reflect.DeepEqual(props["TopicArn"], map[string]any{"Ref": topicID}) {
					t.Errorf("subscription %s: protocol %v topic %v", id, props["Protocol"], props["TopicArn"])
				}
				got[policy[contract.MessageAttrSigner][0]] = props["Endpoint"].(string)
			}
			if len(got) != len(tt.want) {
				t.Fatalf("subscriptions %v, want %v", got, tt.want)
			}
			for name, email := range tt.want {
				if got[name] != email {
					t.Errorf("signer %s mailed at %q, want %q", name, got[name], email)
				}
			}
		})
	}
}

// TestHTTPAPI: the signing page's routes are public (the link's code is the
// credential), the documents routes AWS_IAM; one throttled, logged stage.
func TestHTTPAPI(t *testing.T) {
	f := synth(t, "default")
	_, api := f.only(t, "AWS::ApiGatewayV2::Api")
	if p := api["Properties"].(map[string]any)["ProtocolType"]; p != "HTTP" {
		t.Errorf("ProtocolType = %v, want HTTP", p)
	}
	wantRoutes := map[string]string{
		"GET /sign/{documentId}/{signer}":  "NONE",
		"POST /sign/{documentId}/{signer}": "NONE",
		"GET /assets/{file}":               "NONE",
		"GET /documents/{documentId}":      "AWS_IAM",
		"POST /documents/{documentId}":     "AWS_IAM",
	}
	got := map[string]string{}
	for _, r := range f.resources("AWS::ApiGatewayV2::Route") {
		props := r["Properties"].(map[string]any)
		got[props["RouteKey"].(string)] = props["AuthorizationType"].(string)
	}
	if len(got) != len(wantRoutes) {
		t.Errorf("routes %v, want %v", got, wantRoutes)
	}
	for k, auth := range wantRoutes {
		if got[k] != auth {
			t.Errorf("route %s authorization %q, want %q", k, got[k], auth)
		}
	}
	_, stage := f.only(t, "AWS::ApiGatewayV2::Stage")
	props := stage["Properties"].(map[string]any)
	if props["StageName"] != "$default" || props["AutoDeploy"] != true {
		t.Errorf("stage %v %v, want $default, auto-deployed", props["StageName"], props["AutoDeploy"])
	}
	throttle, _ := props["DefaultRouteSettings"].(map[string]any)
	if throttle["ThrottlingBurstLimit"] == nil || throttle["ThrottlingRateLimit"] == nil {
		t.Errorf("DefaultRouteSettings = %v, want throttling limits", throttle)
	}
	logs, _ := props["AccessLogSettings"].(map[string]any)
	var format map[string]string
	if err := json.Unmarshal([]byte(logs["Format"].(string)), &format); err != nil || logs["DestinationArn"] == nil {
		t.Fatalf("AccessLogSettings = %v, want a JSON format and a destination", logs)
	}
	if format["requestId"] != "$context.requestId" {
		t.Errorf("access log format lacks the request id: %v", format)
	}
	for k, v := range format {
		if slices.Contains([]string{"$context.path", "$context.http.path", "$context.requestOverride.path"}, v) {
			t.Errorf("access log field %s logs the path", k)
		}
	}
	outputs := f.template["Outputs"].(map[string]any)
	for _, name := range []string{contract.OutputAPIURL, contract.OutputNotificationTopicARN} {
		if outputs[name] == nil {
			t.Errorf("no output %s", name)
		}
	}
}
