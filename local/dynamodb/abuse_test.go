package dynamodb

import (
	"bytes"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"strings"
	"testing"
)

// TestBadInputMatrix sends the local endpoint's DynamoDB API malformed and
// hostile requests for the operations the functions and signctl use. Each
// must answer a 4xx error whose type and message name the problem, and
// leave the table as it was.
func TestBadInputMatrix(t *testing.T) {
	table, front := proxied(t)
	call := func(op, body string) (int, apiError) { return send(t, front.URL, op, body, true) }
	tbl := fmt.Sprintf("%q", table.Name)
	key := func(doc, signer string) string {
		return fmt.Sprintf(`{"documentId":{"S":%q},"signer":{"S":%q}}`, doc, signer)
	}
	if code, e := call("PutItem", `{"TableName":`+tbl+`,"Item":{"documentId":{"S":"doc-1"},"signer":{"S":"Bob"},"status":{"S":"PENDING"}}}`); code != 200 {
		t.Fatalf("seeding PutItem: %d %s", code, e.raw)
	}
	before := scan(t, call, tbl)

	big := strings.Repeat("x", 300<<10)
	// nested returns an attribute value of n levels: n-1 maps and lists
	// around a string.
	nested := func(n int) string {
		v := `{"S":"leaf"}`
		for i := 1; i < n; i++ {
			if i%2 == 0 {
				v = `{"L":[` + v + `]}`
			} else {
				v = `{"M":{"a":` + v + `}}`
			}
		}
		return v
	}
	const (
		validation    = "ValidationException"
		serialization = "SerializationException"
		notFound      = "ResourceNotFoundException"
		conditional   = "ConditionalCheckFailedException"
	)
	tests := []struct {
		name, op, body string
		unsigned       bool
		wantType       string
		wantMessage    string // a part of the message, when the problem has a name
	}{
		// Request bodies that are not a request.
		{"empty body", "PutItem", ``, false, serialization, ""},
		{"JSON null", "PutItem", `null`, false, serialization, "null"},
		{"truncated JSON", "PutItem", `{"TableName":` + tbl, false, serialization, ""},
		{"a JSON array", "PutItem", `[]`, false, validation, "tableName"},
		{"trailing garbage", "GetItem", `{"TableName":` + tbl + `,"Key":` + key("doc-1", "Bob") + `}}`, false, serialization, ""},
		// Table names.
		{"no table name", "PutItem", `{"Item":` + key("doc-2", "Bob") + `}`, false, validation, "tableName"},
		{"table name a number", "PutItem", `{"TableName":5,"Item":` + key("doc-2", "Bob") + `}`, false, serialization, ""},
		{"table name with a slash", "GetItem", `{"TableName":"a/b","Key":` + key("doc-1", "Bob") + `}`, false, validation, "tableName"},
		{"table name with a space", "GetItem", `{"TableName":"a b","Key":` + key("doc-1", "Bob") + `}`, false, validation, "tableName"},
		{"table name of 300 chars", "GetItem", `{"TableName":"` + strings.Repeat("t", 300) + `","Key":` + key("doc-1", "Bob") + `}`, false, validation, "tableName"},
		{"unknown table", "GetItem", `{"TableName":"no-such-table","Key":` + key("doc-1", "Bob") + `}`, false, notFound, ""},
		// Items and keys.
		{"no item", "PutItem", `{"TableName":` + tbl + `}`, false, validation, "item"},
		{"item without its sort key", "PutItem", `{"TableName":` + tbl + `,"Item":{"documentId":{"S":"doc-2"}}}`, false, validation, "key"},
		{"key of the wrong type", "PutItem", `{"TableName":` + tbl + `,"Item":{"documentId":{"N":"2"},"signer":{"S":"Bob"}}}`, false, validation, "key"},
		{"empty partition key", "PutItem", `{"TableName":` + tbl + `,"Item":` + key("", "Bob") + `}`, false, validation, "empty"},
		{"300 KiB partition key", "PutItem", `{"TableName":` + tbl + `,"Item":` + key(big, "Bob") + `}`, false, validation, "key"},
		{"attribute value of the wrong JSON type", "PutItem", `{"TableName":` + tbl + `,"Item":{"documentId":{"S":5},"signer":{"S":"Bob"}}}`, false, serialization, ""},
		{"attribute value with two types", "PutItem", `{"TableName":` + tbl + `,"Item":{"documentId":{"S":"doc-2","N":"1"},"signer":{"S":"Bob"}}}`, false, validation, ""},
		{"number that is not one", "PutItem", `{"TableName":` + tbl + `,"Item":{"documentId":{"S":"doc-2"},"signer":{"S":"Bob"},"n":{"N":"abc"}}}`, false, validation, "numeric"},
		{"attribute nested 40 deep", "PutItem", `{"TableName":` + tbl + `,"Item":{"documentId":{"S":"doc-2"},"signer":{"S":"Bob"},"deep":` + nested(41) + `}}`, false, validation, "Nesting Levels"},
		{"update value nested 40 deep", "UpdateItem", `{"TableName":` + tbl + `,"Key":` + key("doc-1", "Bob") + `,"UpdateExpression":"SET d = :d","ExpressionAttributeValues":{":d":` + nested(41) + `}}`, false, validation, "Nesting Levels"},
		{"unknown ReturnValues", "PutItem", `{"TableName":` + tbl + `,"Item":` + key("doc-2", "Bob") + `,"ReturnValues":"EVERYTHING"}`, false, validation, "returnValues"},
		{"GetItem without a key", "GetItem", `{"TableName":` + tbl + `}`, false, validation, "key"},
		{"GetItem key with a non-key attribute", "GetItem", `{"TableName":` + tbl + `,"Key":{"documentId":{"S":"doc-1"},"signer":{"S":"Bob"},"status":{"S":"PENDING"}}}`, false, validation, "key"},
		{"GetItem key missing the sort key", "GetItem", `{"TableName":` + tbl + `,"Key":{"documentId":{"S":"doc-1"}}}`, false, validation, "key"},
		{"projection that does not parse", "GetItem", `{"TableName":` + tbl + `,"Key":` + key("doc-1", "Bob") + `,"ProjectionExpression":"status,,"}`, false, validation, "ProjectionExpression"},
		// Expressions.
		{"condition that does not parse", "PutItem", `{"TableName":` + tbl + `,"Item":` + key("doc-1", "Bob") + `,"ConditionExpression":"attribute_not_exists("}`, false, validation, "ConditionExpression"},
		{"condition with an undefined value", "PutItem", `{"TableName":` + tbl + `,"Item":` + key("doc-1", "Bob") + `,"ConditionExpression":"#s = :nope","ExpressionAttributeNames":{"#s":"status"}}`, false, validation, ":nope"},
		{"unused expression value", "PutItem", `{"TableName":` + tbl + `,"Item":` + key("doc-1", "Bob") + `,"ConditionExpression":"attribute_not_exists(documentId)","ExpressionAttributeValues":{":x":{"S":"x"}}}`, false, validation, ":x"},
		{"update that does not parse", "UpdateItem", `{"TableName":` + tbl + `,"Key":` + key("doc-1", "Bob") + `,"UpdateExpression":"SET = 1"}`, false, validation, "UpdateExpression"},
		{"update of a key attribute", "UpdateItem", `{"TableName":` + tbl + `,"Key":` + key("doc-1", "Bob") + `,"UpdateExpression":"SET signer = :s","ExpressionAttributeValues":{":s":{"S":"Eve"}}}`, false, validation, "key"},
		{"update with an undefined name", "UpdateItem", `{"TableName":` + tbl + `,"Key":` + key("doc-1", "Bob") + `,"UpdateExpression":"SET #x = :s","ExpressionAttributeValues":{":s":{"S":"x"}}}`, false, validation, "#x"},
		{"update whose condition fails", "UpdateItem", `{"TableName":` + tbl + `,"Key":` + key("doc-1", "Bob") + `,"UpdateExpression":"SET #s = :s","ConditionExpression":"#s = :other","ExpressionAttributeNames":{"#s":"status"},"ExpressionAttributeValues":{":s":{"S":"SIGNED"},":other":{"S":"CLAIMED"}}}`, false, conditional, ""},
		{"update with a control character in a name", "UpdateItem", `{"TableName":` + tbl + `,"Key":` + key("doc-1", "Bob") + `,"UpdateExpression":"SET #s = :s","ExpressionAttributeNames":{"#s\u0001":"status"},"ExpressionAttributeValues":{":s":{"S":"x"}}}`, false, validation, "#s"},
		{"delete with a key of the wrong type", "DeleteItem", `{"TableName":` + tbl + `,"Key":{"documentId":{"B":"AAAA"},"signer":{"S":"Bob"}}}`, false, validation, "key"},
		{"query on a non-key attribute", "Query", `{"TableName":` + tbl + `,"KeyConditionExpression":"#s = :s","ExpressionAttributeNames":{"#s":"status"},"ExpressionAttributeValues":{":s":{"S":"PENDING"}}}`, false, validation, "key"},
		{"query with Limit 0", "Query", `{"TableName":` + tbl + `,"KeyConditionExpression":"documentId = :d","ExpressionAttributeValues":{":d":{"S":"doc-1"}},"Limit":0}`, false, validation, "limit"},
		// JSON nulls below the top level, each of which made dynalite 4.0.0
		// throw and exit, taking the local stack's DynamoDB down.
		{"null item attribute", "PutItem", `{"TableName":` + tbl + `,"Item":{"documentId":null,"signer":{"S":"Bob"}}}`, false, serialization, "Item.documentId"},
		{"null list element", "PutItem", `{"TableName":` + tbl + `,"Item":{"documentId":{"S":"doc-2"},"signer":{"S":"Bob"},"l":{"L":[null]}}}`, false, serialization, "Item.l.L[0]"},
		{"null map member", "PutItem", `{"TableName":` + tbl + `,"Item":{"documentId":{"S":"doc-2"},"signer":{"S":"Bob"},"m":{"M":{"x":null}}}}`, false, serialization, "Item.m.M.x"},
		{"null expression value", "PutItem", `{"TableName":` + tbl + `,"Item":` + key("doc-2", "Bob") + `,"ConditionExpression":"#s = :v","ExpressionAttributeNames":{"#s":"status"},"ExpressionAttributeValues":{":v":null}}`, false, serialization, ":v"},
		{"null key attribute", "GetItem", `{"TableName":` + tbl + `,"Key":{"documentId":null,"signer":{"S":"Bob"}}}`, false, serialization, "Key.documentId"},
		{"null attribute update", "UpdateItem", `{"TableName":` + tbl + `,"Key":` + key("doc-1", "Bob") + `,"AttributeUpdates":{"status":null}}`, false, serialization, "AttributeUpdates"},
		{"null expected value", "UpdateItem", `{"TableName":` + tbl + `,"Key":` + key("doc-1", "Bob") + `,"Expected":{"status":null}}`, false, serialization, "Expected"},
		{"null key condition", "Query", `{"TableName":` + tbl + `,"KeyConditions":{"documentId":null}}`, false, serialization, "KeyConditions"},
		{"null scan filter", "Scan", `{"TableName":` + tbl + `,"ScanFilter":{"status":null}}`, false, serialization, "ScanFilter"},
		{"null batch write request", "BatchWriteItem", `{"RequestItems":{` + tbl + `:[null]}}`, false, serialization, "RequestItems"},
		{"null batch get table", "BatchGetItem", `{"RequestItems":{` + tbl + `:null}}`, false, serialization, "RequestItems"},
		{"unknown operation", "Nope", `{}`, false, "UnknownOperationException", ""},
		{"unsigned request", "PutItem", `{"TableName":` + tbl + `,"Item":` + key("doc-2", "Bob") + `}`, true, "MissingAuthenticationTokenException", "Authentication"},
	}
	if len(tests) < 30 {
		t.Fatalf("%d cases, want at least 30", len(tests))
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			code, e := send(t, front.URL, tt.op, tt.body, !tt.unsigned)
			if code < 400 || code >= 500 {
				t.Fatalf("%s answered %d %s, want a 4xx error", tt.op, code, clip(e.raw))
			}
			if !strings.HasSuffix(e.Type, "#"+tt.wantType) {
				t.Errorf("%s error type %q, want %s (%s)", tt.op, e.Type, tt.wantType, clip(e.raw))
			}
			if tt.wantMessage != "" && e.message() == "" {
				t.Errorf("%s error %s has no message", tt.op, clip(e.raw))
			}
			if tt.wantMessage != "" && !strings.Contains(strings.ToLower(e.message()), strings.ToLower(tt.wantMessage)) {
				t.Errorf("%s message %q does not name %q", tt.op, e.message(), tt.wantMessage)
			}
			if code, e := call("ListTables", `{}`); code != 200 {
				t.Fatalf("DynamoDB stopped answering after this request: ListTables %d %s", code, clip(e.raw))
			}
		})
	}
	if after := scan(t, call, tbl); !bytes.Equal(after, before) {
		t.Errorf("the table changed:\nbefore %s\nafter  %s", before, after)
	}
}

// send posts a DynamoDB API request; signed adds the SigV4 headers, whose
// signature dynalite (like the local endpoint) does not verify.
func send(t *testing.T, url, op, body string, signed bool) (int, apiError) {
	t.Helper()
	req, err := http.NewRequest(http.MethodPost, url, strings.NewReader(body))
	if err != nil {
		t.Fatal(err)
	}
	req.Header.Set("Content-Type", "application/x-amz-json-1.0")
	req.Header.Set("X-Amz-Target", TargetPrefix+op)
	if signed {
		req.Header.Set("X-Amz-Date", "20261122T000000Z")
		req.Header.Set("Authorization", "AWS4-HMAC-SHA256 Credential=AKIDEXAMPLE/20261122/us-east-1/dynamodb/aws4_request, "+
			"SignedHeaders=content-type;host;x-amz-date;x-amz-target, Signature=0000")
	}
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	raw, _ := io.ReadAll(resp.Body)
	var e apiError
	json.Unmarshal(raw, &e)
	e.raw = string(raw)
	return resp.StatusCode, e
}

// apiError is DynamoDB's JSON error body; dynalite, like AWS, spells the
// message "message" or "Message".
type apiError struct {
	Type  string `json:"__type"`
	Lower string `json:"message"`
	Upper string `json:"Message"`
	raw   string
}

func (e apiError) message() string { return e.Lower + e.Upper }

// scan returns the table's items, in key order.
func scan(t *testing.T, call func(op, body string) (int, apiError), tbl string) []byte {
	t.Helper()
	code, e := call("Scan", `{"TableName":`+tbl+`,"ConsistentRead":true}`)
	if code != 200 {
		t.Fatalf("Scan: %d %s", code, e.raw)
	}
	return []byte(e.raw)
}

func clip(s string) string {
	if len(s) > 300 {
		return s[:300] + "…"
	}
	return s
}
