package main

import (
	"encoding/json"
	"errors"
	"os"
	"reflect"
	"testing"

	"github.com/hitl-go/docsign/internal/contract"
	"github.com/hitl-go/docsign/internal/fault"
	"github.com/hitl-go/docsign/internal/signature"
	"github.com/hitl-go/docsign/internal/tokenstore"
)

func TestHandleSignsAndRecords(t *testing.T) {
	payload, err := os.ReadFile("testdata/alice.json")
	if err != nil {
		t.Fatal(err)
	}
	store := &fakeStore{}
	got, err := NewHandler(fakeSealer{}, store).Handle(t.Context(), payload)
	if err != nil {
		t.Fatal(err)
	}
	want := signature.Statement{DocumentID: "3", Document: pinned, Signer: "Alice", Decision: contract.DecisionSign,
		SignedAt: "2026-11-22T12:00:00Z", ExecutionARN: execARN, AuthenticatedBy: contract.AuthenticatedByService}
	if got.Signer != "Alice" || got.Statement != want || got.JWS == "" {
		t.Errorf("Handle = %+v, want Alice's envelope of %+v", got, want)
	}
	b, _ := json.Marshal(got)
	var fields map[string]any
	json.Unmarshal(b, &fields)
	if len(fields) != 3 || fields["signer"] != "Alice" || fields["jws"] != got.JWS {
		t.Errorf("output JSON = %s, want exactly signer, statement, jws", b)
	}
	wantRecord := tokenstore.Request{Key: tokenstore.Key{DocumentID: "3", Signer: "Alice"}, ExecutionARN: execARN,
		Document: pinned, CompletedAt: at, Decision: contract.DecisionSign, JWS: got.JWS}
	if len(store.records) != 1 || !reflect.DeepEqual(store.records[0], wantRecord) {
		t.Errorf("recorded %+v, want %+v", store.records, wantRecord)
	}
}

func TestHandleFailures(t *testing.T) {
	payload, _ := os.ReadFile("testdata/alice.json")
	tests := []struct {
		name      string
		sealErr   error
		recordErr error
		wantType  string
	}{
		{"document changed", fault.Changed("gone"), nil, contract.ErrorDocumentChanged},
		{"KMS down", fault.Unavailable("kms"), nil, contract.ErrorSignatureServiceUnavailable},
		{"another run's signature holds the place", nil, &tokenstore.StateError{Op: "record",
			Current: tokenstore.Request{Status: contract.StatusSigned, ExecutionARN: execARN + "-old"}}, contract.ErrorSignatureRequestConflict},
		{"DynamoDB down", nil, errors.New("dynamodb: 500"), contract.ErrorSignatureServiceUnavailable},
	}
	for _, tt := range tests {
		got, err := NewHandler(fakeSealer{err: tt.sealErr}, &fakeStore{err: tt.recordErr}).Handle(t.Context(), payload)
		if err == nil || reflect.TypeOf(err).Elem().Name() != tt.wantType || got != (signature.Envelope{}) {
			t.Errorf("%s: Handle = %+v, %v; want errorType %s and no output", tt.name, got, err, tt.wantType)
		}
	}
}
