package docsapi_test

import (
	"context"
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/rand"
	"encoding/json"
	"reflect"
	"strings"
	"testing"
	"time"

	sfntypes "github.com/aws/aws-sdk-go-v2/service/sfn/types"

	"github.com/hitl-go/docsign/internal/contract"
	"github.com/hitl-go/docsign/internal/docsapi"
	"github.com/hitl-go/docsign/internal/jws"
	"github.com/hitl-go/docsign/internal/signature"
	"github.com/hitl-go/docsign/internal/tokenstore"
)

var (
	t0     = time.Date(2026, 11, 22, 10, 0, 0, 0, time.UTC)
	pinned = signature.Document{Bucket: bucket, Key: "documents/3", VersionID: "v1", SHA256: strings.Repeat("ab", 32)}
)

// sealFor signs signer's statement over the pinned document in run 3.
func sealFor(t *testing.T, signer, authenticatedBy string) signature.Envelope {
	t.Helper()
	key, err := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	if err != nil {
		t.Fatal(err)
	}
	sign := jws.SignerFunc(func(_ context.Context, digest []byte) ([]byte, error) {
		return ecdsa.SignASN1(rand.Reader, key, digest)
	})
	st := signature.NewStatement("3", pinned, signer, runARN("3"), authenticatedBy, t0)
	env, err := signature.Seal(t.Context(), sign, "arn:aws:kms:us-east-1:000000000000:key/k", st)
	if err != nil {
		t.Fatal(err)
	}
	return env
}

func TestGet(t *testing.T) {
	alice := sealFor(t, "Alice", contract.AuthenticatedByService)
	bob := sealFor(t, "Bob", contract.AuthenticatedByLink)
	aliceSigned := tokenstore.Request{Key: tokenstore.Key{DocumentID: "3", Signer: "Alice"}, Status: contract.StatusSigned,
		ExecutionARN: runARN("3"), Document: pinned, CompletedAt: t0.Add(time.Second).In(time.FixedZone("CET", 3600)),
		Decision: contract.DecisionSign, JWS: alice.JWS}
	bobPending := tokenstore.Request{Key: tokenstore.Key{DocumentID: "3", Signer: "Bob"}, Status: contract.StatusPending,
		ExecutionARN: runARN("3"), Document: pinned, RequestedAt: t0, ExpiresAt: t0.Add(time.Hour)}
	bobSigned := bobPending
	bobSigned.Status, bobSigned.CompletedAt, bobSigned.Decision, bobSigned.JWS = contract.StatusSigned, t0.Add(time.Minute), contract.DecisionSign, bob.JWS
	bobDeclined := bobPending
	bobDeclined.Status, bobDeclined.CompletedAt, bobDeclined.Decision, bobDeclined.Reason = contract.StatusDeclined, t0.Add(time.Minute), contract.DecisionDecline, "wrong amount"
	otherMachine := bobSigned
	otherMachine.Signer, otherMachine.ExecutionARN = "Carol", "arn:aws:states:us-east-1:000000000000:execution:OldSigning:3"
	aliceView := docsapi.SignerStatus{Signer: "Alice", Status: contract.StatusSigned, CompletedAt: t0.Add(time.Second), Envelope: &alice}

	tests := []struct {
		name   string
		status sfntypes.ExecutionStatus
		items  []tokenstore.Request
		want   docsapi.DocumentStatus
		json   []string // parts of the raw JSON
	}{
		{name: "just started: nothing pinned yet", status: sfntypes.ExecutionStatusRunning,
			want: docsapi.DocumentStatus{Status: "RUNNING", Signers: []docsapi.SignerStatus{}},
			json: []string{`"document":null`, `"signers":[]`}},
		{name: "running: Alice signed, Bob asked", status: sfntypes.ExecutionStatusRunning, items: []tokenstore.Request{aliceSigned, bobPending},
			want: docsapi.DocumentStatus{Status: "RUNNING", Document: &pinned, Signers: []docsapi.SignerStatus{
				aliceView, {Signer: "Bob", Status: contract.StatusPending}}},
			json: []string{`"completedAt":"2026-11-22T10:00:01Z"`, `{"signer":"Bob","status":"PENDING"}`}},
		{name: "succeeded: both envelopes", status: sfntypes.ExecutionStatusSucceeded, items: []tokenstore.Request{aliceSigned, bobSigned, otherMachine},
			want: docsapi.DocumentStatus{Status: "SUCCEEDED", Document: &pinned, Signers: []docsapi.SignerStatus{
				aliceView, {Signer: "Bob", Status: contract.StatusSigned, CompletedAt: t0.Add(time.Minute), Envelope: &bob}}},
			json: []string{`"envelope":{"signer":"Bob","statement":{"documentId":"3"`, `"authenticatedBy":"link"`}},
		{name: "declined", status: sfntypes.ExecutionStatusFailed, items: []tokenstore.Request{aliceSigned, bobDeclined},
			want: docsapi.DocumentStatus{Status: "FAILED", Document: &pinned, Signers: []docsapi.SignerStatus{
				aliceView, {Signer: "Bob", Status: contract.StatusDeclined, CompletedAt: t0.Add(time.Minute), Reason: "wrong amount"}}},
			json: []string{`"reason":"wrong amount"`}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			f := newFake()
			f.setRun("3", tt.status)
			f.items["3"] = tt.items
			h, _ := newHandler(t, f)
			res, err := h.Handle(t.Context(), get("3"))
			if err != nil || res.StatusCode != 200 {
				t.Fatalf("GET = %d %s, %v; want 200", res.StatusCode, res.Body, err)
			}
			var got docsapi.DocumentStatus
			if err := json.Unmarshal([]byte(res.Body), &got); err != nil {
				t.Fatal(err)
			}
			tt.want.DocumentID, tt.want.ExecutionARN = "3", runARN("3")
			if !reflect.DeepEqual(got, tt.want) {
				t.Errorf("GET answered\n%s\nwant %+v", res.Body, tt.want)
			}
			for _, part := range tt.json {
				if !strings.Contains(res.Body, part) {
					t.Errorf("body %s lacks %s", res.Body, part)
				}
			}
			for _, secret := range []string{"taskToken", "codeHash", "expiresAt", "requestedAt"} {
				if strings.Contains(res.Body, secret) {
					t.Errorf("body shows %s: %s", secret, res.Body)
				}
			}
			if w := f.writes(); len(w) != 0 {
				t.Errorf("GET wrote %v", w)
			}
		})
	}
}

// TestGetUnreadableSignature: a stored JWS that cannot be opened leaves the
// envelope out, answers the rest and says so in the log.
func TestGetUnreadableSignature(t *testing.T) {
	f := newFake()
	f.setRun("3", sfntypes.ExecutionStatusSucceeded)
	f.items["3"] = []tokenstore.Request{{Key: tokenstore.Key{DocumentID: "3", Signer: "Alice"}, Status: contract.StatusSigned,
		ExecutionARN: runARN("3"), Document: pinned, JWS: "not.a.jws"}}
	h, logs := newHandler(t, f)
	res, err := h.Handle(t.Context(), get("3"))
	if err != nil || res.StatusCode != 200 || strings.Contains(res.Body, "envelope") || !strings.Contains(res.Body, `"signer":"Alice","status":"SIGNED"`) {
		t.Errorf("GET = %d %s, %v; want 200 with Alice SIGNED and no envelope", res.StatusCode, res.Body, err)
	}
	if line := logLine(t, logs); line["level"] != "WARN" || !strings.Contains(line["error"].(string), "Alice") {
		t.Errorf("log line %v, want a warning naming Alice's signature", line)
	}
}
