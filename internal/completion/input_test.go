package completion

import (
	"encoding/json"
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"testing"
	"time"
)

func TestParseValidInput(t *testing.T) {
	tests := []struct {
		file string
		want Input
	}{
		{"sign.json", Input{DocumentID: "3", Signer: "Bob", Decision: "sign"}},
		{"decline.json", Input{DocumentID: "3", Signer: "Bob", Decision: "decline", Reason: "The amount on page 2 is wrong."}},
		{"sign-explicit.json", Input{DocumentID: "invoice-2026_11-v2", Signer: "Carol", Decision: "sign"}},
	}
	h := newTestHandler(&fakeStore{}, &fakeSFN{}, newClock(t0))
	for _, tt := range tests {
		payload, err := os.ReadFile(filepath.Join("testdata", tt.file))
		if err != nil {
			t.Fatal(err)
		}
		got, err := h.parse(payload)
		if err != nil || got != tt.want {
			t.Errorf("parse(%s) = %+v, %v; want %+v", tt.file, got, err, tt.want)
		}
	}
}

func TestDefaultSigner(t *testing.T) {
	tests := []struct {
		signers []string
		want    string // the signer of {"documentId":"3"}, or
		wantErr string // the refusal
	}{
		{signers: []string{"Bob"}, want: "Bob"},
		{signers: []string{"Bob", "Carol"}, want: "Bob"},
		{signers: []string{"Carol"}, want: "Carol"}, // the only callback signer
		{signers: []string{"Carol", "Dave"}, wantErr: `signer "Bob" is not a callback signer`},
	}
	for _, tt := range tests {
		h := NewHandler(&fakeStore{}, &fakeSFN{}, fakeSealer{}, Config{CallbackSigners: tt.signers, Lease: lease})
		in, err := h.parse(json.RawMessage(`{"documentId":"3"}`))
		if tt.wantErr != "" {
			if err == nil || !strings.Contains(err.Error(), tt.wantErr) {
				t.Errorf("callback signers %v: %+v, %v; want an error with %q", tt.signers, in, err, tt.wantErr)
			}
			continue
		}
		if err != nil || in.Signer != tt.want {
			t.Errorf("callback signers %v: signer %q, %v; want %q", tt.signers, in.Signer, err, tt.want)
		}
	}
}

func TestHandleRejectsInvalidInputWithoutTouchingAnything(t *testing.T) {
	tests := []struct{ name, payload string }{
		{"malformed JSON", `{"documentId":`},
		{"not JSON", `sign it`},
		{"empty", ``},
		{"null", `null`},
		{"array", `[{"documentId":"3"}]`},
		{"string", `"3"`},
		{"trailing data", `{"documentId":"3"} {"documentId":"4"}`},
		{"unknown field", `{"documentId":"3","signr":"Bob"}`},
		{"documentId missing", `{"signer":"Bob"}`},
		{"documentId a number", `{"documentId":3}`},
		{"documentId with a space", `{"documentId":"3 4"}`},
		{"documentId with a slash", `{"documentId":"a/b"}`},
		{"documentId too long", `{"documentId":"` + strings.Repeat("d", 81) + `"}`},
		{"unknown signer", `{"documentId":"3","signer":"Mallory"}`},
		{"auto signer", `{"documentId":"3","signer":"Alice"}`},
		{"signer in other case", `{"documentId":"3","signer":"bob"}`},
		{"unknown decision", `{"documentId":"3","decision":"approve"}`},
		{"decision in other case", `{"documentId":"3","decision":"Decline"}`},
		{"reason with sign", `{"documentId":"3","reason":"fine"}`},
		{"reason too long", `{"documentId":"3","decision":"decline","reason":"` + strings.Repeat("r", 1001) + `"}`},
		{"reason too long in characters", `{"documentId":"3","decision":"decline","reason":"` + strings.Repeat("é", 1001) + `"}`},
		{"keys in other case", `{"DOCUMENTID":"3","DECISION":"decline"}`},
		{"key in other case beside the right one", `{"documentId":"3","Decision":"decline"}`},
		{"duplicate key (the last would win)", `{"documentId":"3","decision":"sign","decision":"decline"}`},
		{"reason with terminal escapes", `{"documentId":"3","decision":"decline","reason":"\u001b]0;pwned\u0007\u001b[2J"}`},
		{"reason with a newline", `{"documentId":"3","decision":"decline","reason":"a\nb"}`},
		{"reason with a format character", `{"documentId":"3","decision":"decline","reason":"fine\u202etxt.exe"}`},
		{"reason with invalid UTF-8", "{\"documentId\":\"3\",\"decision\":\"decline\",\"reason\":\"a\xffb\"}"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			store := &fakeStore{req: pendingRequest()}
			sfn := &fakeSFN{token: token}
			got, err := newTestHandler(store, sfn, newClock(t0)).Handle(t.Context(), json.RawMessage(tt.payload))
			if errorType(err) != "InvalidInput" {
				t.Errorf("Handle(%.60s) = %+v, %v; want errorType InvalidInput", tt.payload, got, err)
			}
			if _, calls := sfn.counts(); store.calls != 0 || calls != 0 {
				t.Errorf("store calls %d, Step Functions calls %d; want none", store.calls, calls)
			}
		})
	}
	// At the limits: accepted.
	store := &fakeStore{req: pendingRequest()}
	limit := `{"documentId":"3","decision":"decline","reason":"` + strings.Repeat("é", 1000) + `"}`
	if _, err := newTestHandler(store, &fakeSFN{token: token}, newClock(t0)).Handle(t.Context(), json.RawMessage(limit)); err != nil {
		t.Errorf("1000-character reason: %v, want accepted", err)
	}
}

func TestLoadConfig(t *testing.T) {
	env := func(kv ...string) func(string) string {
		m := map[string]string{}
		for i := 0; i < len(kv); i += 2 {
			m[kv[i]] = kv[i+1]
		}
		return func(k string) string { return m[k] }
	}
	tests := []struct {
		name    string
		getenv  func(string) string
		want    Config
		wantErr bool
	}{
		{"all set", env("TABLE_NAME", "t", "CALLBACK_SIGNERS", " Bob, Carol ,", "CLAIM_LEASE_SECONDS", "45"),
			Config{"t", []string{"Bob", "Carol"}, 45 * time.Second}, false},
		{"lease missing: no default to drift from the stack", env("TABLE_NAME", "t", "CALLBACK_SIGNERS", "Bob"), Config{}, true},
		{"no callback signers (auto signers only)", env("TABLE_NAME", "t", "CLAIM_LEASE_SECONDS", "45"),
			Config{"t", nil, 45 * time.Second}, false},
		{"no table", env("CALLBACK_SIGNERS", "Bob"), Config{}, true},
		{"lease with a unit", env("TABLE_NAME", "t", "CLAIM_LEASE_SECONDS", "30s"), Config{}, true},
		{"lease zero", env("TABLE_NAME", "t", "CLAIM_LEASE_SECONDS", "0"), Config{}, true},
		{"lease negative", env("TABLE_NAME", "t", "CLAIM_LEASE_SECONDS", "-1"), Config{}, true},
		{"signer with a control character", env("TABLE_NAME", "t", "CALLBACK_SIGNERS", "Bob\x01"), Config{}, true},
	}
	for _, tt := range tests {
		got, err := LoadConfig(tt.getenv)
		if (err != nil) != tt.wantErr || !reflect.DeepEqual(got, tt.want) {
			t.Errorf("%s: LoadConfig = %+v, %v; want %+v (error: %t)", tt.name, got, err, tt.want, tt.wantErr)
		}
	}
}
