// Package tokenstore keeps signature requests — a run's task token for one
// document and signer — in the DynamoDB token table, and implements the claim
// protocol that lets exactly one completion use a token.
//
// Every write is conditional. A completion first claims the request: a
// conditional update that records a claim ID and a lease end, allowed only
// while the request is PENDING and holds no live claim. The claim needs no
// undo: once its lease passes, the request can be claimed again. Finish then
// records the outcome only while the same claim still holds it.
package tokenstore

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/dynamodb"
	ddb "github.com/aws/aws-sdk-go-v2/service/dynamodb/types"

	"github.com/hitl-go/docsign/internal/contract"
)

// DB lists the DynamoDB calls the store makes.
type DB interface {
	GetItem(context.Context, *dynamodb.GetItemInput, ...func(*dynamodb.Options)) (*dynamodb.GetItemOutput, error)
	PutItem(context.Context, *dynamodb.PutItemInput, ...func(*dynamodb.Options)) (*dynamodb.PutItemOutput, error)
	UpdateItem(context.Context, *dynamodb.UpdateItemInput, ...func(*dynamodb.Options)) (*dynamodb.UpdateItemOutput, error)
	Querier // List
}

var _ DB = (*dynamodb.Client)(nil)

// Store reads and writes signature requests in one table.
type Store struct {
	db    DB
	table string
}

// New returns a Store for the named table.
func New(db DB, table string) *Store { return &Store{db: db, table: table} }

var (
	// ErrNotFound reports that no request exists for the key.
	ErrNotFound = errors.New("signature request not found")
	// ErrClaimLost reports that Finish found the request no longer held by
	// the given claim (its lease ended and another caller claimed or finished it).
	ErrClaimLost = errors.New("claim no longer holds the signature request")
)

// StateError reports a conditional write refused because of the request's
// current state, which it carries (read right after the refusal).
type StateError struct {
	Op      string // put or claim
	Current Request
	At      time.Time // the time the write was judged at
}

func (e *StateError) Error() string {
	state := string(e.Current.Status)
	if e.Current.Status == contract.StatusPending && e.Current.Claimed(e.At) {
		state += ", claimed until " + e.Current.ClaimExpiresAt.UTC().Format(time.RFC3339)
	}
	return fmt.Sprintf("%s signature request %s: it is %s", e.Op, e.Current.Key, state)
}

// Get reads the request with a strongly consistent read.
func (s *Store) Get(ctx context.Context, k Key) (Request, error) {
	out, err := s.db.GetItem(ctx, &dynamodb.GetItemInput{
		TableName:      &s.table,
		Key:            k.item(),
		ConsistentRead: aws.Bool(true),
	})
	if err != nil {
		return Request{}, fmt.Errorf("get signature request %s: %w", k, err)
	}
	if out.Item == nil {
		return Request{}, fmt.Errorf("%w: %s", ErrNotFound, k)
	}
	return Decode(out.Item)
}

// Put stores r as a PENDING request. It may replace an existing request only
// if that one is EXPIRED, or PENDING without a live claim and either past its
// deadline or of the same run and requested strictly earlier (a retried task
// brings a new token; a late write of an attempt that timed out must not
// bring back its dead one: attempts are ordered to the millisecond). Storing the same unclaimed request again
// succeeds, so a retried write is harmless. Otherwise it returns a *StateError.
func (s *Store) Put(ctx context.Context, r Request, now time.Time) error {
	r.Status = contract.StatusPending
	_, err := s.db.PutItem(ctx, &dynamodb.PutItemInput{
		TableName:           &s.table,
		Item:                r.item(),
		ConditionExpression: aws.String(putCondition),
		ExpressionAttributeNames: names(contract.AttrDocumentID, contract.AttrStatus, attrClaimExpiresAt, contract.AttrExecutionARN,
			contract.AttrRequestedAt, contract.AttrExpiresAt),
		ExpressionAttributeValues: map[string]ddb.AttributeValue{
			":expired":     str(string(contract.StatusExpired)),
			":pending":     str(string(contract.StatusPending)),
			":arn":         str(r.ExecutionARN),
			":requestedAt": millis(r.RequestedAt),
			":now":         epoch(now),
		},
		ReturnValuesOnConditionCheckFailure: ddb.ReturnValuesOnConditionCheckFailureAllOld,
	})
	if err == nil {
		return nil
	}
	err = s.refused(ctx, "put", r.Key, now, err)
	var state *StateError
	if errors.As(err, &state) && state.Current.Status == contract.StatusPending && !state.Current.Claimed(now) &&
		state.Current.TaskToken == r.TaskToken && state.Current.ExecutionARN == r.ExecutionARN && state.Current.CodeHash == r.CodeHash {
		return nil // this very request is stored already (with its code: a link for another code would not work)
	}
	return err
}

// Record stores a signature made at once (an auto signer's) as a SIGNED
// request without a token: the table is the durable record of every
// signature. It may replace only a SIGNED request of the same run (a
// retried invocation signs again); otherwise it returns a *StateError.
func (s *Store) Record(ctx context.Context, r Request) error {
	r.Status, r.TaskToken = contract.StatusSigned, ""
	_, err := s.db.PutItem(ctx, &dynamodb.PutItemInput{
		TableName:                &s.table,
		Item:                     r.item(),
		ConditionExpression:      aws.String(anyOf("attribute_not_exists(#documentId)", allOf("#status = :signed", "#executionArn = :arn"))),
		ExpressionAttributeNames: names(contract.AttrDocumentID, contract.AttrStatus, contract.AttrExecutionARN),
		ExpressionAttributeValues: map[string]ddb.AttributeValue{
			":signed": str(string(contract.StatusSigned)),
			":arn":    str(r.ExecutionARN),
		},
		ReturnValuesOnConditionCheckFailure: ddb.ReturnValuesOnConditionCheckFailureAllOld,
	})
	if err != nil {
		return s.refused(ctx, "record", r.Key, r.CompletedAt, err)
	}
	return nil
}

// Claim takes the request for a completion identified by claimID for the
// given lease, and returns it (with its token). It succeeds only on a PENDING
// request without a live claim and whose signing
// link's code hashes to it (when codeHash is not ""): the claim that guards the token also checks the
// code. Otherwise it returns ErrNotFound or a *StateError.
func (s *Store) Claim(ctx context.Context, k Key, claimID string, now time.Time, lease time.Duration, codeHash string) (Request, error) {
	condition, attrs := claimCondition, []string{attrClaimID, attrClaimExpiresAt, contract.AttrStatus}
	values := map[string]ddb.AttributeValue{
		":claim":   str(claimID),
		":until":   epoch(RoundUp(now.Add(lease))),
		":pending": str(string(contract.StatusPending)),
		":now":     epoch(now),
	}
	if codeHash != "" {
		condition = anyOf(each(unclaimed, "#codeHash = :code")...)
		attrs = append(attrs, contract.AttrCodeHash)
		values[":code"] = str(codeHash)
	}
	out, err := s.db.UpdateItem(ctx, &dynamodb.UpdateItemInput{
		TableName:                           &s.table,
		Key:                                 k.item(),
		UpdateExpression:                    aws.String("SET #claimId = :claim, #claimExpiresAt = :until"),
		ConditionExpression:                 aws.String(condition),
		ExpressionAttributeNames:            names(attrs...),
		ExpressionAttributeValues:           values,
		ReturnValues:                        ddb.ReturnValueAllNew,
		ReturnValuesOnConditionCheckFailure: ddb.ReturnValuesOnConditionCheckFailureAllOld,
	})
	if err != nil {
		return Request{}, s.refused(ctx, "claim", k, now, err)
	}
	return Decode(out.Attributes)
}

// The conditions are written as an OR of ANDs, without parentheses (AND
// binds tighter than OR in DynamoDB's expressions): dynalite's parser
// backtracks through nested parentheses, which made every put slow.
var (
	// A PENDING request without a live claim: never claimed, or its lease passed.
	unclaimed = []string{
		allOf("#status = :pending", "attribute_not_exists(#claimExpiresAt)"),
		allOf("#status = :pending", "#claimExpiresAt <= :now"),
	}
	claimCondition = anyOf(unclaimed...)
	// Put's condition (see Put): absent, EXPIRED, or unclaimed and either of
	// the same run and requested strictly earlier, or past its deadline.
	putCondition = anyOf(slices.Concat(
		[]string{"attribute_not_exists(#documentId)", "#status = :expired"},
		each(unclaimed, allOf("#executionArn = :arn", "#requestedAt < :requestedAt")),
		each(unclaimed, "#expiresAt <= :now"))...)
)

func anyOf(terms ...string) string { return strings.Join(terms, " OR ") }
func allOf(terms ...string) string { return strings.Join(terms, " AND ") }

// each is every conjunction of terms with also.
func each(terms []string, also string) []string {
	out := make([]string, len(terms))
	for i, t := range terms {
		out[i] = allOf(t, also)
	}
	return out
}

// refused turns a failed conditional write into ErrNotFound or a *StateError
// carrying the item DynamoDB returned with the refusal (ALL_OLD); other errors
// are returned with context. Only a server that returns no item with the
// refusal (an absent item, or dynalite, which predates the parameter) costs
// a GetItem, so on AWS, Put needs no read permission.
func (s *Store) refused(ctx context.Context, op string, k Key, now time.Time, err error) error {
	var ccf *ddb.ConditionalCheckFailedException
	if !errors.As(err, &ccf) {
		return fmt.Errorf("%s signature request %s: %w", op, k, err)
	}
	current, err := Decode(ccf.Item)
	if ccf.Item == nil {
		current, err = s.Get(ctx, k)
	}
	if err != nil {
		return err
	}
	return &StateError{Op: op, Current: current, At: now}
}

// Outcome is how a request ended.
type Outcome struct {
	Status   contract.Status // StatusSigned, StatusDeclined or StatusExpired
	Decision string          // sign or decline; empty for Expired
	Reason   string
	At       time.Time
	JWS      string // the signed statement of a SIGNED outcome
}

// Finish records the outcome if claimID still holds the request, and drops
// the token and the claim. A SIGNED or DECLINED request also loses expiresAt,
// so TTL never deletes the audit record, and its code hash, so its link is
// used up; an EXPIRED one keeps both, is left to TTL like an unanswered
// request, and its link still finds it (to say it expired). It returns ErrClaimLost if the claim no
// longer holds the request.
func (s *Store) Finish(ctx context.Context, k Key, claimID string, o Outcome) error {
	set := "SET #status = :status, #completedAt = :at"
	remove := " REMOVE #taskToken, #claimId, #claimExpiresAt"
	attrs := []string{contract.AttrStatus, contract.AttrCompletedAt, contract.AttrTaskToken, attrClaimID, attrClaimExpiresAt}
	values := map[string]ddb.AttributeValue{
		":status":  str(string(o.Status)),
		":at":      epoch(o.At),
		":pending": str(string(contract.StatusPending)),
		":claim":   str(claimID),
	}
	if o.Decision != "" {
		set += ", #decision = :decision"
		attrs = append(attrs, contract.AttrDecision)
		values[":decision"] = str(o.Decision)
	}
	if o.JWS != "" {
		set += ", #jws = :jws"
		attrs = append(attrs, contract.AttrJWS)
		values[":jws"] = str(o.JWS)
	}
	if o.Reason != "" {
		set += ", #reason = :reason"
		attrs = append(attrs, contract.AttrReason)
		values[":reason"] = str(o.Reason)
	}
	if o.Status != contract.StatusExpired {
		remove += ", #expiresAt, #codeHash"
		attrs = append(attrs, contract.AttrExpiresAt, contract.AttrCodeHash)
	}
	_, err := s.db.UpdateItem(ctx, &dynamodb.UpdateItemInput{
		TableName:                 &s.table,
		Key:                       k.item(),
		UpdateExpression:          aws.String(set + remove),
		ConditionExpression:       aws.String("#status = :pending AND #claimId = :claim"),
		ExpressionAttributeNames:  names(attrs...),
		ExpressionAttributeValues: values,
	})
	var ccf *ddb.ConditionalCheckFailedException
	switch {
	case errors.As(err, &ccf):
		return fmt.Errorf("finish signature request %s as %s: %w", k, o.Status, ErrClaimLost)
	case err != nil:
		return fmt.Errorf("finish signature request %s as %s: %w", k, o.Status, err)
	}
	return nil
}

// names maps "#name" to name for each attribute name used in an expression.
func names(attrs ...string) map[string]string {
	m := make(map[string]string, len(attrs))
	for _, a := range attrs {
		m["#"+a] = a
	}
	return m
}

// RoundUp rounds t up to a whole second, the precision of stored times, so
// that a stored deadline never comes early.
func RoundUp(t time.Time) time.Time {
	if s := t.Truncate(time.Second); !s.Equal(t) {
		return s.Add(time.Second)
	}
	return t
}

// String describes r without its token.
func (r Request) String() string {
	return fmt.Sprintf("%s %s (execution %s, expires %s)", r.Key, r.Status, r.ExecutionARN,
		strconv.FormatInt(r.ExpiresAt.Unix(), 10))
}

// LogValue logs r without its token.
func (r Request) LogValue() slog.Value {
	return slog.GroupValue(
		slog.String("documentId", r.DocumentID),
		slog.String("signer", r.Signer),
		slog.String("status", string(r.Status)),
		slog.String("executionArn", r.ExecutionARN),
	)
}
