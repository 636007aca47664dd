package signpage

import (
	"encoding/base64"
	"encoding/json"
	"errors"
	"fmt"
	"strings"
	"testing"

	"github.com/aws/aws-lambda-go/events"

	"github.com/hitl-go/docsign/internal/contract"
	"github.com/hitl-go/docsign/internal/fault"
)

// TestAnswerRefusals: every malformed POST is refused before the completer
// is called, with the status and error type the page's script reads.
func TestAnswerRefusals(t *testing.T) {
	good := answerJSON(testCode, "sign", nil)
	body := func(s string) func(*events.APIGatewayV2HTTPRequest) {
		return func(r *events.APIGatewayV2HTTPRequest) { r.Body = s }
	}
	contentType := func(v string) func(*events.APIGatewayV2HTTPRequest) {
		return func(r *events.APIGatewayV2HTTPRequest) { r.Headers = map[string]string{"content-type": v} }
	}
	code := func(c string) func(*events.APIGatewayV2HTTPRequest) { return body(answerJSON(c, "sign", nil)) }
	const (
		invalid = contract.ErrorInvalidInput
		link    = contract.ErrorSignatureLinkInvalid
		absent  = contract.ErrorSignatureRequestNotFound
	)
	tests := []struct {
		name       string
		change     func(*events.APIGatewayV2HTTPRequest)
		wantStatus int
		wantType   string
	}{
		{"no path parameters", func(r *events.APIGatewayV2HTTPRequest) { r.PathParameters = nil }, 400, invalid},
		{"empty document id", withPath("", "Bob"), 400, invalid},
		{"document id of 81 characters", withPath(strings.Repeat("d", 81), "Bob"), 400, invalid},
		{"document id with a slash", withPath("a/b", "Bob"), 400, invalid},
		{"document id with a space", withPath("a b", "Bob"), 400, invalid},
		{"document id with a dot", withPath("../doc-1", "Bob"), 400, invalid},
		{"document id with a non-ASCII letter", withPath("dök", "Bob"), 400, invalid},
		{"document id with a NUL", withPath("doc\x00", "Bob"), 400, invalid},
		{"empty signer", withPath("doc-1", ""), 400, invalid},
		{"signer with a newline", withPath("doc-1", "Bob\n"), 400, invalid},
		{"signer with a zero-width space", withPath("doc-1", "B\u200bob"), 400, invalid},
		{"signer of bad UTF-8", withPath("doc-1", "B\xffb"), 400, invalid},
		{"signer of 81 bytes", withPath("doc-1", strings.Repeat("b", 81)), 400, invalid},
		{"an auto signer", withPath("doc-1", "Alice"), 404, absent},
		{"a signer in another case", withPath("doc-1", "bob"), 404, absent},
		{"a signer with a trailing space", withPath("doc-1", "Bob "), 404, absent},
		{"no Content-Type", func(r *events.APIGatewayV2HTTPRequest) { r.Headers = nil }, 415, invalid},
		{"text/plain", contentType("text/plain"), 415, invalid},
		{"a form", contentType("application/x-www-form-urlencoded"), 415, invalid},
		{"multipart", contentType("multipart/form-data; boundary=x"), 415, invalid},
		{"JSON in Latin-1", contentType("application/json; charset=iso-8859-1"), 415, invalid},
		{"JSON with another parameter", contentType("application/json; profile=x"), 415, invalid},
		{"two Content-Types joined", contentType("application/json,text/plain"), 415, invalid},
		{"a JSON-like type", contentType("application/jsonx"), 415, invalid},
		{"empty body", body(""), 400, invalid},
		{"body over 8 KiB", body(`{"code":"` + strings.Repeat("a", maxBodyBytes) + `"}`), 413, invalid},
		{"base64 flag on a body that is not base64", func(r *events.APIGatewayV2HTTPRequest) { r.IsBase64Encoded = true }, 400, invalid},
		{"base64 body over 8 KiB", func(r *events.APIGatewayV2HTTPRequest) {
			r.Body, r.IsBase64Encoded = base64.StdEncoding.EncodeToString([]byte(strings.Repeat(" ", maxBodyBytes+1))), true
		}, 413, invalid},
		{"a form body", body("code=" + testCode + "&decision=sign"), 400, invalid},
		{"a JSON array", body(`[` + good + `]`), 400, invalid},
		{"a JSON string", body(`"sign"`), 400, invalid},
		{"JSON null", body(`null`), 400, invalid},
		{"an empty object", body(`{}`), 400, invalid},
		{"no code", body(`{"decision":"sign"}`), 400, invalid},
		{"a null code", body(`{"code":null,"decision":"sign"}`), 400, invalid},
		{"a numeric code", body(`{"code":12345,"decision":"sign"}`), 400, invalid},
		{"an object as code", body(`{"code":{"v":"` + testCode + `"},"decision":"sign"}`), 400, invalid},
		{"no decision", body(`{"code":"` + testCode + `"}`), 400, invalid},
		{"decision in capitals", body(answerJSON(testCode, "SIGN", nil)), 400, invalid},
		{"decision approve", body(answerJSON(testCode, "approve", nil)), 400, invalid},
		{"a boolean decision", body(`{"code":"` + testCode + `","decision":true}`), 400, invalid},
		{"an unknown key", body(`{"code":"` + testCode + `","decision":"sign","signer":"Carol"}`), 400, invalid},
		{"a key in another case", body(`{"Code":"` + testCode + `","decision":"sign"}`), 400, invalid},
		{"a key given twice", body(`{"code":"` + testCode + `","decision":"decline","decision":"sign"}`), 400, invalid},
		{"data after the object", body(good + `{}`), 400, invalid},
		{"unterminated JSON", body(good[:len(good)-1]), 400, invalid},
		{"a reason with sign", body(answerJSON(testCode, "sign", ptr("fine"))), 400, invalid},
		{"a reason of 1001 characters", body(answerJSON(testCode, "decline", ptr(strings.Repeat("é", 1001)))), 400, invalid},
		{"a reason with an escape sequence", body(answerJSON(testCode, "decline", ptr("no\x1b[2J"))), 400, invalid},
		{"a reason with a bidi override", body(answerJSON(testCode, "decline", ptr("no\u202eok"))), 400, invalid},
		{"a numeric reason", body(`{"code":"` + testCode + `","decision":"decline","reason":1}`), 400, invalid},
		{"an empty code", code(""), 403, link},
		{"a code one character short", code(testCode[1:]), 403, link},
		{"a code one character long", code(testCode + "A"), 403, link},
		{"a padded code", code(testCode + "="), 403, link},
		{"a code in standard base64", code(strings.NewReplacer("-", "+", "_", "/").Replace(testCode[:40]) + "+/A"), 403, link},
		{"a code with a space", code(testCode[:20] + " " + testCode[21:]), 403, link},
		{"a code in hex", code(strings.Repeat("ab", 32)), 403, link},
		{"a code with stray low bits", code(testCode[:42] + "B"), 403, link},
		{"a code of 16 bytes", code(base64.RawURLEncoding.EncodeToString(make([]byte, 16))), 403, link},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			x := newHarness(t)
			req := postRequest("doc-1", "Bob", good)
			tt.change(&req)
			resp := x.do(t, req)
			if resp.StatusCode != tt.wantStatus || errorType(t, resp) != tt.wantType {
				t.Errorf("%d %s, want %d %s", resp.StatusCode, resp.Body, tt.wantStatus, tt.wantType)
			}
			if d, c := x.fake.calls(); d+c != 0 {
				t.Errorf("the completer was called (%d describes, %d completions)", d, c)
			}
			if strings.Contains(resp.Body, testCode) {
				t.Errorf("the answer shows the code: %s", resp.Body)
			}
		})
	}
}

// TestAnswerAccepted: a well-formed answer reaches the completer exactly as
// sent, and its result is the 200 answer.
func TestAnswerAccepted(t *testing.T) {
	reason := strings.Repeat("😀", contract.MaxReasonLength) // 1,000 characters, 4,000 bytes
	tests := []struct {
		name       string
		req        events.APIGatewayV2HTTPRequest
		want       contract.CompleteInput
		wantStatus contract.Status
	}{
		{"sign", postRequest("doc-1", "Bob", answerJSON(testCode, "sign", nil)),
			contract.CompleteInput{DocumentID: "doc-1", Signer: "Bob", Decision: "sign"}, contract.StatusSigned},
		{"decline with a reason", postRequest("doc-1", "Bob", answerJSON(testCode, "decline", ptr("The amount on page 2 is wrong."))),
			contract.CompleteInput{DocumentID: "doc-1", Signer: "Bob", Decision: "decline", Reason: "The amount on page 2 is wrong."}, contract.StatusDeclined},
		{"decline without a reason", postRequest("doc-1", "Bob", answerJSON(testCode, "decline", nil)),
			contract.CompleteInput{DocumentID: "doc-1", Signer: "Bob", Decision: "decline"}, contract.StatusDeclined},
		{"decline with the longest reason", postRequest("doc-1", "Bob", answerJSON(testCode, "decline", &reason)),
			contract.CompleteInput{DocumentID: "doc-1", Signer: "Bob", Decision: "decline", Reason: reason}, contract.StatusDeclined},
		{"the other callback signer, the longest document id", postRequest(strings.Repeat("Z", 80), "Carol", answerJSON(testCode, "sign", nil)),
			contract.CompleteInput{DocumentID: strings.Repeat("Z", 80), Signer: "Carol", Decision: "sign"}, contract.StatusSigned},
		{"a base64 body", func() events.APIGatewayV2HTTPRequest {
			r := postRequest("doc-1", "Bob", base64.StdEncoding.EncodeToString([]byte(answerJSON(testCode, "sign", nil))))
			r.IsBase64Encoded = true
			return r
		}(), contract.CompleteInput{DocumentID: "doc-1", Signer: "Bob", Decision: "sign"}, contract.StatusSigned},
		{"a UTF-8 charset, a header name in capitals", func() events.APIGatewayV2HTTPRequest {
			r := postRequest("doc-1", "Bob", " \n"+answerJSON(testCode, "sign", nil)+"\n")
			r.Headers = map[string]string{"Content-Type": "Application/JSON; Charset=UTF-8"}
			return r
		}(), contract.CompleteInput{DocumentID: "doc-1", Signer: "Bob", Decision: "sign"}, contract.StatusSigned},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			x := newHarness(t)
			resp := x.do(t, tt.req)
			if resp.StatusCode != 200 || resp.Headers["Content-Type"] != "application/json" {
				t.Fatalf("%d %s, want 200 JSON", resp.StatusCode, resp.Body)
			}
			var got map[string]any
			if err := json.Unmarshal([]byte(resp.Body), &got); err != nil {
				t.Fatal(err)
			}
			want := map[string]any{"documentId": tt.want.DocumentID, "signer": tt.want.Signer, "status": string(tt.wantStatus)}
			if len(got) != len(want) || got["documentId"] != want["documentId"] || got["signer"] != want["signer"] || got["status"] != want["status"] {
				t.Errorf("answer %s, want %v", resp.Body, want)
			}
			if len(x.fake.completes) != 1 || x.fake.completes[0] != (completeCall{tt.want, testCode}) {
				t.Errorf("completer calls %+v, want one with %+v and the code", x.fake.completes, tt.want)
			}
			if len(x.fake.describes) != 0 {
				t.Errorf("the answer described the request: %v", x.fake.describes)
			}
		})
	}
}

// TestAnswerFaults: each error a completer returns is its status and error
// type, with its message less the code; an error no completer may return is
// a 500 that says nothing of it.
func TestAnswerFaults(t *testing.T) {
	tests := []struct {
		err        error
		wantStatus int
		wantType   string
	}{
		{fault.Invalid("reason is for a decline only"), 400, contract.ErrorInvalidInput},
		{fault.LinkInvalid("code %s does not match", testCode), 403, contract.ErrorSignatureLinkInvalid},
		{fault.NotFound("no request for doc-1 and Bob"), 404, contract.ErrorSignatureRequestNotFound},
		{fault.AlreadyCompleted("doc-1 was already signed by Bob"), 409, contract.ErrorSignatureAlreadyCompleted},
		{fault.Changed("documents/doc-1 changed"), 409, contract.ErrorDocumentChanged},
		{fault.Expired("the run no longer waits"), 410, contract.ErrorSignatureRequestExpired},
		{fault.Unavailable("DynamoDB throttled; retry"), 503, contract.ErrorSignatureServiceUnavailable},
		{fault.Conflict("not a completer's error"), 500, errorInternal},
		{errors.New("store: code " + testCode + " broke"), 500, errorInternal},
	}
	for _, tt := range tests {
		t.Run(fmt.Sprintf("%s %T", tt.wantType, tt.err), func(t *testing.T) {
			x := newHarness(t)
			x.fake.complete = func(contract.CompleteInput, string) (contract.CompleteResult, error) {
				return contract.CompleteResult{}, tt.err
			}
			resp := x.do(t, postRequest("doc-1", "Bob", answerJSON(testCode, "sign", nil)))
			if resp.StatusCode != tt.wantStatus || errorType(t, resp) != tt.wantType {
				t.Errorf("%d %s, want %d %s", resp.StatusCode, resp.Body, tt.wantStatus, tt.wantType)
			}
			if strings.Contains(resp.Body, testCode) || strings.Contains(x.log.String(), testCode) {
				t.Errorf("the code is shown: answer %s; log %s", resp.Body, x.log)
			}
			var e errorBody
			_ = json.Unmarshal([]byte(resp.Body), &e)
			want := strings.ReplaceAll(tt.err.Error(), testCode, "[code]")
			if tt.wantStatus >= 500 {
				// The public hears nothing of the cause; the log does.
				if strings.Contains(e.Message, "store") || strings.Contains(e.Message, "DynamoDB") || strings.Contains(e.Message, "completer") {
					t.Errorf("a %d tells of its cause: %q", tt.wantStatus, e.Message)
				}
				if !strings.Contains(x.log.String(), want) {
					t.Errorf("the log lacks the cause %q:\n%s", want, x.log)
				}
			} else if e.Message != want {
				t.Errorf("message %q, want %q", e.Message, want)
			}
		})
	}
}
