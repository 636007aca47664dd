package main

import (
	"strings"
	"testing"

	"github.com/hitl-go/docsign/internal/fault"
	"github.com/hitl-go/docsign/internal/signature"
)

// TestHandleBadInputMatrix: every malformed event is refused with the
// *fault.InvalidInput itself, a message naming the problem, and no output.
func TestHandleBadInputMatrix(t *testing.T) {
	const kib = 1024
	ev := func(doc, signer string) string {
		return `{"documentId":` + doc + `,"document":` + pinnedJSON + `,"signer":` + signer + `,"executionArn":"` + execARN + `"}`
	}
	tests := []struct{ name, payload, wantMsg string }{
		{"empty", ``, "empty event"},
		{"whitespace only", " \n\t", "empty event"},
		{"null", `null`, "documentId is required"},
		{"array", `[{"documentId":"3","signer":"Alice"}]`, "cannot unmarshal array"},
		{"string", `"3"`, "cannot unmarshal string"},
		{"number", `3`, "cannot unmarshal number"},
		{"truncated", `{"documentId":"3"`, "unexpected EOF"},
		{"trailing comma", `{"documentId":"3","signer":"Alice",}`, "invalid character"},
		{"trailing brace", ev(`"3"`, `"Alice"`) + `}`, "data after the JSON object"},
		{"second object", ev(`"3"`, `"Alice"`) + `{}`, "data after the JSON object"},
		{"unknown field", `{"documentId":"3","signer":"Alice","signature":"forged"}`, `unknown field "signature"`},
		{"documentId missing", `{"signer":"Alice"}`, "documentId is required"},
		{"documentId null", ev(`null`, `"Alice"`), "documentId is required"},
		{"documentId empty", ev(`""`, `"Alice"`), "documentId is required"},
		{"documentId a number", ev(`3`, `"Alice"`), "documentId"},
		{"documentId an object", ev(`{"id":"3"}`, `"Alice"`), "documentId"},
		{"documentId with a slash", ev(`"a/b"`, `"Alice"`), "documentId must be"},
		{"documentId with a hash", ev(`"a#b"`, `"Alice"`), "documentId must be"},
		{"documentId with a space", ev(`"a b"`, `"Alice"`), "documentId must be"},
		{"documentId of 81 characters", ev(`"`+strings.Repeat("d", 81)+`"`, `"Alice"`), "documentId must be"},
		{"documentId of 300 KiB", ev(`"`+strings.Repeat("d", 300*kib)+`"`, `"Alice"`), "documentId must be"},
		{"documentId with a Cyrillic a", ev("\"invoic\u0430-3\"", `"Alice"`), "documentId must be"},
		{"documentId with a control character", ev(`"3\u0007"`, `"Alice"`), "documentId must be"},
		{"documentId with invalid UTF-8", ev("\"3\xff\"", `"Alice"`), "documentId must be"},
		{"documentId with a raw newline", ev("\"3\n\"", `"Alice"`), "invalid character"},
		{"signer missing", `{"documentId":"3"}`, "signer is required"},
		{"signer empty", ev(`"3"`, `""`), "signer is required"},
		{"signer a number", ev(`"3"`, `7`), "signer"},
		{"signer an array", ev(`"3"`, `["Alice"]`), "signer"},
		{"signer of 81 bytes", ev(`"3"`, `"`+strings.Repeat("s", 81)+`"`), "signer is longer than 80"},
		{"signer of 41 two-byte characters", ev(`"3"`, `"`+strings.Repeat("é", 41)+`"`), "signer is longer than 80"},
		{"signer with a control character", ev(`"3"`, `"Ali\u0000ce"`), "control or invalid character"},
		{"signer with DEL", ev(`"3"`, `"Alice\u007f"`), "control or invalid character"},
		{"signer with invalid UTF-8", ev(`"3"`, "\"Ali\xc3ce\""), "control or invalid character"},
		{"duplicate documentId, the last bad", `{"documentId":"3","documentId":"a b","signer":"Alice"}`, `key "documentId" is given twice`},
		{"duplicate signer, the last empty", `{"documentId":"3","signer":"Alice","signer":""}`, `key "signer" is given twice`},
		{"signer in other case", `{"documentId":"3","Signer":"Alice"}`, `unknown field "Signer"`},
		{"deep nesting", strings.Repeat("[", 10001), "exceeded max depth"},
		{"deep nesting in a field", ev(`"3"`, strings.Repeat("[", 10001)), "exceeded max depth"},
		{"document missing", `{"documentId":"3","signer":"Alice","executionArn":"` + execARN + `"}`, "document must name its bucket"},
		{"document of another id", ev(`"4"`, `"Alice"`), "document key must be documents/4"},
		{"executionArn missing", `{"documentId":"3","document":` + pinnedJSON + `,"signer":"Alice"}`, "executionArn must be an ARN"},
		{"executionArn with a control character", strings.Replace(ev(`"3"`, `"Alice"`), "DocumentSigning", "Document\\u001bSigning", 1), "executionArn must be an ARN"},
		{"300 KiB of padding", `{"documentId":"3","signer":"Alice","pad":"` + strings.Repeat("p", 300*kib) + `"}`, `unknown field "pad"`},
	}
	var signs int
	store := &fakeStore{}
	h := NewHandler(fakeSealer{calls: &signs}, store)
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := h.Handle(t.Context(), []byte(tt.payload))
			if _, ok := err.(*fault.InvalidInput); !ok {
				t.Fatalf("Handle = %+v, %T %v; want *fault.InvalidInput", got, err, err)
			}
			if msg := err.Error(); !strings.HasPrefix(msg, "invalid input: ") || !strings.Contains(msg, tt.wantMsg) {
				t.Errorf("message %.200q, want one starting \"invalid input: \" and naming %q", msg, tt.wantMsg)
			}
			if got != (signature.Envelope{}) || signs != 0 || len(store.records) != 0 {
				t.Errorf("output %+v, %d signatures, %d records; want none", got, signs, len(store.records))
			}
		})
	}
}
