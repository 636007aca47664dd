// Package signingkey defines the KMS key that signs statements: an
// asymmetric ECC_NIST_P256 key for SIGN_VERIFY, whose public half anyone
// may fetch (GetPublicKey) to check a signature offline.
package signingkey

import (
	"cmp"

	"github.com/aws/aws-cdk-go/awscdk/v2"
	"github.com/aws/aws-cdk-go/awscdk/v2/awsiam"
	"github.com/aws/aws-cdk-go/awscdk/v2/awskms"
	"github.com/aws/constructs-go/constructs/v10"
	"github.com/aws/jsii-runtime-go"
)

// KeyProps configures a Key.
type KeyProps struct {
	// RemovalPolicy of the key; default destroy (KMS then schedules its
	// deletion after the waiting period: signatures made with it can be
	// checked offline with its exported public key, not with GetPublicKey).
	RemovalPolicy awscdk.RemovalPolicy
}

// Key is the signing key.
type Key struct {
	constructs.Construct
	Key awskms.Key
}

// NewKey defines the signing key.
func NewKey(scope constructs.Construct, id *string, props *KeyProps) *Key {
	if props == nil {
		props = &KeyProps{}
	}
	this := constructs.NewConstruct(scope, id)
	key := awskms.NewKey(this, jsii.String("Key"), &awskms.KeyProps{
		Description:   jsii.String("Signs document-signing statements (JWS ES256)."),
		KeySpec:       awskms.KeySpec_ECC_NIST_P256,
		KeyUsage:      awskms.KeyUsage_SIGN_VERIFY,
		RemovalPolicy: cmp.Or(props.RemovalPolicy, awscdk.RemovalPolicy_DESTROY),
	})
	// Nothing here uses grants: only AWS services acting for a resource may
	// create one (AWS Control Tower CT.KMS.PR.3).
	key.AddToResourcePolicy(awsiam.NewPolicyStatement(&awsiam.PolicyStatementProps{
		Sid:        jsii.String("DenyGrantsExceptForAWSServices"),
		Effect:     awsiam.Effect_DENY,
		Principals: &[]awsiam.IPrincipal{awsiam.NewAnyPrincipal()},
		Actions:    jsii.Strings("kms:CreateGrant"),
		Resources:  jsii.Strings("*"),
		Conditions: &map[string]interface{}{"BoolIfExists": map[string]interface{}{
			"kms:GrantIsForAWSResource": "false",
			"aws:PrincipalIsAWSService": "false",
		}},
	}), jsii.Bool(false))
	return &Key{Construct: this, Key: key}
}

// GrantSign lets the roles sign with the key (kms:Sign) and nobody else:
// the key policy denies kms:Sign to every other principal, so no broad IAM
// policy in the account (an administrator's, say) can seal a statement.
// Call it once, with every signer.
func (k *Key) GrantSign(roles ...awsiam.IRole) {
	arns := make([]*string, len(roles))
	for i, r := range roles {
		k.Key.Grant(r, jsii.String("kms:Sign"))
		arns[i] = r.RoleArn()
	}
	k.Key.AddToResourcePolicy(awsiam.NewPolicyStatement(&awsiam.PolicyStatementProps{
		Sid:        jsii.String("DenySignExceptSigners"),
		Effect:     awsiam.Effect_DENY,
		Principals: &[]awsiam.IPrincipal{awsiam.NewAnyPrincipal()},
		Actions:    jsii.Strings("kms:Sign"),
		Resources:  jsii.Strings("*"),
		Conditions: &map[string]interface{}{"ArnNotEquals": map[string]interface{}{"aws:PrincipalArn": arns}},
	}), jsii.Bool(false))
}
