package cli

import (
	"context"

	ddbtypes "github.com/aws/aws-sdk-go-v2/service/dynamodb/types"

	"github.com/hitl-go/docsign/internal/tokenstore"
)

// signctl reads token-table items projected to tokenstore.PublicAttributes
// (tokenstore.PublicProjection): every attribute but the task token and the
// link code's hash, so it cannot print either.

// DecodeItem reads a projected item (tokenstore.Decode); a decline's
// reason is scrubbed of token-shaped text.
func DecodeItem(it map[string]ddbtypes.AttributeValue) (tokenstore.Request, error) {
	r, err := tokenstore.Decode(it)
	r.TaskToken = "" // never projected; cleared should a server send it anyway
	r.Reason = RedactTokens(r.Reason)
	return r, err
}

// QueryItems reads every token-table item of the document: one per signer
// the run reached, kept after the run's history expires; a decline's reason
// is scrubbed of token-shaped text.
func QueryItems(ctx context.Context, db tokenstore.Querier, table, id string) ([]tokenstore.Request, error) {
	items, err := tokenstore.ListTable(ctx, db, table, id)
	for i := range items {
		items[i].Reason = RedactTokens(items[i].Reason)
	}
	return items, err
}
