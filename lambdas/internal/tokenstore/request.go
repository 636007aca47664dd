package tokenstore

import (
	"fmt"
	"strconv"
	"time"

	ddb "github.com/aws/aws-sdk-go-v2/service/dynamodb/types"
)

// Status is where a signature request stands.
type Status string

// The statuses of a request. PENDING is the only one a completion can claim.
const (
	Pending  Status = "PENDING"
	Signed   Status = "SIGNED"
	Declined Status = "DECLINED"
	Expired  Status = "EXPIRED"
)

// Key identifies a request: one per document and signer.
type Key struct {
	DocumentID string
	Signer     string
}

func (k Key) String() string { return k.DocumentID + "/" + k.Signer }

// Request is one stored signature request. Times are kept as epoch seconds.
type Request struct {
	Key
	TaskToken    string // a secret: never log it or put it in an error
	Status       Status
	ExecutionARN string
	RequestedAt  time.Time
	ExpiresAt    time.Time // the run's deadline; the table's TTL attribute while pending

	ClaimID        string    // set by Claim; gone once the request is finished
	ClaimExpiresAt time.Time // the claim's lease ends here

	CompletedAt time.Time // when the request was finished
	Decision    string    // sign or decline, once SIGNED or DECLINED
	Reason      string    // the decline's reason
}

// Claimed reports whether a claim on r is live at now.
func (r Request) Claimed(now time.Time) bool {
	return r.ClaimID != "" && now.Unix() < r.ClaimExpiresAt.Unix()
}

// Attribute names of the table (DESIGN.md contract for the first six).
const (
	attrDocumentID     = "documentId"
	attrSigner         = "signer"
	attrTaskToken      = "taskToken"
	attrStatus         = "status"
	attrExecutionARN   = "executionArn"
	attrRequestedAt    = "requestedAt"
	attrExpiresAt      = "expiresAt"
	attrClaimID        = "claimId"
	attrClaimExpiresAt = "claimExpiresAt"
	attrCompletedAt    = "completedAt"
	attrDecision       = "decision"
	attrReason         = "reason"
)

func (k Key) item() map[string]ddb.AttributeValue {
	return map[string]ddb.AttributeValue{attrDocumentID: str(k.DocumentID), attrSigner: str(k.Signer)}
}

// item is a new pending request's attributes.
func (r Request) item() map[string]ddb.AttributeValue {
	it := r.Key.item()
	it[attrTaskToken] = str(r.TaskToken)
	it[attrStatus] = str(string(r.Status))
	it[attrExecutionARN] = str(r.ExecutionARN)
	it[attrRequestedAt] = epoch(r.RequestedAt)
	it[attrExpiresAt] = epoch(r.ExpiresAt)
	return it
}

func fromItem(it map[string]ddb.AttributeValue) (Request, error) {
	var r Request
	var err error
	text := func(name string) string {
		if v, ok := it[name].(*ddb.AttributeValueMemberS); ok {
			return v.Value
		}
		return ""
	}
	when := func(name string) time.Time {
		v, ok := it[name].(*ddb.AttributeValueMemberN)
		if !ok || err != nil {
			return time.Time{}
		}
		n, perr := strconv.ParseInt(v.Value, 10, 64)
		if perr != nil {
			err = fmt.Errorf("attribute %s: %w", name, perr)
		}
		return time.Unix(n, 0)
	}
	r.DocumentID, r.Signer = text(attrDocumentID), text(attrSigner)
	r.TaskToken, r.Status = text(attrTaskToken), Status(text(attrStatus))
	r.ExecutionARN = text(attrExecutionARN)
	r.RequestedAt, r.ExpiresAt = when(attrRequestedAt), when(attrExpiresAt)
	r.ClaimID, r.ClaimExpiresAt = text(attrClaimID), when(attrClaimExpiresAt)
	r.CompletedAt = when(attrCompletedAt)
	r.Decision, r.Reason = text(attrDecision), text(attrReason)
	if err != nil {
		return Request{}, fmt.Errorf("signature request %s: %w", r.Key, err)
	}
	return r, nil
}

func str(s string) ddb.AttributeValue { return &ddb.AttributeValueMemberS{Value: s} }

// epoch is t in whole epoch seconds.
func epoch(t time.Time) ddb.AttributeValue {
	return &ddb.AttributeValueMemberN{Value: strconv.FormatInt(t.Unix(), 10)}
}
