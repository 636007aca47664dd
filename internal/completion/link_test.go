package completion

import (
	"context"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	sfntypes "github.com/aws/aws-sdk-go-v2/service/sfn/types"

	"github.com/hitl-go/docsign/internal/contract"
	"github.com/hitl-go/docsign/internal/fault"
	"github.com/hitl-go/docsign/internal/signature"
	"github.com/hitl-go/docsign/internal/tokenstore"
)

// Codes as request-signature makes them: 32 bytes, base64url.
const (
	code      = "AAECAwQFBgcICQoLDA0ODxAREhMUFRYXGBkaGxwdHh8"
	otherCode = "HxweHRwbGhkYFxYVFBMSERAPDg0MCwoJCAcGBQQDAgE"
)

func TestCompleteByLink(t *testing.T) {
	withCode := func(c string) func(*tokenstore.Request) {
		return func(r *tokenstore.Request) { r.CodeHash = contract.HashCode(c) }
	}
	signed := func(r *tokenstore.Request) { // as Finish leaves it: the code used up
		r.Status, r.TaskToken, r.CodeHash, r.CompletedAt = contract.StatusSigned, "", "", t0.Add(-time.Second)
	}
	expiredWithCode := func(r *tokenstore.Request) {
		withCode(code)(r)
		r.Status, r.TaskToken, r.ExpiresAt = contract.StatusExpired, "", t0
	}
	sign := Input{DocumentID: "3", Signer: "Bob", Decision: contract.DecisionSign}
	decline := Input{DocumentID: "3", Signer: "Bob", Decision: contract.DecisionDecline, Reason: "wrong amount"}
	tests := []struct {
		name       string
		request    func(*tokenstore.Request)
		in         Input
		code       string
		sfn        *fakeSFN
		want       contract.Status
		wantErr    string
		wantStored contract.Status
		wantSends  int
	}{
		{name: "sign", request: withCode(code), in: sign, code: code,
			want: contract.StatusSigned, wantStored: contract.StatusSigned, wantSends: 1},
		{name: "decline", request: withCode(code), in: decline, code: code,
			want: contract.StatusDeclined, wantStored: contract.StatusDeclined, wantSends: 1},
		{name: "wrong code", request: withCode(code), in: sign, code: otherCode,
			wantErr: contract.ErrorSignatureLinkInvalid, wantStored: contract.StatusPending},
		{name: "wrong code, decline", request: withCode(code), in: decline, code: otherCode,
			wantErr: contract.ErrorSignatureLinkInvalid, wantStored: contract.StatusPending},
		{name: "code of a replaced request", request: withCode(otherCode), in: sign, code: code,
			wantErr: contract.ErrorSignatureLinkInvalid, wantStored: contract.StatusPending},
		{name: "a request without a code (stored before links)", in: sign, code: code,
			wantErr: contract.ErrorSignatureLinkInvalid, wantStored: contract.StatusPending},
		{name: "replayed after signing", request: signed, in: sign, code: code,
			wantErr: contract.ErrorSignatureLinkInvalid, wantStored: contract.StatusSigned},
		{name: "expired", request: expiredWithCode, in: sign, code: code, sfn: &fakeSFN{token: token, status: sfntypes.ExecutionStatusTimedOut},
			wantErr: contract.ErrorSignatureRequestExpired, wantStored: contract.StatusExpired},
		{name: "malformed code", request: withCode(code), in: sign, code: code + "A",
			wantErr: contract.ErrorSignatureLinkInvalid, wantStored: contract.StatusPending},
		{name: "empty code", request: withCode(code), in: sign, code: "",
			wantErr: contract.ErrorSignatureLinkInvalid, wantStored: contract.StatusPending},
		{name: "not a callback signer", request: withCode(code), in: Input{DocumentID: "3", Signer: "Alice"}, code: code,
			wantErr: contract.ErrorInvalidInput, wantStored: contract.StatusPending},
		{name: "bad document id", request: withCode(code), in: Input{DocumentID: "3/../4", Signer: "Bob"}, code: code,
			wantErr: contract.ErrorInvalidInput, wantStored: contract.StatusPending},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			req := pendingRequest()
			if tt.request != nil {
				tt.request(req)
			}
			store := &fakeStore{req: req}
			sfn := tt.sfn
			if sfn == nil {
				sfn = &fakeSFN{token: token}
			}
			h := newTestHandler(store, sfn, newClock(t0))
			sealer := &countingSealer{}
			h.sealer = sealer
			got, err := h.CompleteByLink(t.Context(), tt.in, tt.code)
			if errorType(err) != tt.wantErr || got.Status != tt.want {
				t.Fatalf("CompleteByLink = %+v, %v (%s); want status %q, errorType %q", got, err, errorType(err), tt.want, tt.wantErr)
			}
			if err != nil && (strings.Contains(err.Error(), code) || strings.Contains(err.Error(), otherCode)) {
				t.Errorf("the error message holds the code: %v", err)
			}
			if stored := store.stored(); stored.Status != tt.wantStored || stored.ClaimID != "" {
				t.Errorf("stored %s (claim %q), want %s unclaimed", stored.Status, stored.ClaimID, tt.wantStored)
			}
			if sends, _ := sfn.counts(); sends != tt.wantSends {
				t.Errorf("sends = %d, want %d", sends, tt.wantSends)
			}
			if n := sealer.n.Load(); tt.wantErr == contract.ErrorSignatureLinkInvalid && n != 0 {
				t.Errorf("sealed %d statements for a refused code, want none", n)
			}
		})
	}
}

// countingSealer counts the statements it seals.
type countingSealer struct {
	fakeSealer
	n atomic.Int32
}

func (c *countingSealer) Sign(ctx context.Context, documentID string, doc signature.Document, signer, executionARN, authenticatedBy string) (signature.Envelope, error) {
	c.n.Add(1)
	return c.fakeSealer.Sign(ctx, documentID, doc, signer, executionARN, authenticatedBy)
}

// TestLinkDocumentChanged: a changed document refuses the sign with
// DocumentChanged and changes nothing; the same code still declines.
func TestLinkDocumentChanged(t *testing.T) {
	req := pendingRequest()
	req.CodeHash = contract.HashCode(code)
	store, sfn := &fakeStore{req: req}, &fakeSFN{token: token}
	h := newTestHandler(store, sfn, newClock(t0))
	h.sealer = fakeSealer{err: fault.Changed("documents/3 version v1 is gone")}
	if _, err := h.CompleteByLink(t.Context(), Input{DocumentID: "3", Signer: "Bob"}, code); errorType(err) != contract.ErrorDocumentChanged {
		t.Fatalf("sign = %v, want %s", err, contract.ErrorDocumentChanged)
	}
	if got := store.stored(); got.Status != contract.StatusPending || got.ClaimID != "" || got.CodeHash != req.CodeHash {
		t.Fatalf("after DocumentChanged the request is %s (claim %q), want it pending, unclaimed, its code valid", got.Status, got.ClaimID)
	}
	res, err := h.CompleteByLink(t.Context(), Input{DocumentID: "3", Signer: "Bob", Decision: contract.DecisionDecline, Reason: "changed"}, code)
	if err != nil || res.Status != contract.StatusDeclined {
		t.Errorf("decline with the same code = %+v, %v; want DECLINED", res, err)
	}
}

// TestLinkSignatureSaysLink: the statement names how the signer was
// authenticated, by link or by a direct invocation.
func TestLinkSignatureSaysLink(t *testing.T) {
	for _, tt := range []struct {
		name string
		call func(h *Handler) error
		want string
	}{
		{"link", func(h *Handler) error {
			_, err := h.CompleteByLink(t.Context(), Input{DocumentID: "3", Signer: "Bob"}, code)
			return err
		}, contract.AuthenticatedByLink},
		{"lambda:Invoke", func(h *Handler) error {
			_, err := h.Handle(t.Context(), []byte(signPayload))
			return err
		}, contract.AuthenticatedByLambdaInvoke},
	} {
		t.Run(tt.name, func(t *testing.T) {
			req := pendingRequest()
			req.CodeHash = contract.HashCode(code)
			sfn := &fakeSFN{token: token}
			if err := tt.call(newTestHandler(&fakeStore{req: req}, sfn, newClock(t0))); err != nil {
				t.Fatal(err)
			}
			if out := sfn.lastOutput(); !strings.Contains(out, `"authenticatedBy":"`+tt.want+`"`) {
				t.Errorf("SendTaskSuccess output %s does not say authenticatedBy %q", out, tt.want)
			}
		})
	}
}

func (f *fakeSFN) lastOutput() string {
	f.mu.Lock()
	defer f.mu.Unlock()
	return f.output
}
