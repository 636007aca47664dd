package signpage

import (
	"bytes"
	"encoding/base64"
	"encoding/json"
	"strings"
	"testing"

	"github.com/hitl-go/docsign/internal/contract"
)

// FuzzDecodePost: decodeAnswer never panics; a refusal is a JSON error of
// the statuses and types the page documents, and never shows the code; an
// accepted answer is one the completer can take, and survives re-encoding.
func FuzzDecodePost(f *testing.F) {
	for _, body := range []string{
		answerJSON("@", "sign", nil), answerJSON("@", "decline", ptr("The amount is wrong.")), answerJSON("@", "decline", ptr("")),
		`{"code":"@","decision":"sign","reason":"x"}`, `{"code":"@","decision":"sign","code":"@"}`, `{"Code":"@","decision":"sign"}`,
		`{"code":"@","decision":"sign","@":1}`, `{"@":"@"}`, `{"code":null,"decision":"sign"}`, `{"code":"@","decision":"sign"} {}`,
		`{"code":"@=","decision":"sign"}`, `{"code":"\u0040","decision":"sign"}`, `{"code":"@","decision":"decline","reason":"\u001b[2J"}`,
		``, `null`, `[]`, `"@"`, `{`, `{"code":"@"`, `{"code":1e999}`, strings.Repeat(`[`, 5000), "\xef\xbb\xbf{}",
	} {
		for _, contentType := range []string{"application/json", "application/json; charset=utf-8", "text/plain", ""} {
			f.Add(contentType, []byte(body), false)
		}
		f.Add("application/json", []byte(body), true)
	}
	f.Fuzz(func(t *testing.T, contentType string, body []byte, isBase64 bool) {
		// "@" stands for a well-formed code, so the fuzzer meets codes often.
		body = bytes.ReplaceAll(body, []byte("@"), []byte(testCode))
		encoded := string(body)
		if isBase64 {
			encoded = base64.StdEncoding.EncodeToString(body)
		}
		a, refusal := decodeAnswer(contentType, encoded, isBase64)
		if refusal != nil {
			checkRefusal(t, *refusal)
			return
		}
		if !contract.CheckCode(a.code) || contract.CheckReason(a.reason) != nil ||
			(a.decision != contract.DecisionSign && a.decision != contract.DecisionDecline) ||
			(a.reason != "" && a.decision != contract.DecisionDecline) {
			t.Fatalf("accepted %+v from %q", a, body)
		}
		var reason *string
		if a.reason != "" {
			reason = &a.reason
		}
		again, r := decodeAnswer("application/json", answerJSON(a.code, a.decision, reason), false)
		if r != nil || again != a {
			t.Fatalf("re-encoded %+v decodes to %+v, %v", a, again, r)
		}
	})
}

func checkRefusal(t *testing.T, r reply) {
	t.Helper()
	okType := map[int]string{400: contract.ErrorInvalidInput, 403: contract.ErrorSignatureLinkInvalid,
		413: contract.ErrorInvalidInput, 415: contract.ErrorInvalidInput}[r.status]
	var e errorBody
	if err := json.Unmarshal([]byte(r.body), &e); err != nil || e.ErrorType != okType || okType == "" || r.errorType != okType || e.Message == "" {
		t.Fatalf("refusal %d %s (%v)", r.status, r.body, err)
	}
	if strings.Contains(r.body, testCode) {
		t.Fatalf("refusal shows the code: %s", r.body)
	}
}
