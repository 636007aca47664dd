package dynamodb

import (
	"encoding/json"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
)

func TestRefusal(t *testing.T) {
	nest := func(containers int) string {
		v := `{"S":"x"}`
		for range containers {
			v = `{"L":[` + v + `]}`
		}
		return `{"TableName":"t","Item":{"k":{"S":"a"},"v":` + v + `}}`
	}
	tests := []struct {
		name, body string
		wantType   string // "" when the body goes on to dynalite
		wantIn     string
	}{
		{"ordinary request", `{"TableName":"t","Key":{"k":{"S":"a"}}}`, "", ""},
		{"not JSON, for dynalite to refuse", `{"TableName":`, "", ""},
		{"a string holding null", `{"TableName":"t","Key":{"k":{"S":"null"}}}`, "", ""},
		{"DynamoDB's own NULL", `{"TableName":"t","Item":{"k":{"S":"a"},"n":{"NULL":true}}}`, "", ""},
		{"null top-level member means absent", `{"TableName":"t","Key":{"k":{"S":"a"}},"ExpressionAttributeValues":null}`, "", ""},
		{"null body", `null`, "SerializationException", "the request body"},
		{"null attribute", `{"TableName":"t","Item":{"k":null}}`, "SerializationException", "Item.k"},
		{"null deep in a list", `{"TableName":"t","Item":{"k":{"L":[{"S":"a"},null]}}}`, "SerializationException", "Item.k.L[1]"},
		{"32 maps and lists nested", nest(32), "", ""},
		{"33 maps and lists nested", nest(33), "ValidationException", "33 maps and lists"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			typ, msg := refusal([]byte(tt.body))
			if tt.wantType == "" {
				if typ != "" {
					t.Errorf("refused with %s %q, want passed on", typ, msg)
				}
				return
			}
			if !strings.HasSuffix(typ, "#"+tt.wantType) || !strings.Contains(msg, tt.wantIn) {
				t.Errorf("got %s %q, want %s naming %q", typ, msg, tt.wantType, tt.wantIn)
			}
		})
	}
}

func TestGuardRefusesWithoutForwarding(t *testing.T) {
	forwarded := 0
	h := guard(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) { forwarded++ }))
	for _, tt := range []struct {
		name, body string
		wantCode   int
	}{
		{"nested null", `{"TableName":"t","Item":{"k":null}}`, http.StatusBadRequest},
		{"over 16 MiB", `{"TableName":"` + strings.Repeat("t", maxRequestBytes) + `"}`, http.StatusRequestEntityTooLarge},
	} {
		rec := httptest.NewRecorder()
		h.ServeHTTP(rec, httptest.NewRequest(http.MethodPost, "/", strings.NewReader(tt.body)))
		var e apiError
		if err := json.Unmarshal(rec.Body.Bytes(), &e); err != nil || rec.Code != tt.wantCode || e.message() == "" {
			t.Errorf("%s: %d %s, want %d with a DynamoDB error body", tt.name, rec.Code, rec.Body, tt.wantCode)
		}
	}
	if forwarded != 0 {
		t.Errorf("%d refused requests reached dynalite", forwarded)
	}
}

func FuzzRefusal(f *testing.F) {
	for _, seed := range []string{`null`, `{"Item":{"a":{"M":{"b":null}}}}`, `{"Item":{"a":{"L":[{"L":[]}]}}}`, `{"TableName":"t"}`} {
		f.Add(seed)
	}
	f.Fuzz(func(t *testing.T, body string) {
		typ, msg := refusal([]byte(body))
		if typ != "" && (msg == "" || !json.Valid([]byte(body))) {
			t.Errorf("refused %q as %s %q: only valid JSON is refused, with a message", body, typ, msg)
		}
	})
}
