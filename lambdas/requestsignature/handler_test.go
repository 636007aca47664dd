package main

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"log/slog"
	"os"
	"reflect"
	"strings"
	"testing"
	"time"

	"github.com/hitl-go/docsign/internal/contract"
	"github.com/hitl-go/docsign/internal/dynalite/dynalitetest"
	"github.com/hitl-go/docsign/internal/signature"
	"github.com/hitl-go/docsign/internal/tokenstore"
	"github.com/hitl-go/docsign/internal/tokenstore/tokenstoretest"
)

var now = time.Date(2026, 11, 22, 12, 0, 5, 0, time.UTC)

const execARN = "arn:aws:states:us-east-1:000000000000:execution:DocumentSigningStateMachine:3"

// fakeStore records Put calls and answers err.
type fakeStore struct {
	puts []tokenstore.Request
	err  error
}

func (s *fakeStore) Put(_ context.Context, r tokenstore.Request, _ time.Time) error {
	s.puts = append(s.puts, r)
	return s.err
}

// fakeNotifier records what it was asked to send and answers err.
type fakeNotifier struct {
	sent  []tokenstore.Request
	codes []string
	err   error
}

func (n *fakeNotifier) Notify(_ context.Context, r tokenstore.Request, code string) error {
	n.sent, n.codes = append(n.sent, r), append(n.codes, code)
	return n.err
}

// testCode is the code newTestHandler's handlers issue.
const testCode = "AAECAwQFBgcICQoLDA0ODxAREhMUFRYXGBkaGxwdHh8"

func newTestHandler(store Store, n Notifier) *Handler {
	h := NewHandler(store, n)
	h.now, h.newCode = func() time.Time { return now }, func() string { return testCode }
	return h
}

func fixture(t *testing.T) []byte {
	t.Helper()
	b, err := os.ReadFile("testdata/request.json")
	if err != nil {
		t.Fatal(err)
	}
	return b
}

func errorType(err error) string {
	if err == nil {
		return ""
	}
	return reflect.TypeOf(err).Elem().Name()
}

func TestHandleStoresPendingRequest(t *testing.T) {
	var logs bytes.Buffer
	defer slog.SetDefault(slog.Default())
	slog.SetDefault(slog.New(slog.NewJSONHandler(&logs, nil)))
	store := &fakeStore{}
	h := newTestHandler(store, &fakeNotifier{})
	got, err := h.Handle(t.Context(), fixture(t))
	if !strings.Contains(logs.String(), `"signer":"Bob"`) || strings.Contains(logs.String(), "secret-token") {
		t.Errorf("logs = %s; want the stored request logged without its token", logs.String())
	}
	// startedAt 12:00:00.250 + 90 s, rounded up to the second.
	deadline := time.Date(2026, 11, 22, 12, 1, 31, 0, time.UTC)
	want := Output{DocumentID: "3", Signer: "Bob", Status: contract.StatusPending, ExpiresAt: deadline.Unix()}
	if err != nil || got != want {
		t.Fatalf("Handle = %+v, %v; want %+v", got, err, want)
	}
	wantPut := tokenstore.Request{
		Key:          tokenstore.Key{DocumentID: "3", Signer: "Bob"},
		TaskToken:    "secret-token-AQCEAAAAKgAAAAMAAAAAAAAAAf+example==",
		Status:       contract.StatusPending,
		ExecutionARN: execARN,
		Document: signature.Document{Bucket: "docs", Key: "documents/3", VersionID: "v1",
			SHA256: "2cf24dba5fb0a30e26e83b2ac5b9e29e1b161e5c1fa7425e73043362938b9824"},
		RequestedAt: now,
		ExpiresAt:   deadline,
		CodeHash:    contract.HashCode(testCode),
	}
	if len(store.puts) != 1 || !reflect.DeepEqual(store.puts[0], wantPut) {
		t.Errorf("Put calls = %v, want one of %v", store.puts, wantPut)
	}
	if b, _ := json.Marshal(got); string(b) != `{"documentId":"3","signer":"Bob","status":"PENDING","expiresAt":1795348891}` {
		t.Errorf("output JSON = %s", b)
	}
}

func TestHandleRejectsInvalidInput(t *testing.T) {
	valid := map[string]any{}
	json.Unmarshal(fixture(t), &valid)
	with := func(field string, value any) string {
		m := map[string]any{}
		for k, v := range valid {
			m[k] = v
		}
		if value == nil {
			delete(m, field)
		} else {
			m[field] = value
		}
		b, _ := json.Marshal(m)
		return string(b)
	}
	tests := []struct{ name, payload string }{
		{"malformed JSON", `{"taskToken":`},
		{"unknown field", with("deadline", 5)},
		{"no token", with("taskToken", nil)},
		{"token too long", with("taskToken", strings.Repeat("t", 2049))},
		{"no documentId", with("documentId", nil)},
		{"bad documentId", with("documentId", "a b")},
		{"no signer", with("signer", nil)},
		{"signer with a newline", with("signer", "Bob\n")},
		{"no executionArn", with("executionArn", nil)},
		{"executionArn not an ARN", with("executionArn", "run-3")},
		{"startedAt not a time", with("startedAt", "yesterday")},
		{"no timeoutSeconds", with("timeoutSeconds", nil)},
		{"timeoutSeconds zero", with("timeoutSeconds", 0)},
		{"timeoutSeconds a string", with("timeoutSeconds", "90")},
	}
	for _, tt := range tests {
		store := &fakeStore{}
		h := newTestHandler(store, &fakeNotifier{})
		_, err := h.Handle(t.Context(), json.RawMessage(tt.payload))
		if errorType(err) != "InvalidInput" || len(store.puts) != 0 {
			t.Errorf("%s: Handle = %v, %d Put calls; want InvalidInput and none", tt.name, err, len(store.puts))
		}
		if err != nil && strings.Contains(err.Error(), "secret-token") {
			t.Errorf("%s: error message contains the task token", tt.name)
		}
	}
}

func TestHandleExplainsRefusals(t *testing.T) {
	current := tokenstore.Request{Key: tokenstore.Key{DocumentID: "3", Signer: "Bob"}, ExecutionARN: execARN, Status: contract.StatusPending}
	claimed := current
	claimed.ClaimID, claimed.ClaimExpiresAt = "c1", now.Add(time.Minute)
	otherRun := current
	otherRun.ExecutionARN = execARN + "-other"
	signed := current
	signed.Status = contract.StatusSigned
	tests := []struct {
		name string
		err  error
		want string
	}{
		{"completion in progress", &tokenstore.StateError{Op: "put", Current: claimed, At: now}, "SignatureServiceUnavailable"},
		{"pending for another run", &tokenstore.StateError{Op: "put", Current: otherRun, At: now}, "SignatureRequestConflict"},
		// Another attempt of the same run stored its request in the same
		// millisecond or later: retried, not a conflict that fails the run.
		{"another attempt of this run stored at the same time", &tokenstore.StateError{Op: "put", Current: current, At: now}, "SignatureServiceUnavailable"},
		{"already signed", &tokenstore.StateError{Op: "put", Current: signed, At: now}, "SignatureRequestConflict"},
		{"DynamoDB unavailable", errors.New("operation error DynamoDB: PutItem, 503"), "SignatureServiceUnavailable"},
	}
	for _, tt := range tests {
		h := newTestHandler(&fakeStore{err: tt.err}, &fakeNotifier{})
		if _, err := h.Handle(t.Context(), fixture(t)); errorType(err) != tt.want || strings.Contains(err.Error(), "secret-token") {
			t.Errorf("%s: Handle = %v (%s), want %s without the token", tt.name, err, errorType(err), tt.want)
		}
	}
}

// TestRetriedTaskReplacesToken runs the handler on the real token store.
func TestRetriedTaskReplacesToken(t *testing.T) {
	db := dynalitetest.Client(dynalitetest.Start(t))
	store := tokenstore.New(db, tokenstoretest.NewTable(t, db))
	h := NewHandler(store, &fakeNotifier{})
	first := fixture(t)
	retry := []byte(strings.Replace(string(first), "secret-token-", "secret-token-retry-", 1))
	for _, payload := range [][]byte{first, retry} {
		if _, err := h.Handle(t.Context(), payload); err != nil {
			t.Fatalf("Handle: %v", err)
		}
	}
	k := tokenstore.Key{DocumentID: "3", Signer: "Bob"}
	r, err := store.Get(t.Context(), k)
	if err != nil || !strings.HasPrefix(r.TaskToken, "secret-token-retry-") || r.Status != contract.StatusPending {
		t.Fatalf("stored %v (%v), want PENDING with the retried task's token", r, err)
	}
	// Once completed, the request is an audit record no task may replace.
	claim, err := store.Claim(t.Context(), k, "c1", time.Now(), time.Minute, "")
	if err != nil {
		t.Fatal(err)
	}
	if err := store.Finish(t.Context(), k, claim.ClaimID, tokenstore.Outcome{Status: contract.StatusSigned, Decision: "sign", At: time.Now()}); err != nil {
		t.Fatal(err)
	}
	if _, err := h.Handle(t.Context(), first); errorType(err) != "SignatureRequestConflict" {
		t.Errorf("Handle over a SIGNED request = %v, want SignatureRequestConflict", err)
	}
}
