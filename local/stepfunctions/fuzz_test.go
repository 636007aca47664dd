package stepfunctions

import (
	"encoding/json"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// FuzzParseDefinition: loading never panics, and a refusal is always an
// InvalidDefinition (or, for oversized text, ValidationException) with
// AWS's message prefix.
func FuzzParseDefinition(f *testing.F) {
	files, _ := filepath.Glob("testdata/conformance/*.json")
	for _, file := range files {
		data, err := os.ReadFile(file)
		if err != nil {
			f.Fatal(err)
		}
		var fx struct {
			Definition json.RawMessage `json:"definition"`
		}
		if json.Unmarshal(data, &fx) == nil && len(fx.Definition) > 0 {
			f.Add(string(fx.Definition))
		}
	}
	f.Add(signingDef)
	f.Add(`{"StartAt":"A","States":{"A":{"Type":"Map","ItemProcessor":{"StartAt":"B","States":{"B":{"Type":"Pass","End":true}}},"End":true}}}`)
	f.Fuzz(func(t *testing.T, def string) {
		_, err := parseDefinition(def)
		if err == nil {
			return
		}
		switch {
		case err.Code == codeInvalidDefinition && strings.HasPrefix(err.Message, "Invalid State Machine Definition: '"):
		case err.Code == codeValidationException && len(def) > maxDefinitionSize:
		default:
			t.Fatalf("unexpected error %s %q", err.Code, err.Message)
		}
	})
}

// FuzzAPIRequest: any request body for any operation gets a JSON 1.0
// answer, 200 or a 4xx error with a __type, never a panic or a 5xx.
func FuzzAPIRequest(f *testing.F) {
	const sm = "arn:aws:states:us-east-1:000000000000:stateMachine:Fuzz"
	const ex = "arn:aws:states:us-east-1:000000000000:execution:Fuzz:run"
	seeds := map[string]string{
		"CreateStateMachine":   `{"name":"Other","definition":"{\"StartAt\":\"A\",\"States\":{\"A\":{\"Type\":\"Succeed\"}}}","roleArn":"arn:aws:iam::000000000000:role/r"}`,
		"DescribeStateMachine": `{"stateMachineArn":"` + sm + `"}`,
		"ListStateMachines":    `{"maxResults":1,"nextToken":"c206Rm96"}`,
		"StartExecution":       `{"stateMachineArn":"` + sm + `","name":"x","input":"{\"a\":[1,2.5,null]}"}`,
		"DescribeExecution":    `{"executionArn":"` + ex + `"}`,
		"ListExecutions":       `{"stateMachineArn":"` + sm + `","statusFilter":"RUNNING","maxResults":2}`,
		"GetExecutionHistory":  `{"executionArn":"` + ex + `","reverseOrder":true,"maxResults":1,"includeExecutionData":false}`,
		"StopExecution":        `{"executionArn":"` + ex + `","error":"E","cause":"C"}`,
		"SendTaskSuccess":      `{"taskToken":"abc","output":"{}"}`,
		"SendTaskFailure":      `{"taskToken":"abc","error":"E"}`,
		"SendTaskHeartbeat":    `{"taskToken":"abc"}`,
		"DeleteStateMachine":   `{"stateMachineArn":"` + sm + `"}`,
	}
	for op, body := range seeds {
		f.Add(op, body)
	}
	svc := New(Options{Invoker: make(tokenCatcher, 1<<16)})
	if _, err := svc.CreateStateMachine("Fuzz", callbackMachine(""), "arn:aws:iam::000000000000:role/r"); err != nil {
		f.Fatal(err)
	}
	handler := svc.Handler()
	f.Fuzz(func(t *testing.T, op, body string) {
		req := httptest.NewRequest(http.MethodPost, "/", strings.NewReader(body))
		req.Header.Set("X-Amz-Target", targetPrefix+op)
		rec := httptest.NewRecorder()
		handler.ServeHTTP(rec, req)
		var out map[string]any
		if err := json.Unmarshal(rec.Body.Bytes(), &out); err != nil {
			t.Fatalf("%s: response %q is not a JSON object: %v", op, rec.Body.String(), err)
		}
		switch {
		case rec.Code == http.StatusOK:
		case rec.Code >= 400 && rec.Code < 500:
			if typ, _ := out["__type"].(string); typ == "" {
				t.Fatalf("%s: error without __type: %s", op, rec.Body.String())
			}
		default:
			t.Fatalf("%s: status %d: %s", op, rec.Code, rec.Body.String())
		}
	})
}
