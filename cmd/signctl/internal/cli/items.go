package cli

import (
	"context"
	"fmt"
	"strings"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/dynamodb"
	ddbtypes "github.com/aws/aws-sdk-go-v2/service/dynamodb/types"

	"github.com/hitl-go/docsign/internal/contract"
	"github.com/hitl-go/docsign/internal/tokenstore"
)

// signctl reads token-table items projected to tokenstore.PublicAttributes:
// every attribute but the task token, so it cannot print one. The projection
// names them #a0, #a1, … (several are reserved words, e.g. "status").

// ItemProjection returns the ProjectionExpression and its attribute names.
func ItemProjection() (string, map[string]string) {
	names := make(map[string]string, len(tokenstore.PublicAttributes))
	refs := make([]string, len(tokenstore.PublicAttributes))
	for i, a := range tokenstore.PublicAttributes {
		refs[i] = fmt.Sprintf("#a%d", i)
		names[refs[i]] = a
	}
	return strings.Join(refs, ", "), names
}

// AttrRef is the expression name of attribute a in ItemProjection's names.
func AttrRef(a string) string {
	for i, name := range tokenstore.PublicAttributes {
		if name == a {
			return fmt.Sprintf("#a%d", i)
		}
	}
	panic("signctl: attribute not projected: " + a)
}

// DecodeItem reads a projected item (tokenstore.Decode); a decline's
// reason is scrubbed of token-shaped text.
func DecodeItem(it map[string]ddbtypes.AttributeValue) (tokenstore.Request, error) {
	r, err := tokenstore.Decode(it)
	r.TaskToken = "" // never projected; cleared should a server send it anyway
	r.Reason = RedactTokens(r.Reason)
	return r, err
}

// ItemQuerier lists the DynamoDB call that reads a document's items.
type ItemQuerier interface {
	Query(context.Context, *dynamodb.QueryInput, ...func(*dynamodb.Options)) (*dynamodb.QueryOutput, error)
}

// QueryItems reads every token-table item of the document: one per signer
// the run reached, kept after the run's history expires.
func QueryItems(ctx context.Context, db ItemQuerier, table, id string) ([]tokenstore.Request, error) {
	projection, names := ItemProjection()
	key := AttrRef(contract.AttrDocumentID)
	pages := dynamodb.NewQueryPaginator(db, &dynamodb.QueryInput{
		TableName:                 aws.String(table),
		KeyConditionExpression:    aws.String(key + " = :id"),
		ProjectionExpression:      aws.String(projection),
		ExpressionAttributeNames:  names,
		ExpressionAttributeValues: map[string]ddbtypes.AttributeValue{":id": &ddbtypes.AttributeValueMemberS{Value: id}},
		ConsistentRead:            aws.Bool(true),
	})
	var items []tokenstore.Request
	for pages.HasMorePages() {
		page, err := pages.NextPage(ctx)
		if err != nil {
			return nil, fmt.Errorf("read the signature requests of document %s from table %s: %w", id, table, err)
		}
		for _, raw := range page.Items {
			it, err := DecodeItem(raw)
			if err != nil {
				return nil, err
			}
			items = append(items, it)
		}
	}
	return items, nil
}
