package tokenstore

import (
	"context"
	"fmt"
	"strings"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/dynamodb"
	ddb "github.com/aws/aws-sdk-go-v2/service/dynamodb/types"

	"github.com/hitl-go/docsign/internal/contract"
)

// Querier lists the DynamoDB call ListTable makes.
type Querier interface {
	Query(context.Context, *dynamodb.QueryInput, ...func(*dynamodb.Options)) (*dynamodb.QueryOutput, error)
}

var _ Querier = (*dynamodb.Client)(nil)

// PublicProjection returns the ProjectionExpression of PublicAttributes and
// its attribute names, #a0, #a1, … (several are reserved words, e.g. "status").
func PublicProjection() (string, map[string]string) {
	names := make(map[string]string, len(PublicAttributes))
	refs := make([]string, len(PublicAttributes))
	for i, a := range PublicAttributes {
		refs[i] = fmt.Sprintf("#a%d", i)
		names[refs[i]] = a
	}
	return strings.Join(refs, ", "), names
}

// PublicRef is the expression name of attribute a in PublicProjection's names.
func PublicRef(a string) string {
	for i, name := range PublicAttributes {
		if name == a {
			return fmt.Sprintf("#a%d", i)
		}
	}
	panic("tokenstore: attribute not projected: " + a)
}

// List reads every request of the document from the store's table (ListTable).
func (s *Store) List(ctx context.Context, documentID string) ([]Request, error) {
	return ListTable(ctx, s.db, s.table, documentID)
}

// ListTable reads every request of the document in table — one per signer
// its run reached, kept after the run's history expires — with strongly
// consistent reads, page by page, in signer order. It projects
// PublicAttributes, so neither a task token nor a link code's hash is read.
func ListTable(ctx context.Context, db Querier, table, documentID string) ([]Request, error) {
	projection, names := PublicProjection()
	in := &dynamodb.QueryInput{
		TableName:                 aws.String(table),
		KeyConditionExpression:    aws.String(PublicRef(contract.AttrDocumentID) + " = :id"),
		ProjectionExpression:      aws.String(projection),
		ExpressionAttributeNames:  names,
		ExpressionAttributeValues: map[string]ddb.AttributeValue{":id": str(documentID)},
		ConsistentRead:            aws.Bool(true),
	}
	var reqs []Request
	for {
		page, err := db.Query(ctx, in)
		if err != nil {
			return nil, fmt.Errorf("list the signature requests of document %s in table %s: %w", documentID, table, err)
		}
		for _, it := range page.Items {
			r, err := Decode(it)
			if err != nil {
				return nil, err
			}
			r.TaskToken, r.CodeHash = "", "" // never projected; cleared should a server send them anyway
			reqs = append(reqs, r)
		}
		if len(page.LastEvaluatedKey) == 0 {
			return reqs, nil
		}
		in.ExclusiveStartKey = page.LastEvaluatedKey
	}
}
