package main

import (
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/hitl-go/docsign/internal/contract"
	"github.com/hitl-go/docsign/internal/dynalite/dynalitetest"
	"github.com/hitl-go/docsign/internal/tokenstore"
	"github.com/hitl-go/docsign/internal/tokenstore/tokenstoretest"
)

// pinnedJSON is the pinned document of every valid event.
const pinnedJSON = `{"bucket":"docs","key":"documents/3","versionId":"v1","sha256":"2cf24dba5fb0a30e26e83b2ac5b9e29e1b161e5c1fa7425e73043362938b9824"}`

// abuseToken is the task token of every event in the matrix; no error may show it.
const abuseToken = "secret-token-abuse-AQCEAAAAKgAAAAMAAAAAAAAAAf+example=="

// abuseEvent renders an event from the valid one, each override a field name
// and its raw JSON value ("-" leaves the field out), in the valid field order.
func abuseEvent(started time.Time, overrides ...string) string {
	fields := [][2]string{
		{"taskToken", strconv.Quote(abuseToken)}, {"documentId", `"3"`}, {"document", pinnedJSON}, {"signer", `"Bob"`},
		{"executionArn", strconv.Quote(execARN)}, {"startedAt", strconv.Quote(started.Format(time.RFC3339Nano))},
		{"timeoutSeconds", "3600"},
	}
	for i := 0; i+1 < len(overrides); i += 2 {
		for j := range fields {
			if fields[j][0] == overrides[i] {
				fields[j][1] = overrides[i+1]
			}
		}
	}
	var b strings.Builder
	for _, f := range fields {
		if f[1] == "-" {
			continue
		}
		if b.Len() > 0 {
			b.WriteByte(',')
		}
		b.WriteString(strconv.Quote(f[0]) + ":" + f[1])
	}
	return "{" + b.String() + "}"
}

// TestHandleBadInputMatrix runs bad events against the real token store on
// dynalite: each is refused with the contract's errorType and a message
// naming the problem, never showing the token, and leaves the table exactly
// as it was.
func TestHandleBadInputMatrix(t *testing.T) {
	db := dynalitetest.Client(dynalitetest.Start(t))
	table := tokenstoretest.NewTable(t, db)
	store := tokenstore.New(db, table)
	started := time.Now().UTC().Truncate(time.Millisecond)
	seedAbuseTable(t, store, started)
	before := tokenstoretest.Items(t, db, table)

	const kib = 1024
	ev := func(overrides ...string) string { return abuseEvent(started, overrides...) }
	q := strconv.Quote
	long := func(n int) string { return strings.Repeat("x", n) }
	tests := []struct{ name, payload, wantType, wantMsg string }{
		{"empty", ``, "InvalidInput", "empty event"},
		{"null", `null`, "InvalidInput", "documentId is required"},
		{"array", `[` + ev() + `]`, "InvalidInput", "cannot unmarshal array"},
		{"truncated", ev()[:40], "InvalidInput", "unexpected EOF"},
		{"trailing brace", ev() + `}`, "InvalidInput", "data after the JSON object"},
		{"unknown field", strings.Replace(ev(), `{`, `{"deadline":5,`, 1), "InvalidInput", `unknown field "deadline"`},
		{"deep nesting", strings.Repeat("[", 10001), "InvalidInput", "exceeded max depth"},
		{"duplicate taskToken, the last empty", strings.TrimSuffix(ev(), "}") + `,"taskToken":""}`, "InvalidInput", `key "taskToken" is given twice`},
		{"taskToken in other case", strings.TrimSuffix(ev(), "}") + `,"TaskToken":"x"}`, "InvalidInput", `unknown field "TaskToken"`},
		{"taskToken missing", ev("taskToken", "-"), "InvalidInput", "taskToken must be"},
		{"document missing", ev("document", "-"), "InvalidInput", "document must name its bucket"},
		{"document of another id", ev("document", strings.Replace(pinnedJSON, "documents/3", "documents/4", 1)), "InvalidInput", "document key must be documents/3"},
		{"document without a version", ev("document", strings.Replace(pinnedJSON, `"v1"`, `""`, 1)), "InvalidInput", "versionId"},
		{"document sha256 in capitals", ev("document", strings.Replace(pinnedJSON, "2cf24dba", "2CF24DBA", 1)), "InvalidInput", "sha256 must be 64 lowercase hex digits"},
		{"document with an unknown field", ev("document", strings.Replace(pinnedJSON, "{", `{"etag":"x",`, 1)), "InvalidInput", "unknown field"},
		{"taskToken a number", ev("taskToken", "42"), "InvalidInput", "taskToken"},
		{"taskToken of 2049 characters", ev("taskToken", q(long(2049))), "InvalidInput", "taskToken must be"},
		{"taskToken of 300 KiB", ev("taskToken", q(abuseToken+long(300*kib))), "InvalidInput", "taskToken must be"},
		{"documentId missing", ev("documentId", "-"), "InvalidInput", "documentId is required"},
		{"documentId with a slash", ev("documentId", `"a/b"`), "InvalidInput", "documentId must be"},
		{"documentId with a hash", ev("documentId", `"a#b"`), "InvalidInput", "documentId must be"},
		{"documentId with a space", ev("documentId", `"a b"`), "InvalidInput", "documentId must be"},
		{"documentId of 81 characters", ev("documentId", q(strings.Repeat("d", 81))), "InvalidInput", "documentId must be"},
		{"documentId with a Cyrillic a", ev("documentId", "\"\u0430bc\""), "InvalidInput", "documentId must be"},
		{"documentId with a NUL", ev("documentId", `"3\u0000"`), "InvalidInput", "documentId must be"},
		{"documentId with invalid UTF-8", ev("documentId", "\"3\xff\""), "InvalidInput", "documentId must be"},
		{"signer missing", ev("signer", "-"), "InvalidInput", "signer is required"},
		{"signer of 81 bytes", ev("signer", q(strings.Repeat("s", 81))), "InvalidInput", "signer is longer"},
		{"signer with a bell", ev("signer", `"Bob\u0007"`), "InvalidInput", "control or invalid character"},
		{"signer with invalid UTF-8", ev("signer", "\"B\xffb\""), "InvalidInput", "control or invalid character"},
		{"executionArn missing", ev("executionArn", "-"), "InvalidInput", "executionArn must be an ARN"},
		{"executionArn not an ARN", ev("executionArn", `"run-3"`), "InvalidInput", "executionArn must be an ARN"},
		{"executionArn of 2049 characters", ev("executionArn", q("arn:"+long(2045))), "InvalidInput", "executionArn must be an ARN"},
		{"executionArn a number", ev("executionArn", "3"), "InvalidInput", "executionArn"},
		{"startedAt missing", ev("startedAt", "-"), "InvalidInput", "startedAt must be"},
		{"startedAt in words", ev("startedAt", `"yesterday"`), "InvalidInput", "startedAt must be"},
		{"startedAt without a zone", ev("startedAt", `"2026-11-22 12:00:00"`), "InvalidInput", "startedAt must be"},
		{"startedAt in epoch seconds", ev("startedAt", "1795348800"), "InvalidInput", "startedAt"},
		{"timeoutSeconds missing", ev("timeoutSeconds", "-"), "InvalidInput", "timeoutSeconds must be"},
		{"timeoutSeconds zero", ev("timeoutSeconds", "0"), "InvalidInput", "timeoutSeconds must be"},
		{"timeoutSeconds negative", ev("timeoutSeconds", "-90"), "InvalidInput", "timeoutSeconds must be"},
		{"timeoutSeconds a fraction", ev("timeoutSeconds", "1.5"), "InvalidInput", "timeoutSeconds"},
		{"timeoutSeconds a string", ev("timeoutSeconds", `"90"`), "InvalidInput", "timeoutSeconds"},
		{"timeoutSeconds overflowing a Duration", ev("timeoutSeconds", "9300000000"), "InvalidInput", "timeoutSeconds must be"},
		{"timeoutSeconds beyond int64", ev("timeoutSeconds", "1e30"), "InvalidInput", "timeoutSeconds"},
		{"pending for another run", ev("executionArn", q(execARN+"-other")), "SignatureRequestConflict", "pending for another run"},
		{"already signed", ev("documentId", `"signed"`, "document", strings.Replace(pinnedJSON, "documents/3", "documents/signed", 1)), "SignatureRequestConflict", "already SIGNED"},
		{"being completed", ev("documentId", `"claimed"`, "document", strings.Replace(pinnedJSON, "documents/3", "documents/claimed", 1)), "SignatureServiceUnavailable", "in progress"},
	}
	h := NewHandler(store, &fakeNotifier{})
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := h.Handle(t.Context(), []byte(tt.payload))
			if got := errorType(err); got != tt.wantType {
				t.Fatalf("Handle(%.100q) = %v (%s), want %s", tt.payload, err, got, tt.wantType)
			}
			if msg := err.Error(); !strings.Contains(msg, tt.wantMsg) || strings.Contains(msg, "secret-token") {
				t.Errorf("message %.200q: want it to name %q and not show the token", msg, tt.wantMsg)
			}
			tokenstoretest.Unchanged(t, db, table, before, abuseToken)
		})
	}
}

// seedAbuseTable stores a pending request (3/Bob), a signed one and one a
// completion holds.
func seedAbuseTable(t *testing.T, store *tokenstore.Store, started time.Time) {
	t.Helper()
	now := time.Now()
	for _, doc := range []string{"3", "signed", "claimed"} {
		r := tokenstore.Request{Key: tokenstore.Key{DocumentID: doc, Signer: "Bob"}, TaskToken: abuseToken,
			ExecutionARN: execARN, RequestedAt: now, ExpiresAt: tokenstore.RoundUp(started.Add(time.Hour))}
		if err := store.Put(t.Context(), r, now); err != nil {
			t.Fatalf("Put(%s): %v", doc, err)
		}
	}
	for _, doc := range []string{"signed", "claimed"} {
		k := tokenstore.Key{DocumentID: doc, Signer: "Bob"}
		if _, err := store.Claim(t.Context(), k, "seed-"+doc, now, time.Hour, ""); err != nil {
			t.Fatalf("Claim(%s): %v", doc, err)
		}
	}
	k := tokenstore.Key{DocumentID: "signed", Signer: "Bob"}
	if err := store.Finish(t.Context(), k, "seed-signed", tokenstore.Outcome{Status: contract.StatusSigned, Decision: "sign", At: now}); err != nil {
		t.Fatalf("Finish: %v", err)
	}
}
