package main

import (
	"fmt"
	"strconv"
	"strings"
	"time"

	ddbtypes "github.com/aws/aws-sdk-go-v2/service/dynamodb/types"
)

// tokenItem is a token-table item (DESIGN.md contract) without its task
// token: signctl never asks DynamoDB for the token, so it cannot print it.
type tokenItem struct {
	DocumentID   string
	Signer       string
	Status       string // PENDING, SIGNED, DECLINED or EXPIRED
	ExecutionARN string
	RequestedAt  time.Time
	CompletedAt  time.Time
	ExpiresAt    time.Time
	Reason       string
}

// Token-table statuses (DESIGN.md contract).
const (
	itemPending  = "PENDING"
	itemSigned   = "SIGNED"
	itemDeclined = "DECLINED"
	itemExpired  = "EXPIRED"
)

// itemAttributes are the attributes signctl reads; the projection names
// them as #a0, #a1, … (several are reserved words, e.g. "status").
var itemAttributes = []string{"documentId", "signer", "status", "executionArn", "requestedAt", "completedAt", "expiresAt", "reason"}

// itemProjection returns the ProjectionExpression and its attribute names.
// It is also how the taskToken attribute stays in the table.
func itemProjection() (string, map[string]string) {
	names := make(map[string]string, len(itemAttributes))
	refs := make([]string, len(itemAttributes))
	for i, a := range itemAttributes {
		refs[i] = fmt.Sprintf("#a%d", i)
		names[refs[i]] = a
	}
	return strings.Join(refs, ", "), names
}

// attrRef is the expression name of attribute a in itemProjection's names.
func attrRef(a string) string {
	for i, name := range itemAttributes {
		if name == a {
			return fmt.Sprintf("#a%d", i)
		}
	}
	panic("signctl: attribute not projected: " + a)
}

// decodeItem reads an item; a number that does not parse is an error naming
// the attribute.
func decodeItem(it map[string]ddbtypes.AttributeValue) (tokenItem, error) {
	var err error
	text := func(name string) string {
		if v, ok := it[name].(*ddbtypes.AttributeValueMemberS); ok {
			return v.Value
		}
		return ""
	}
	epoch := func(name string) time.Time {
		v, ok := it[name].(*ddbtypes.AttributeValueMemberN)
		if !ok {
			return time.Time{}
		}
		f, perr := strconv.ParseFloat(v.Value, 64)
		if perr != nil && err == nil {
			err = fmt.Errorf("token table item %s/%s: attribute %s is %q, not epoch seconds", text("documentId"), text("signer"), name, v.Value)
		}
		return time.Unix(int64(f), 0).UTC()
	}
	item := tokenItem{
		DocumentID: text("documentId"), Signer: text("signer"), Status: text("status"),
		ExecutionARN: text("executionArn"), Reason: redactTokens(text("reason")),
		RequestedAt: epoch("requestedAt"), CompletedAt: epoch("completedAt"), ExpiresAt: epoch("expiresAt"),
	}
	return item, err
}
