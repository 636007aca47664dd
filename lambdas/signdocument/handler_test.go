package main

import (
	"encoding/json"
	"os"
	"reflect"
	"testing"
	"time"

	"github.com/hitl-go/docsign/internal/signature"
)

var now = time.Date(2026, 11, 22, 12, 0, 0, 500_000_000, time.FixedZone("CET", 3600))

func TestHandleSigns(t *testing.T) {
	payload, err := os.ReadFile("testdata/alice.json")
	if err != nil {
		t.Fatal(err)
	}
	h := &Handler{now: func() time.Time { return now }}
	got, err := h.Handle(t.Context(), payload)
	if err != nil {
		t.Fatal(err)
	}
	want := signature.New("3", "Alice", now)
	if got != want || got.SignedAt != "2026-11-22T11:00:00Z" {
		t.Errorf("Handle = %+v, want %+v signed at 2026-11-22T11:00:00Z", got, want)
	}
	b, _ := json.Marshal(got)
	var fields map[string]any
	json.Unmarshal(b, &fields)
	if len(fields) != 4 || fields["documentId"] != "3" || fields["signer"] != "Alice" || fields["signature"] == "" {
		t.Errorf("output JSON = %s, want exactly documentId, signer, signature, signedAt", b)
	}
}

func TestHandleRejectsInvalidInput(t *testing.T) {
	h := NewHandler()
	for _, payload := range []string{
		``, `{`, `[]`, `{"documentId":"3"}`, `{"signer":"Alice"}`, `{"documentId":"3 ","signer":"Alice"}`,
		`{"documentId":"3","signer":"Alice","extra":1}`, `{"documentId":3,"signer":"Alice"}`,
	} {
		_, err := h.Handle(t.Context(), json.RawMessage(payload))
		if err == nil || reflect.TypeOf(err).Elem().Name() != "InvalidInput" {
			t.Errorf("Handle(%s) = %v, want InvalidInput", payload, err)
		}
	}
}
