package main

import (
	"reflect"
	"testing"

	"github.com/aws/aws-cdk-go/awscdk/v2/assertions"
	"github.com/aws/jsii-runtime-go"

	"github.com/hitl-go/docsign/internal/contract"
)

// TestDocumentBucket: versioned (a run pins a version), SSE-KMS with a
// bucket key, public access blocked, TLS only (the context's removal policy:
// TestTableAndRemovalPolicy).
func TestDocumentBucket(t *testing.T) {
	f := synth(t, "default")
	f.assert.HasResourceProperties(jsii.String("AWS::S3::Bucket"), map[string]any{
		"VersioningConfiguration": map[string]any{"Status": "Enabled"},
		"BucketEncryption": map[string]any{"ServerSideEncryptionConfiguration": []any{map[string]any{
			"BucketKeyEnabled":              true,
			"ServerSideEncryptionByDefault": map[string]any{"SSEAlgorithm": "aws:kms"},
		}}},
		"PublicAccessBlockConfiguration": map[string]any{
			"BlockPublicAcls": true, "BlockPublicPolicy": true, "IgnorePublicAcls": true, "RestrictPublicBuckets": true,
		},
		"OwnershipControls": map[string]any{"Rules": []any{map[string]any{"ObjectOwnership": "BucketOwnerEnforced"}}},
	})
	f.assert.HasResourceProperties(jsii.String("AWS::S3::BucketPolicy"), map[string]any{
		"PolicyDocument": assertions.Match_ObjectLike(&map[string]any{"Statement": assertions.Match_ArrayWith(&[]any{
			assertions.Match_ObjectLike(&map[string]any{
				"Effect": "Deny", "Action": "s3:*", "Principal": map[string]any{"AWS": "*"},
				"Condition": map[string]any{"Bool": map[string]any{"aws:SecureTransport": "false"}},
			}),
		})}),
	})
}

// TestSigningKey: an asymmetric P-256 key for signing, whose policy lets
// nobody but AWS services create grants.
func TestSigningKey(t *testing.T) {
	f := synth(t, "default")
	f.assert.HasResourceProperties(jsii.String("AWS::KMS::Key"), map[string]any{
		"KeySpec": "ECC_NIST_P256", "KeyUsage": "SIGN_VERIFY",
		"KeyPolicy": assertions.Match_ObjectLike(&map[string]any{"Statement": assertions.Match_ArrayWith(&[]any{
			map[string]any{
				"Sid": "DenyGrantsExceptForAWSServices", "Effect": "Deny", "Action": "kms:CreateGrant",
				"Principal": map[string]any{"AWS": "*"}, "Resource": "*",
				"Condition": map[string]any{"BoolIfExists": map[string]any{
					"kms:GrantIsForAWSResource": "false", "aws:PrincipalIsAWSService": "false",
				}},
			},
		})}),
	})
	// Only the signers may sign, whatever IAM policies others hold.
	fns := f.functions(t)
	roleARN := func(pkg string) any {
		return map[string]any{"Fn::GetAtt": []any{roleOf(t, f.resources("AWS::Lambda::Function")[fns[pkg]], "Role"), "Arn"}}
	}
	f.assert.HasResourceProperties(jsii.String("AWS::KMS::Key"), map[string]any{
		"KeyPolicy": assertions.Match_ObjectLike(&map[string]any{"Statement": assertions.Match_ArrayWith(&[]any{
			map[string]any{
				"Sid": "DenySignExceptSigners", "Effect": "Deny", "Action": "kms:Sign",
				"Principal": map[string]any{"AWS": "*"}, "Resource": "*",
				"Condition": map[string]any{"ArnNotEquals": map[string]any{"aws:PrincipalArn": []any{roleARN(signPkg), roleARN(completePkg)}}},
			},
		})}),
	})
	_, key := f.only(t, "AWS::KMS::Key")
	if _, rotation := key["Properties"].(map[string]any)["EnableKeyRotation"]; rotation {
		t.Error("EnableKeyRotation is set: KMS cannot rotate an asymmetric key")
	}
}

// TestDocumentOutputs: the outputs users and signctl read.
func TestDocumentOutputs(t *testing.T) {
	f := synth(t, "default")
	outputs := f.template["Outputs"].(map[string]any)
	bucketID, _ := f.only(t, "AWS::S3::Bucket")
	keyID, _ := f.only(t, "AWS::KMS::Key")
	tests := []struct {
		name string
		want any
	}{
		{contract.OutputDocumentBucketName, map[string]any{"Ref": bucketID}},
		{contract.OutputSigningKeyARN, map[string]any{"Fn::GetAtt": []any{keyID, "Arn"}}},
	}
	for _, tt := range tests {
		out, ok := outputs[tt.name].(map[string]any)
		if !ok || !reflect.DeepEqual(out["Value"], tt.want) {
			t.Errorf("output %s = %v, want value %v", tt.name, outputs[tt.name], tt.want)
		}
	}
}
