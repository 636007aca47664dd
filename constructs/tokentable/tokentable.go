// Package tokentable defines the DynamoDB table that holds signature requests:
// one item per (document, callback signer) with the task token while pending.
package tokentable

import (
	"github.com/aws/aws-cdk-go/awscdk/v2"
	"github.com/aws/aws-cdk-go/awscdk/v2/awsdynamodb"
	"github.com/aws/constructs-go/constructs/v10"
	"github.com/aws/jsii-runtime-go"
	"github.com/hitl-go/docsign/internal/contract"
)

// TableProps configures a Table.
type TableProps struct {
	// RemovalPolicy of the table; default destroy. Completed items are the
	// audit record: choose retain for anything that matters.
	RemovalPolicy awscdk.RemovalPolicy
}

// Table is the signature-request table: on demand, point-in-time recovery,
// TTL on expiresAt, encrypted with the AWS managed KMS key (aws/dynamodb).
type Table struct {
	constructs.Construct
	// Table is the DynamoDB table; grant callers the item actions they use.
	Table awsdynamodb.Table
}

// NewTable defines the signature-request table.
func NewTable(scope constructs.Construct, id *string, props *TableProps) *Table {
	if props == nil {
		props = &TableProps{}
	}
	removal := props.RemovalPolicy
	if removal == "" {
		removal = awscdk.RemovalPolicy_DESTROY
	}
	this := constructs.NewConstruct(scope, id)
	table := awsdynamodb.NewTable(this, jsii.String("Table"), &awsdynamodb.TableProps{
		PartitionKey: &awsdynamodb.Attribute{Name: jsii.String(contract.AttrDocumentID), Type: awsdynamodb.AttributeType_STRING},
		SortKey:      &awsdynamodb.Attribute{Name: jsii.String(contract.AttrSigner), Type: awsdynamodb.AttributeType_STRING},
		BillingMode:  awsdynamodb.BillingMode_PAY_PER_REQUEST,
		PointInTimeRecoverySpecification: &awsdynamodb.PointInTimeRecoverySpecification{
			PointInTimeRecoveryEnabled: jsii.Bool(true),
		},
		TimeToLiveAttribute: jsii.String(contract.AttrExpiresAt),
		// The AWS managed key (SSEEnabled) rather than the default AWS owned
		// one: AWS Control Tower control CT.DYNAMODB.PR.2 asks for a KMS key,
		// and this one costs no key of the account's own to manage.
		Encryption:    awsdynamodb.TableEncryption_AWS_MANAGED,
		RemovalPolicy: removal,
	})
	return &Table{Construct: this, Table: table}
}
