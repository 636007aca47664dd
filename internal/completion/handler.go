package completion

import (
	"context"
	"crypto/rand"
	"encoding/json"
	"errors"
	"log/slog"
	"slices"
	"time"

	"github.com/aws/aws-sdk-go-v2/service/sfn"

	"github.com/hitl-go/docsign/internal/contract"
	"github.com/hitl-go/docsign/internal/event"
	"github.com/hitl-go/docsign/internal/fault"
	"github.com/hitl-go/docsign/internal/signature"
	"github.com/hitl-go/docsign/internal/signing"
	"github.com/hitl-go/docsign/internal/tokenstore"
)

// Input is the complete-signature event and Result its answer.
type (
	Input  = contract.CompleteInput
	Result = contract.CompleteResult
)

// Store is what the handler needs of the token store.
type Store interface {
	Get(ctx context.Context, k tokenstore.Key) (tokenstore.Request, error)
	Claim(ctx context.Context, k tokenstore.Key, claimID string, now time.Time, lease time.Duration, codeHash string) (tokenstore.Request, error)
	Finish(ctx context.Context, k tokenstore.Key, claimID string, o tokenstore.Outcome) error
}

// StepFunctions lists the Step Functions calls the handler makes.
type StepFunctions interface {
	SendTaskSuccess(context.Context, *sfn.SendTaskSuccessInput, ...func(*sfn.Options)) (*sfn.SendTaskSuccessOutput, error)
	SendTaskFailure(context.Context, *sfn.SendTaskFailureInput, ...func(*sfn.Options)) (*sfn.SendTaskFailureOutput, error)
	DescribeExecution(context.Context, *sfn.DescribeExecutionInput, ...func(*sfn.Options)) (*sfn.DescribeExecutionOutput, error)
	GetExecutionHistory(context.Context, *sfn.GetExecutionHistoryInput, ...func(*sfn.Options)) (*sfn.GetExecutionHistoryOutput, error)
}

var (
	_ Store         = (*tokenstore.Store)(nil)
	_ StepFunctions = (*sfn.Client)(nil)
)

// Sealer signs the pinned document for a signer.
type Sealer interface {
	Sign(ctx context.Context, documentID string, doc signature.Document, signer, executionARN, authenticatedBy string) (signature.Envelope, error)
}

var _ Sealer = (*signing.Sealer)(nil)

// Handler completes signature requests.
type Handler struct {
	store      Store
	sfn        StepFunctions
	sealer     Sealer
	signers    []string
	lease      time.Duration
	now        func() time.Time
	newClaimID func() string
}

// NewHandler returns a Handler using the system clock and random claim IDs.
func NewHandler(store Store, sfn StepFunctions, sealer Sealer, cfg Config) *Handler {
	return &Handler{
		store:      store,
		sfn:        sfn,
		sealer:     sealer,
		signers:    cfg.CallbackSigners,
		lease:      cfg.Lease,
		now:        time.Now,
		newClaimID: rand.Text,
	}
}

// deadlineMargin is kept free before the function's deadline so that a slow
// call still ends in a typed error rather than a killed invocation.
const deadlineMargin = time.Second

// Handle completes one request of a direct invocation (IAM decided who may
// invoke). It returns the typed errors of package fault themselves (their
// type names are the contract's errorType values).
func (h *Handler) Handle(ctx context.Context, payload json.RawMessage) (Result, error) {
	in, err := h.parse(payload)
	if err != nil {
		return Result{}, err
	}
	if in.Code != "" { // the signing page passes a link's answer on
		return h.CompleteByLink(ctx, in, in.Code)
	}
	return h.complete(ctx, in, credential{by: contract.AuthenticatedByLambdaInvoke})
}

// CompleteByLink completes one request with the one-time code of the
// signer's link: the same path as Handle, with the code checked by the claim
// (and before anything is sealed). A code that is wrong, replaced by a newer
// request's or used is *fault.SignatureLinkInvalid. The code never appears
// in an error or a log line.
func (h *Handler) CompleteByLink(ctx context.Context, in Input, code string) (Result, error) {
	in, err := h.check(in)
	if err != nil {
		return Result{}, err
	}
	if !contract.CheckCode(code) {
		return Result{}, linkInvalid(tokenstore.Key{DocumentID: in.DocumentID, Signer: in.Signer})
	}
	return h.complete(ctx, in, credential{by: contract.AuthenticatedByLink, code: code})
}

// credential is how a completion was authenticated.
type credential struct {
	by   string // a contract.AuthenticatedBy value
	code string // the link's one-time code, with AuthenticatedByLink
}

// codeHash is what the claim must find stored: "" when no code is checked.
func (c credential) codeHash() string {
	if c.by != contract.AuthenticatedByLink {
		return ""
	}
	return contract.HashCode(c.code)
}

// admits reports whether the credential may complete req.
func (c credential) admits(req tokenstore.Request) bool {
	return c.by != contract.AuthenticatedByLink || contract.CodeMatches(c.code, req.CodeHash)
}

func linkInvalid(key tokenstore.Key) error {
	return fault.LinkInvalid("the signing link for %s is not valid: its code is wrong, was replaced by a newer request's, or was used", key)
}

// complete claims, seals, resumes the run and records the outcome.
func (h *Handler) complete(ctx context.Context, in Input, cred credential) (Result, error) {
	if deadline, ok := ctx.Deadline(); ok {
		var cancel context.CancelFunc
		ctx, cancel = context.WithDeadline(ctx, deadline.Add(-deadlineMargin))
		defer cancel()
	}
	key := tokenstore.Key{DocumentID: in.DocumentID, Signer: in.Signer}
	// A signature is sealed before the claim: a document found changed then
	// changes nothing, not even a claim that would hold off other calls.
	env, err := h.seal(ctx, key, in, cred)
	if err != nil {
		return Result{}, err
	}
	claimID, now := h.newClaimID(), h.now()
	req, err := h.store.Claim(ctx, key, claimID, now, h.lease, cred.codeHash())
	if err != nil {
		return Result{}, h.refusal(ctx, key, now, err, cred)
	}
	if in.Decision == contract.DecisionSign && now.Before(req.ExpiresAt) && !sealedFor(env, req) {
		// The request changed between the read and the claim (a retried
		// task stored it anew): seal for what the claim holds.
		if env, err = h.sealRequest(ctx, req, cred); err != nil {
			return Result{}, err // the claim lapses by itself
		}
	}
	var outcome tokenstore.Outcome
	if now.Before(req.ExpiresAt) {
		outcome, err = h.resolve(ctx, req, in, env)
	} else {
		// Past the deadline nothing is sent, but an earlier call's decision
		// may have reached the task before its recording failed.
		outcome, err = h.settle(ctx, req, true)
	}
	if err != nil {
		return Result{}, err // the claim lapses by itself; a retry settles the outcome
	}
	err = h.store.Finish(ctx, key, claimID, outcome)
	switch {
	case errors.Is(err, tokenstore.ErrClaimLost):
		// Our lease ran out and another call holds the request; it will find
		// the same outcome in the execution, so ours stands.
		slog.WarnContext(ctx, "outcome known but recorded by another call", "request", req, "status", outcome.Status)
	case err != nil:
		return Result{}, fault.Unavailable("signature request %s is %s but recording that failed (%v); retry", key, outcome.Status, err)
	default:
		slog.InfoContext(ctx, "signature request finished", "request", req, "status", outcome.Status)
	}
	if outcome.Status == contract.StatusExpired {
		// Recorded EXPIRED, so that a retried task may store its new token
		// at once; the caller is told to retry if the run asks again.
		req.CompletedAt = outcome.At
		if err := h.askedAgain(ctx, req, now); err != nil {
			return Result{}, err
		}
	}
	return answer(in, outcome)
}

// seal returns the signer's sealed statement for a sign decision on a
// request that a claim could take and a send could use now, and nil
// otherwise: the claim then explains the refusal, or the outcome is settled
// without a send.
func (h *Handler) seal(ctx context.Context, key tokenstore.Key, in Input, cred credential) (*signature.Envelope, error) {
	if in.Decision != contract.DecisionSign {
		return nil, nil
	}
	req, err := h.store.Get(ctx, key)
	now := h.now()
	switch {
	case errors.Is(err, tokenstore.ErrNotFound):
		return nil, fault.NotFound("no signature request for document %s and signer %s", key.DocumentID, key.Signer)
	case err != nil:
		return nil, fault.Unavailable("read signature request %s: %v; retry", key, err)
	case !cred.admits(req):
		return nil, linkInvalid(key) // nothing is signed for a wrong code
	case req.Status != contract.StatusPending, req.Claimed(now), !now.Before(req.ExpiresAt):
		return nil, nil
	}
	return h.sealRequest(ctx, req, cred)
}

// sealRequest seals the signer's statement over the request's pinned
// document, for its run.
func (h *Handler) sealRequest(ctx context.Context, req tokenstore.Request, cred credential) (*signature.Envelope, error) {
	if req.Document == (signature.Document{}) {
		return nil, fault.Changed("signature request %s records no pinned document; nothing was signed", req.Key)
	}
	env, err := h.sealer.Sign(ctx, req.DocumentID, req.Document, req.Signer, req.ExecutionARN, cred.by)
	if err != nil {
		return nil, err
	}
	return &env, nil
}

// sealedFor reports whether env is a statement for req's run and document.
func sealedFor(env *signature.Envelope, req tokenstore.Request) bool {
	return env != nil && env.Statement.ExecutionARN == req.ExecutionARN && env.Statement.Document == req.Document
}

// parse decodes and validates the event, applying the defaults.
func (h *Handler) parse(payload json.RawMessage) (Input, error) {
	var in Input
	if err := event.Decode(payload, &in); err != nil {
		return Input{}, err
	}
	return h.check(in)
}

// check validates an input, applying the defaults.
func (h *Handler) check(in Input) (Input, error) {
	if in.Signer == "" {
		in.Signer = h.defaultSigner()
	}
	if in.Decision == "" {
		in.Decision = contract.DecisionSign
	}
	if err := contract.CheckDocumentID(in.DocumentID); err != nil {
		return Input{}, fault.Invalid("invalid input: %v", err)
	}
	switch {
	case !slices.Contains(h.signers, in.Signer):
		return Input{}, fault.Invalid("invalid input: signer %q is not a callback signer (callback signers: %v)", in.Signer, h.signers)
	case in.Decision != contract.DecisionSign && in.Decision != contract.DecisionDecline:
		return Input{}, fault.Invalid("invalid input: decision must be %q or %q", contract.DecisionSign, contract.DecisionDecline)
	case in.Reason != "" && in.Decision != contract.DecisionDecline:
		return Input{}, fault.Invalid("invalid input: a reason goes with decision %q only", contract.DecisionDecline)
	}
	if err := contract.CheckReason(in.Reason); err != nil {
		return Input{}, fault.Invalid("invalid input: %v", err)
	}
	return in, nil
}

// defaultSigner is the signer of an event that names none: Bob (the
// contract's default), or the only callback signer when Bob is not one.
func (h *Handler) defaultSigner() string {
	if len(h.signers) == 1 && !slices.Contains(h.signers, contract.DefaultSigner) {
		return h.signers[0]
	}
	return contract.DefaultSigner
}

// refusal explains why a request could not be claimed.
func (h *Handler) refusal(ctx context.Context, key tokenstore.Key, now time.Time, err error, cred credential) error {
	var state *tokenstore.StateError
	if errors.As(err, &state) && !cred.admits(state.Current) {
		return linkInvalid(key) // a wrong code learns nothing of the request
	}
	if !errors.As(err, &state) {
		if errors.Is(err, tokenstore.ErrNotFound) {
			return fault.NotFound("no signature request for document %s and signer %s", key.DocumentID, key.Signer)
		}
		return fault.Unavailable("claim signature request %s: %v; retry", key, err)
	}
	current := state.Current
	switch current.Status {
	case contract.StatusSigned, contract.StatusDeclined:
		return fault.AlreadyCompleted("signature request %s was already %s at %s", key, current.Status,
			current.CompletedAt.UTC().Format(time.RFC3339))
	case contract.StatusExpired:
		if err := h.askedAgain(ctx, current, now); err != nil {
			return err
		}
		return expired(key)
	case contract.StatusPending:
		if current.Claimed(now) {
			return fault.Unavailable("signature request %s is being completed by another call; retry in a few seconds", key)
		}
		return fault.Unavailable("signature request %s changed while being claimed; retry", key)
	}
	return fault.Unavailable("signature request %s has unknown status %q", key, current.Status)
}

// answer turns the recorded outcome into the caller's answer.
func answer(in Input, o tokenstore.Outcome) (Result, error) {
	key := tokenstore.Key{DocumentID: in.DocumentID, Signer: in.Signer}
	switch {
	case o.Status == contract.StatusExpired:
		return Result{}, expired(key)
	case o.Status != statusFor(in.Decision):
		return Result{}, fault.AlreadyCompleted("signature request %s was already %s", key, o.Status)
	}
	return Result{DocumentID: in.DocumentID, Signer: in.Signer, Status: o.Status}, nil
}

func statusFor(decision string) contract.Status {
	if decision == contract.DecisionDecline {
		return contract.StatusDeclined
	}
	return contract.StatusSigned
}

func expired(key tokenstore.Key) error {
	return fault.Expired("signature request %s expired: its run no longer waits for it", key)
}
