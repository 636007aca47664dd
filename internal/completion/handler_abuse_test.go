package completion

import (
	"context"
	"fmt"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/service/sfn"

	"github.com/hitl-go/docsign/internal/contract"
	"github.com/hitl-go/docsign/internal/dynalite/dynalitetest"
	"github.com/hitl-go/docsign/internal/tokenstore"
	"github.com/hitl-go/docsign/internal/tokenstore/tokenstoretest"
)

// recordingSFN counts every Step Functions call and refuses it.
type recordingSFN struct{ calls atomic.Int64 }

var errRecorded = fmt.Errorf("recordingSFN: no Step Functions call was expected")

func (r *recordingSFN) SendTaskSuccess(context.Context, *sfn.SendTaskSuccessInput, ...func(*sfn.Options)) (*sfn.SendTaskSuccessOutput, error) {
	r.calls.Add(1)
	return nil, errRecorded
}

func (r *recordingSFN) SendTaskFailure(context.Context, *sfn.SendTaskFailureInput, ...func(*sfn.Options)) (*sfn.SendTaskFailureOutput, error) {
	r.calls.Add(1)
	return nil, errRecorded
}

func (r *recordingSFN) DescribeExecution(context.Context, *sfn.DescribeExecutionInput, ...func(*sfn.Options)) (*sfn.DescribeExecutionOutput, error) {
	r.calls.Add(1)
	return nil, errRecorded
}

func (r *recordingSFN) GetExecutionHistory(context.Context, *sfn.GetExecutionHistoryInput, ...func(*sfn.Options)) (*sfn.GetExecutionHistoryOutput, error) {
	r.calls.Add(1)
	return nil, errRecorded
}

// TestHandleBadInputMatrix runs bad events against the real token store on
// dynalite: each is refused with the contract's errorType and a message
// naming the problem, never showing the token, with no Step Functions call,
// and leaves the table exactly as it was.
func TestHandleBadInputMatrix(t *testing.T) {
	db := dynalitetest.Client(dynalitetest.Start(t))
	table := tokenstoretest.NewTable(t, db)
	store := tokenstore.New(db, table)
	seedCompletionTable(t, store)
	before := tokenstoretest.Items(t, db, table)

	const kib = 1024
	long := strings.Repeat
	tests := []struct{ name, payload, wantType, wantMsg string }{
		{"empty", ``, "InvalidInput", "empty event"},
		{"whitespace", "\r\n", "InvalidInput", "empty event"},
		{"null", `null`, "InvalidInput", "documentId is required"},
		{"array", `[{"documentId":"3"}]`, "InvalidInput", "cannot unmarshal array"},
		{"string", `"3"`, "InvalidInput", "cannot unmarshal string"},
		{"truncated", `{"documentId":"3`, "InvalidInput", "unexpected EOF"},
		{"trailing brace", `{"documentId":"3"}}`, "InvalidInput", "data after the JSON object"},
		{"second event", `{"documentId":"3"}{"documentId":"3"}`, "InvalidInput", "data after the JSON object"},
		{"unknown field", `{"documentId":"3","taskToken":"x"}`, "InvalidInput", `unknown field "taskToken"`},
		{"deep nesting", long("[", 10001), "InvalidInput", "exceeded max depth"},
		{"deep nesting in reason", `{"documentId":"3","decision":"decline","reason":` + long("[", 10001) + `}`, "InvalidInput", "exceeded max depth"},
		{"documentId missing", `{"signer":"Bob"}`, "InvalidInput", "documentId is required"},
		{"documentId a number", `{"documentId":3}`, "InvalidInput", "documentId"},
		{"documentId true", `{"documentId":true}`, "InvalidInput", "documentId"},
		{"documentId with a slash", `{"documentId":"3/Bob"}`, "InvalidInput", "documentId must be"},
		{"documentId with a hash", `{"documentId":"3#Bob"}`, "InvalidInput", "documentId must be"},
		{"documentId with a space", `{"documentId":"3 "}`, "InvalidInput", "documentId must be"},
		{"documentId of 81 characters", `{"documentId":"` + long("d", 81) + `"}`, "InvalidInput", "documentId must be"},
		{"documentId of 300 KiB", `{"documentId":"` + long("d", 300*kib) + `"}`, "InvalidInput", "documentId must be"},
		{"documentId with a Cyrillic a", "{\"documentId\":\"\u0430\"}", "InvalidInput", "documentId must be"},
		{"documentId with a tab", `{"documentId":"3\t"}`, "InvalidInput", "documentId must be"},
		{"documentId with invalid UTF-8", "{\"documentId\":\"3\xc0\"}", "InvalidInput", "documentId must be"},
		{"documentId with a raw control character", "{\"documentId\":\"3\x01\"}", "InvalidInput", "invalid character"},
		{"signer with a Cyrillic o", "{\"documentId\":\"3\",\"signer\":\"B\u043eb\"}", "InvalidInput", "not a callback signer"},
		{"auto signer", `{"documentId":"3","signer":"Alice"}`, "InvalidInput", "not a callback signer"},
		{"signer in lower case", `{"documentId":"3","signer":"bob"}`, "InvalidInput", "not a callback signer"},
		{"signer with a trailing space", `{"documentId":"3","signer":"Bob "}`, "InvalidInput", "not a callback signer"},
		{"signer with a newline", `{"documentId":"3","signer":"Bob\n"}`, "InvalidInput", "not a callback signer"},
		{"signer a list", `{"documentId":"3","signer":["Bob"]}`, "InvalidInput", "signer"},
		{"decision unknown", `{"documentId":"3","decision":"approve"}`, "InvalidInput", "decision must be"},
		{"decision capitalised", `{"documentId":"3","decision":"Sign"}`, "InvalidInput", "decision must be"},
		{"decision a boolean", `{"documentId":"3","decision":true}`, "InvalidInput", "decision"},
		{"reason with sign", `{"documentId":"3","reason":"looks fine"}`, "InvalidInput", "a reason goes with decision"},
		{"reason of 1001 characters", `{"documentId":"3","decision":"decline","reason":"` + long("é", 1001) + `"}`, "InvalidInput", "reason is longer than 1000"},
		{"reason of 300 KiB", `{"documentId":"3","decision":"decline","reason":"` + long("r", 300*kib) + `"}`, "InvalidInput", "reason is longer than 1000"},
		{"duplicate documentId, the last bad", `{"documentId":"3","documentId":"3/Bob"}`, "InvalidInput", `key "documentId" is given twice`},
		{"duplicate decision, the last bad", `{"documentId":"3","decision":"sign","decision":"maybe"}`, "InvalidInput", `key "decision" is given twice`},
		{"never requested", `{"documentId":"never-requested"}`, "SignatureRequestNotFound", "no signature request"},
		{"other callback signer", `{"documentId":"3","signer":"Carol"}`, "SignatureRequestNotFound", "no signature request"},
		{"already signed", `{"documentId":"signed"}`, "SignatureAlreadyCompleted", "already SIGNED"},
		{"decline after signing", `{"documentId":"signed","decision":"decline"}`, "SignatureAlreadyCompleted", "already SIGNED"},
		{"being completed", `{"documentId":"claimed"}`, "SignatureServiceUnavailable", "being completed by another call"},
	}
	rec := &recordingSFN{}
	h := NewHandler(store, rec, fakeSealer{}, Config{CallbackSigners: []string{"Bob", "Carol"}, Lease: lease})
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := h.Handle(t.Context(), []byte(tt.payload))
			if got := errorType(err); got != tt.wantType {
				t.Fatalf("Handle(%.100q) = %v (%s), want %s", tt.payload, err, got, tt.wantType)
			}
			if msg := err.Error(); !strings.Contains(msg, tt.wantMsg) || strings.Contains(msg, "secret-token") {
				t.Errorf("message %.200q: want it to name %q and not show the token", msg, tt.wantMsg)
			}
			if n := rec.calls.Swap(0); n != 0 {
				t.Errorf("%d Step Functions calls, want none", n)
			}
			tokenstoretest.Unchanged(t, db, table, before, token)
		})
	}
}

// seedCompletionTable stores a pending request (3/Bob), a signed one and one
// another completion holds.
func seedCompletionTable(t *testing.T, store *tokenstore.Store) {
	t.Helper()
	now := time.Now()
	for _, doc := range []string{"3", "signed", "claimed"} {
		r := *pendingRequest()
		r.DocumentID, r.RequestedAt, r.ExpiresAt = doc, now, now.Add(time.Hour)
		if err := store.Put(t.Context(), r, now); err != nil {
			t.Fatalf("Put(%s): %v", doc, err)
		}
	}
	for _, doc := range []string{"signed", "claimed"} {
		if _, err := store.Claim(t.Context(), tokenstore.Key{DocumentID: doc, Signer: "Bob"}, "seed-"+doc, now, time.Hour, ""); err != nil {
			t.Fatalf("Claim(%s): %v", doc, err)
		}
	}
	done := tokenstore.Outcome{Status: contract.StatusSigned, Decision: contract.DecisionSign, At: now}
	if err := store.Finish(t.Context(), tokenstore.Key{DocumentID: "signed", Signer: "Bob"}, "seed-signed", done); err != nil {
		t.Fatalf("Finish: %v", err)
	}
}
