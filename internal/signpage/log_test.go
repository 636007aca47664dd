package signpage

import (
	"encoding/json"
	"errors"
	"strings"
	"testing"

	"github.com/aws/aws-lambda-go/events"

	"github.com/hitl-go/docsign/internal/contract"
	"github.com/hitl-go/docsign/internal/fault"
)

// TestLogAndCodeNeverShown: each request logs one line of route, status
// and error type, and the code reaches no answer and no log line — even
// from a completer that puts it in its errors.
func TestLogAndCodeNeverShown(t *testing.T) {
	x := newHarness(t)
	echo := []error{nil, fault.LinkInvalid("code %s is wrong", testCode), fault.Unavailable("retry %s", testCode),
		fault.Invalid("bad %s", testCode), errors.New("panic-ish: " + testCode)}
	var requests []events.APIGatewayV2HTTPRequest
	for _, body := range []string{
		answerJSON(testCode, "sign", nil), answerJSON(testCode, "decline", ptr("no")), answerJSON(testCode, "SIGN", nil),
		answerJSON(testCode, "sign", ptr("x")), `{"code":"` + testCode + `","decision":"sign","code":"x"}`,
		`{"code":"` + testCode + `","decision":"sign","extra":1}`, `{"code":"` + testCode + `"}`,
		`{"code":"` + testCode + `x","decision":"sign"}`, `{"code":"` + testCode + `","decision":"sign"} trailing`,
	} {
		for _, signer := range []string{"Bob", "Alice"} {
			r := postRequest("doc-1", signer, body)
			r.Headers["cookie"], r.Headers["referer"] = "session="+testCode, "https://mail.example/#"+testCode
			requests = append(requests, r)
		}
	}
	page := pageRequest("doc-1", "Bob")
	page.RawQueryString, page.Headers["referer"] = "code="+testCode, "https://mail.example/#"+testCode
	requests = append(requests, page, assetRequest("sign.js"), assetRequest(testCode))

	for _, err := range echo {
		x.fake.complete = func(in contract.CompleteInput, code string) (contract.CompleteResult, error) {
			return contract.CompleteResult{DocumentID: in.DocumentID, Signer: in.Signer, Status: contract.StatusSigned}, err
		}
		// Describe is never given a code, so its errors cannot hold one.
		x.fake.describe = func(documentID, signer string) (Request, error) {
			if err != nil {
				return Request{}, errors.New(strings.ReplaceAll(err.Error(), testCode, "no code here"))
			}
			return pending(documentID, signer), nil
		}
		for _, req := range requests {
			resp := x.do(t, req)
			for k, v := range resp.Headers {
				if strings.Contains(k+v, testCode) {
					t.Errorf("header %s: %s shows the code", k, v)
				}
			}
			if strings.Contains(resp.Body, testCode) {
				t.Errorf("%s %d answer shows the code: %s", req.RouteKey, resp.StatusCode, resp.Body)
			}
		}
	}

	logged := x.log.String()
	if strings.Contains(logged, testCode) {
		t.Errorf("the log shows the code:\n%s", logged)
	}
	lines := strings.Split(strings.TrimSuffix(logged, "\n"), "\n")
	if len(lines) != x.n {
		t.Fatalf("%d log lines for %d requests", len(lines), x.n)
	}
	allowed := map[string]bool{"time": true, "level": true, "msg": true, "route": true, "status": true, "errorType": true, "error": true}
	for _, line := range lines {
		var rec map[string]any
		if err := json.Unmarshal([]byte(line), &rec); err != nil {
			t.Fatalf("log line %q: %v", line, err)
		}
		for k := range rec {
			if !allowed[k] {
				t.Errorf("log line has %q: %s", k, line)
			}
		}
		if rec["route"] == nil || rec["status"] == nil {
			t.Errorf("log line lacks route or status: %s", line)
		}
		if status := rec["status"].(float64); (status >= 400) != (rec["errorType"] != nil) {
			t.Errorf("errorType logged for exactly the errors: %s", line)
		}
	}
}
