package tokenstore

import (
	"fmt"
	"strconv"
	"time"

	"github.com/aws/aws-sdk-go-v2/feature/dynamodb/attributevalue"
	ddb "github.com/aws/aws-sdk-go-v2/service/dynamodb/types"

	"github.com/hitl-go/docsign/internal/contract"
	"github.com/hitl-go/docsign/internal/signature"
)

// Key identifies a request: one per document and signer.
type Key struct {
	DocumentID string `dynamodbav:"documentId"`
	Signer     string `dynamodbav:"signer"`
}

func (k Key) String() string { return k.DocumentID + "/" + k.Signer }

// Request is one stored signature request: a token-table item. The tags
// name the table's attributes (internal/contract); codec_test.go checks
// they agree.
type Request struct {
	Key
	TaskToken    string          `dynamodbav:"taskToken,omitempty"` // a secret: never log it or put it in an error
	Status       contract.Status `dynamodbav:"status"`
	ExecutionARN string          `dynamodbav:"executionArn,omitempty"`
	// RequestedAt orders the attempts of one run's task to the millisecond,
	// stored as fractional epoch seconds.
	RequestedAt time.Time `dynamodbav:"requestedAt,omitempty"`
	ExpiresAt   time.Time `dynamodbav:"expiresAt,unixtime,omitempty"` // the run's deadline; the table's TTL attribute while pending
	// Document is the run's pinned document, what a signature is over;
	// attribute document (a map), absent when zero.
	Document signature.Document `dynamodbav:"-"`

	ClaimID        string    `dynamodbav:"claimId,omitempty"`                 // set by Claim; gone once the request is finished
	ClaimExpiresAt time.Time `dynamodbav:"claimExpiresAt,unixtime,omitempty"` // the claim's lease ends here

	CompletedAt time.Time `dynamodbav:"completedAt,unixtime,omitempty"` // when the request was finished
	Decision    string    `dynamodbav:"decision,omitempty"`             // sign or decline, once SIGNED or DECLINED
	Reason      string    `dynamodbav:"reason,omitempty"`               // the decline's reason
	JWS         string    `dynamodbav:"jws,omitempty"`                  // the signed statement, once SIGNED

	// CodeHash is the SHA-256 of the signing link's one-time code
	// (contract.HashCode); the code itself is never stored. It goes when the
	// request is signed or declined, so a used link is refused like a wrong one.
	CodeHash string `dynamodbav:"codeHash,omitempty"`
}

// Claimed reports whether a claim on r is live at now.
func (r Request) Claimed(now time.Time) bool {
	return r.ClaimID != "" && now.Unix() < r.ClaimExpiresAt.Unix()
}

// Item attributes the store's expressions name besides the contract's.
const (
	attrClaimID        = "claimId"
	attrClaimExpiresAt = "claimExpiresAt"
)

// codec encodes times tagged unixtime as whole epoch seconds, and leaves
// zero times out; RequestedAt goes through millis.
var (
	encoder = attributevalue.NewEncoder(func(o *attributevalue.EncoderOptions) {
		o.OmitEmptyTime = true
		o.EncodeTime = func(t time.Time) (ddb.AttributeValue, error) { return millis(t), nil }
	})
	decoder = attributevalue.NewDecoder(func(o *attributevalue.DecoderOptions) {
		o.DecodeTime.N = parseMillis
	})
)

func (k Key) item() map[string]ddb.AttributeValue {
	return mustEncode(k)
}

// item is r's attributes.
func (r Request) item() map[string]ddb.AttributeValue {
	it := mustEncode(r)
	if r.Document != (signature.Document{}) {
		av, err := encoder.Encode(r.Document)
		if err != nil {
			panic(fmt.Sprintf("tokenstore: encode document: %v", err))
		}
		it[contract.AttrDocument] = av
	}
	return it
}

// mustEncode encodes a Key or Request, which always succeeds: their fields
// are strings and times.
func mustEncode(v any) map[string]ddb.AttributeValue {
	av, err := encoder.Encode(v)
	if err != nil {
		panic(fmt.Sprintf("tokenstore: encode %T: %v", v, err))
	}
	return av.(*ddb.AttributeValueMemberM).Value
}

// Decode reads a token-table item. A number that does not parse is an error
// naming the item.
func Decode(it map[string]ddb.AttributeValue) (Request, error) {
	var r Request
	err := decoder.Decode(&ddb.AttributeValueMemberM{Value: it}, &r)
	if doc, ok := it[contract.AttrDocument]; ok && err == nil {
		err = decoder.Decode(doc, &r.Document)
	}
	if err != nil {
		var k Key
		_ = decoder.Decode(&ddb.AttributeValueMemberM{Value: it}, &k)
		return Request{}, fmt.Errorf("signature request %s: %w", k, err)
	}
	return r, nil
}

// PublicAttributes are every contract attribute but the task token: what a
// reader that must never hold a token projects.
var PublicAttributes = []string{
	contract.AttrDocumentID, contract.AttrSigner, contract.AttrStatus, contract.AttrExecutionARN,
	contract.AttrRequestedAt, contract.AttrCompletedAt, contract.AttrExpiresAt, contract.AttrDecision, contract.AttrReason,
	contract.AttrDocument, contract.AttrJWS,
}

func str(s string) ddb.AttributeValue { return &ddb.AttributeValueMemberS{Value: s} }

// epoch is t in whole epoch seconds.
func epoch(t time.Time) ddb.AttributeValue {
	return &ddb.AttributeValueMemberN{Value: strconv.FormatInt(t.Unix(), 10)}
}

// millis is t in epoch seconds with milliseconds ("1733440000.125").
func millis(t time.Time) ddb.AttributeValue {
	return &ddb.AttributeValueMemberN{Value: strconv.FormatFloat(float64(t.UnixMilli())/1000, 'f', -1, 64)}
}

// parseMillis reads epoch seconds, whole or with a fraction.
func parseMillis(n string) (time.Time, error) {
	f, err := strconv.ParseFloat(n, 64)
	if err != nil {
		return time.Time{}, fmt.Errorf("%q is not epoch seconds", n)
	}
	return time.UnixMilli(int64(f*1000 + 0.5*sign(f))), nil
}

func sign(f float64) float64 {
	if f < 0 {
		return -1
	}
	return 1
}
