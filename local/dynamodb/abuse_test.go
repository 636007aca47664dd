package dynamodb

import (
	"encoding/json"
	"io"
	"net/http"
	"strings"
	"testing"
	"unicode"
)

// The bad-input matrix: for each DynamoDB item, query, batch and
// DescribeTable operation (the local endpoint passes every operation to
// dynalite), requests an SDK would never send go through the endpoint
// (guard, then dynalite). Each must answer a 4xx AWS error whose type —
// and message, where DynamoDB gives one — names the problem, and leave the
// tables and their items as they were.

const (
	serialization = "SerializationException"
	validation    = "ValidationException"
	notFound      = "ResourceNotFoundException"
	conditional   = "ConditionalCheckFailedException"
	unknownOp     = "UnknownOperationException"
	kib           = 1024
	cyrillicA     = "\u0430" // looks like a Latin a
	cyrillicE     = "\u0435" // looks like a Latin e
)

// bare is the message of a case DynamoDB (and dynalite after it) answers
// with an error type alone: a body that is not JSON, an unknown operation.
const bare = ""

// abuseOp describes one operation for the generic cases: the member that
// names the table and a well-formed request built around it.
type abuseOp struct {
	op     string
	member string                   // TableName, or RequestItems for the batch operations
	table  func(name string) string // the member's raw JSON value for a table name given as a JSON string
	rest   string                   // the request's other members, after a comma, or ""
	cases  []abuseCase              // the operation's own cases
}

// with is the request whose member has this raw JSON value.
func (o abuseOp) with(raw string) string { return "{" + q(o.member) + ":" + raw + o.rest + "}" }

// naming is the request for the table of this name.
func (o abuseOp) naming(name string) string { return o.with(o.table(q(name))) }

// abuseCase is one bad request and the answer it must get.
type abuseCase struct {
	name     string
	target   string // "" is DynamoDB_20120810.<operation>
	body     string
	unsigned bool
	status   int    // 0 is 400
	typ      string // the error type, after its '#'
	msg      string // a part of the message (any case), or bare
}

// TestBadInputMatrix runs the generic and the operation's own cases for
// each operation, on one table, checking it after every case.
func TestBadInputMatrix(t *testing.T) {
	e := newAbuseEnv(t)
	for _, o := range abuseOps(e) {
		t.Run(o.op, func(t *testing.T) {
			e.run(t, o.op, append(genericAbuseCases(e, o), o.cases...))
		})
	}
}

// genericAbuseCases are the malformed requests every operation must refuse
// the same way: bodies that are not a request, bad table names, bad targets.
func genericAbuseCases(e *abuseEnv, o abuseOp) []abuseCase {
	probe := o.naming("no-such-table")
	raw := func(name string) string { return o.with(o.table(`"` + name + `"`)) }
	member := o.member
	duplicate := strings.TrimSuffix(o.naming(e.table), "}") + "," + q(o.member) + ":" + o.table(q("a/b")) + "}"
	first := []rune(o.op)
	first[0] = unicode.ToLower(first[0])
	return []abuseCase{
		{name: "well-formed probe", body: probe, typ: notFound, msg: "Requested resource not found"},
		{name: "empty body", body: ``, typ: serialization, msg: bare},
		{name: "JSON null", body: `null`, typ: serialization, msg: "null at the request body"},
		{name: "malformed", body: `{`, typ: serialization, msg: bare},
		{name: "truncated", body: probe[:len(probe)-1], typ: serialization, msg: bare},
		{name: "array body", body: "[" + probe + "]", typ: validation, msg: member},
		{name: "string body", body: `"x"`, typ: validation, msg: member},
		{name: "number body", body: `42`, typ: validation, msg: member},
		{name: "boolean body", body: `true`, typ: validation, msg: member},
		{name: "empty object", body: `{}`, typ: validation, msg: member},
		{name: "second object", body: probe + `{}`, typ: serialization, msg: bare},
		{name: "trailing garbage", body: probe + " x", typ: serialization, msg: bare},
		{name: "trailing brace", body: probe + "}", typ: serialization, msg: bare},
		{name: "nested 10001 deep", body: strings.Repeat("[", 10001), typ: serialization, msg: "not JSON"},
		{name: "nested 10001 deep in an unknown member", body: `{"x":` + strings.Repeat("[", 10001) + strings.Repeat("]", 10001) + "," + probe[1:],
			typ: serialization, msg: "not JSON"},
		{name: "300 KiB in an unknown member", body: `{"pad":"` + strings.Repeat("p", 300*kib) + `",` + probe[1:], typ: notFound, msg: "Requested resource not found"},
		{name: "body over 16 MiB", body: `{"pad":"` + strings.Repeat("p", maxRequestBytes) + `",` + probe[1:],
			status: http.StatusRequestEntityTooLarge, typ: serialization, msg: "over"},
		{name: "duplicate member, the last bad", body: duplicate, typ: validation, msg: "a/b"},
		{name: "invalid UTF-8 in the table name", body: raw("no-such-table\xff"), typ: serialization, msg: "UTF-8"},
		{name: "raw control character in the table name", body: raw("no-such-table\x01"), typ: serialization, msg: bare},
		{name: "member null", body: o.with("null"), typ: validation, msg: member},
		{name: "member missing", body: "{" + strings.TrimPrefix(o.rest, ",") + "}", typ: validation, msg: member},
		{name: "table name empty", body: o.naming(""), typ: validation, msg: member},
		{name: "table name of 2 characters", body: o.naming("ab"), typ: validation, msg: member},
		{name: "table name of 256 characters", body: o.naming(strings.Repeat("t", 256)), typ: validation, msg: member},
		{name: "table name of 300 KiB", body: o.naming(strings.Repeat("t", 300*kib)), typ: validation, msg: member},
		{name: "table name with a slash", body: o.naming(e.table + "/x"), typ: validation, msg: member},
		{name: "table name with a hash", body: o.naming(e.table + "#x"), typ: validation, msg: member},
		{name: "table name with a space", body: o.naming(e.table + " x"), typ: validation, msg: member},
		{name: "table name with a Cyrillic a", body: o.naming(strings.Replace(e.table, "a", cyrillicA, 1)), typ: validation, msg: member},
		{name: "table name with a zero-width space", body: o.naming(e.table + "\u200b"), typ: validation, msg: member},
		{name: "table name with a control character", body: o.naming(e.table + "\u0001"), typ: validation, msg: member},
		{name: "table name in upper case", body: o.naming(strings.ToUpper(e.table)), typ: notFound, msg: "Requested resource not found"},
		{name: "table name with a dot added", body: o.naming(e.table + "."), typ: notFound, msg: "Requested resource not found"},
		{name: "operation in lower case", target: TargetPrefix + string(first), body: probe, typ: unknownOp, msg: bare},
		{name: "target prefix only", target: TargetPrefix, body: probe, typ: unknownOp, msg: bare},
		{name: "target without the service", target: o.op, body: probe, typ: unknownOp, msg: bare},
		{name: "target of Step Functions", target: "AWSStepFunctions." + o.op, body: probe, typ: unknownOp, msg: bare},
		{name: "unsigned", body: probe, unsigned: true, typ: "MissingAuthenticationTokenException", msg: "Authentication Token"},
	}
}

// abuseEnv is the local endpoint with the template's TokensTable holding
// one item.
type abuseEnv struct {
	url, table string
	seen       string // the tables and items as last seen
}

func newAbuseEnv(t *testing.T) *abuseEnv {
	t.Helper()
	table, front := proxied(t)
	e := &abuseEnv{url: front.URL, table: table.Name}
	seed := obj("TableName", q(e.table), "Item", `{"documentId":{"S":"doc-1"},"signer":{"S":"Bob"},"status":{"S":"PENDING"}}`)
	if a := e.send(t, TargetPrefix+"PutItem", seed, true); a.status != http.StatusOK {
		t.Fatalf("seeding PutItem: %d %s", a.status, a.raw)
	}
	e.seen = e.snapshot(t)
	return e
}

// run sends each case and checks its answer and that nothing changed.
func (e *abuseEnv) run(t *testing.T, op string, cases []abuseCase) {
	t.Helper()
	if len(cases) < 30 {
		t.Errorf("%s has %d cases, want at least 30", op, len(cases))
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			if c.msg == bare && c.typ != serialization && c.typ != unknownOp {
				t.Fatalf("DynamoDB answers %s with a message: the case must name a part of it", c.typ)
			}
			target, status := c.target, c.status
			if target == "" {
				target = TargetPrefix + op
			}
			if status == 0 {
				status = http.StatusBadRequest
			}
			a := e.send(t, target, c.body, !c.unsigned)
			switch {
			case a.status != status || !strings.HasSuffix(a.Type, "#"+c.typ):
				t.Errorf("got %d %q, want %d %s: %s", a.status, a.Type, status, c.typ, clip(a.raw))
			case c.msg != bare && !strings.Contains(strings.ToLower(a.message()), strings.ToLower(c.msg)):
				t.Errorf("message %.300q, want one naming %q", a.message(), c.msg)
			}
			if now := e.snapshot(t); now != e.seen {
				t.Errorf("the tables changed:\nbefore %.600s\nafter  %.600s", e.seen, now)
				e.seen = now
			}
		})
	}
}

// snapshot lists the tables and every item of TokensTable; it fails the
// test if DynamoDB no longer answers (a request that crashed dynalite).
func (e *abuseEnv) snapshot(t *testing.T) string {
	t.Helper()
	var b strings.Builder
	for _, r := range []struct{ op, body string }{
		{"ListTables", `{}`},
		{"Scan", obj("TableName", q(e.table), "ConsistentRead", "true")},
	} {
		a := e.send(t, TargetPrefix+r.op, r.body, true)
		if a.status != http.StatusOK {
			t.Fatalf("DynamoDB stopped answering: %s %d %s", r.op, a.status, clip(a.raw))
		}
		b.WriteString(a.raw)
	}
	return b.String()
}

// answer is a decoded DynamoDB answer; dynalite, like AWS, spells the
// message "message" or "Message".
type answer struct {
	status int
	Type   string `json:"__type"`
	Lower  string `json:"message"`
	Upper  string `json:"Message"`
	raw    string
}

func (a answer) message() string { return a.Lower + a.Upper }

// send posts a DynamoDB API request; signed adds the SigV4 headers, whose
// signature dynalite (like the local endpoint) does not verify.
func (e *abuseEnv) send(t *testing.T, target, body string, signed bool) answer {
	t.Helper()
	req, err := http.NewRequest(http.MethodPost, e.url, strings.NewReader(body))
	if err != nil {
		t.Fatal(err)
	}
	req.Header.Set("Content-Type", "application/x-amz-json-1.0")
	req.Header.Set("X-Amz-Target", target)
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
	raw, err := io.ReadAll(resp.Body)
	if err != nil {
		t.Fatal(err)
	}
	a := answer{status: resp.StatusCode, raw: string(raw)}
	_ = json.Unmarshal(raw, &a)
	return a
}

// q quotes s as a JSON string.
func q(s string) string {
	b, _ := json.Marshal(s)
	return string(b)
}

// obj renders a JSON object from names and raw JSON values, in order.
func obj(kv ...string) string {
	var b strings.Builder
	b.WriteByte('{')
	for i := 0; i+1 < len(kv); i += 2 {
		if i > 0 {
			b.WriteByte(',')
		}
		b.WriteString(q(kv[i]) + ":" + kv[i+1])
	}
	return b.String() + "}"
}

func clip(s string) string {
	if len(s) > 300 {
		return s[:300] + "…"
	}
	return s
}
