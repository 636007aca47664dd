// Package tokenstoretest creates token tables for tests, shaped like the
// stack's table (partition key documentId, sort key signer: internal/contract).
package tokenstoretest

import (
	"context"
	"fmt"
	"sync/atomic"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/dynamodb"
	ddb "github.com/aws/aws-sdk-go-v2/service/dynamodb/types"
	"github.com/hitl-go/docsign/internal/contract"
)

var tables atomic.Int64

// NewTable creates a token table with a fresh name, waits until it is ACTIVE
// and returns its name.
func NewTable(t testing.TB, db *dynamodb.Client) string {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 20*time.Second)
	defer cancel()
	name := fmt.Sprintf("tokens-%d", tables.Add(1))
	_, err := db.CreateTable(ctx, &dynamodb.CreateTableInput{
		TableName:   aws.String(name),
		BillingMode: ddb.BillingModePayPerRequest,
		AttributeDefinitions: []ddb.AttributeDefinition{
			{AttributeName: aws.String(contract.AttrDocumentID), AttributeType: ddb.ScalarAttributeTypeS},
			{AttributeName: aws.String(contract.AttrSigner), AttributeType: ddb.ScalarAttributeTypeS},
		},
		KeySchema: []ddb.KeySchemaElement{
			{AttributeName: aws.String(contract.AttrDocumentID), KeyType: ddb.KeyTypeHash},
			{AttributeName: aws.String(contract.AttrSigner), KeyType: ddb.KeyTypeRange},
		},
	})
	if err != nil {
		t.Fatalf("create table %s: %v", name, err)
	}
	waiter := dynamodb.NewTableExistsWaiter(db, func(o *dynamodb.TableExistsWaiterOptions) {
		o.MinDelay, o.MaxDelay = 50*time.Millisecond, 200*time.Millisecond
	})
	if err := waiter.Wait(ctx, &dynamodb.DescribeTableInput{TableName: aws.String(name)}, 20*time.Second); err != nil {
		t.Fatalf("wait for table %s: %v", name, err)
	}
	return name
}
