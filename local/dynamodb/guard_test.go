package dynamodb

import (
	"encoding/json"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"unicode/utf8"
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
		{"33 lists nested, L escaped", strings.ReplaceAll(nest(33), `"L"`, `"\u004c"`), "ValidationException", "33 maps and lists"},
		{"brackets in a string", `{"TableName":"t","Item":{"k":{"S":"` + strings.Repeat("[", 100) + `"}}}`, "", ""},
		{"5000 lists nested, too deep to decode", nest(5000), "SerializationException", "not JSON"},
		{"not JSON, with a null", `{"TableName":null`, "SerializationException", "not JSON"},
		{"not UTF-8", "{\"TableName\":\"t\xff\"}", "SerializationException", "UTF-8"},
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

func TestReturnValuesRefusal(t *testing.T) {
	tests := []struct {
		target, body string
		refused      bool
	}{
		{"DynamoDB_20120810.DeleteItem", `{"ReturnValues":"ALL_OLD"}`, false},
		{"DynamoDB_20120810.DeleteItem", `{"ReturnValues":"NONE"}`, false},
		{"DynamoDB_20120810.DeleteItem", `{"ReturnValues":"UPDATED_NEW"}`, true},
		{"DynamoDB_20120810.DeleteItem", `{"ReturnValues":"ALL_NEW"}`, true},
		{"DynamoDB_20120810.PutItem", `{"ReturnValues":"UPDATED_OLD"}`, true},
		{"DynamoDB_20120810.PutItem", `{"ReturnValuesOnConditionCheckFailure":"ALL_OLD"}`, false},
		{"DynamoDB_20120810.UpdateItem", `{"ReturnValues":"UPDATED_NEW"}`, false},
		{"DynamoDB_20120810.DeleteItem", `{"ReturnValues":"EVERYTHING"}`, true},
		{"DynamoDB_20120810.DeleteItem", `{"ReturnValues":7}`, false}, // a type error, for dynalite
		{"DynamoDB_20120810.DeleteItem", `{"ReturnValues":"UPDATED_NEW","returnvalues":"NONE"}`, true},
		{"DynamoDB_20120810.DeleteItem", `{"ReturnValues":null}`, false}, // absent
	}
	for _, tt := range tests {
		typ, msg := returnValuesRefusal(tt.target, []byte(tt.body))
		if refused := typ != ""; refused != tt.refused ||
			(refused && (!strings.HasSuffix(typ, "#ValidationException") || !strings.Contains(msg, "NONE or ALL_OLD"))) {
			t.Errorf("%s %s: %s %q, want refused %v", tt.target, tt.body, typ, msg, tt.refused)
		}
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
		var e answer
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
		if typ != "" {
			if msg == "" {
				t.Errorf("refused %q as %s without a message", body, typ)
			}
			return
		}
		if !utf8.ValidString(body) {
			t.Errorf("passed on %q, which is not UTF-8", body)
		}
		var doc any
		if json.Unmarshal([]byte(body), &doc) != nil {
			return
		}
		if path, found := nestedNull(doc); found {
			t.Errorf("passed on %q, with a null at %s", body, path)
		}
		if n := containers(doc); n > maxNesting {
			t.Errorf("passed on %q, with %d maps and lists nested", body, n)
		}
	})
}
