package tokenstore_test

import (
	"context"
	"errors"
	"testing"

	"github.com/aws/aws-sdk-go-v2/service/dynamodb"
	ddb "github.com/aws/aws-sdk-go-v2/service/dynamodb/types"

	"github.com/hitl-go/docsign/internal/contract"
	"github.com/hitl-go/docsign/internal/tokenstore"
)

// refusingDB refuses every write the way DynamoDB does when asked for
// ReturnValuesOnConditionCheckFailure ALL_OLD, and counts reads.
type refusingDB struct {
	tokenstore.Querier // never called: refusals concern writes
	item               map[string]ddb.AttributeValue
	reads              int
}

func (db *refusingDB) refusal() error { return &ddb.ConditionalCheckFailedException{Item: db.item} }

func (db *refusingDB) GetItem(context.Context, *dynamodb.GetItemInput, ...func(*dynamodb.Options)) (*dynamodb.GetItemOutput, error) {
	db.reads++
	return &dynamodb.GetItemOutput{Item: db.item}, nil
}

func (db *refusingDB) PutItem(_ context.Context, in *dynamodb.PutItemInput, _ ...func(*dynamodb.Options)) (*dynamodb.PutItemOutput, error) {
	if in.ReturnValuesOnConditionCheckFailure != ddb.ReturnValuesOnConditionCheckFailureAllOld {
		return nil, errors.New("PutItem without ReturnValuesOnConditionCheckFailure ALL_OLD")
	}
	return nil, db.refusal()
}

func (db *refusingDB) UpdateItem(_ context.Context, in *dynamodb.UpdateItemInput, _ ...func(*dynamodb.Options)) (*dynamodb.UpdateItemOutput, error) {
	if in.ReturnValuesOnConditionCheckFailure != ddb.ReturnValuesOnConditionCheckFailureAllOld {
		return nil, errors.New("UpdateItem without ReturnValuesOnConditionCheckFailure ALL_OLD")
	}
	return nil, db.refusal()
}

// TestRefusalUsesReturnedItem: on AWS a refused write returns the item, so
// the store needs no read (request-signature is granted PutItem only).
func TestRefusalUsesReturnedItem(t *testing.T) {
	db := &refusingDB{item: map[string]ddb.AttributeValue{
		"documentId":  &ddb.AttributeValueMemberS{Value: "3"},
		"signer":      &ddb.AttributeValueMemberS{Value: "Bob"},
		"status":      &ddb.AttributeValueMemberS{Value: "SIGNED"},
		"requestedAt": &ddb.AttributeValueMemberN{Value: "1900000000"},
	}}
	store := tokenstore.New(db, "tokens")
	k := tokenstore.Key{DocumentID: "3", Signer: "Bob"}
	var state *tokenstore.StateError
	err := store.Put(t.Context(), pending("3", "token", run1), t0)
	if !errors.As(err, &state) || state.Current.Status != contract.StatusSigned || state.Current.Key != k {
		t.Errorf("Put = %v, want a *StateError showing the SIGNED request", err)
	}
	_, err = store.Claim(t.Context(), k, "c1", t0, lease, "")
	if !errors.As(err, &state) || state.Current.Status != contract.StatusSigned {
		t.Errorf("Claim = %v, want a *StateError showing the SIGNED request", err)
	}
	if db.reads != 0 {
		t.Errorf("%d GetItem calls, want none", db.reads)
	}
	db.item = nil // the item is absent: the refusal carries nothing
	if _, err := store.Claim(t.Context(), k, "c1", t0, lease, ""); !errors.Is(err, tokenstore.ErrNotFound) {
		t.Errorf("Claim of an absent item = %v, want ErrNotFound", err)
	}
}
