package dynamodb

import (
	"fmt"
	"strings"
)

// The batch operations' bad requests: RequestItems names the tables.

// batchOp is an operation on the tables named by the keys of RequestItems;
// entry is RequestItems for one table.
func batchOp(op string, entry func(name string) string, cases []abuseCase) abuseOp {
	o := abuseOp{op: op, member: "RequestItems", table: entry}
	o.cases = append([]abuseCase{
		{name: "RequestItems a number", body: o.with("5"), typ: serialization, msg: "Unexpected field type"},
		{name: "RequestItems a string", body: o.with(`"x"`), typ: serialization, msg: "Unexpected field type"},
		{name: "RequestItems an array", body: o.with(`[]`), typ: serialization, msg: "collection type"},
		{name: "RequestItems empty", body: o.with(`{}`), typ: validation, msg: "length greater than or equal to 1"},
	}, cases...)
	return o
}

func batchGetItemCases(e *abuseEnv) []abuseCase {
	k := key("doc-1", "Bob")
	get := func(entry string) string { return obj("RequestItems", obj(e.table, entry)) }
	keys := func(ks ...string) string { return `{"Keys":[` + strings.Join(ks, ",") + `]}` }
	many := make([]string, 101)
	for i := range many {
		many[i] = key(fmt.Sprintf("doc-%d", i), "Bob")
	}
	cases := keyCases(func(k string) string { return get(keys(k)) }, false)
	for i := range cases {
		if cases[i].name == "key a string" {
			cases[i].msg = "cannot be cast" // DynamoDB's message here is a Java ClassCastException's
		}
	}
	return append(cases, []abuseCase{
		{name: "no keys", body: get(`{}`), typ: validation, msg: "keys"},
		{name: "keys empty", body: get(keys()), typ: validation, msg: "keys"},
		{name: "a key twice", body: get(keys(k, k)), typ: validation, msg: "duplicates"},
		{name: "101 keys", body: get(keys(many...)), typ: validation, msg: "less than or equal to 100"},
		{name: "projection that does not parse", body: get(`{"Keys":[` + k + `],"ProjectionExpression":"a,,"}`), typ: validation, msg: "ProjectionExpression"},
		{name: "AttributesToGet empty", body: get(`{"Keys":[` + k + `],"AttributesToGet":[]}`), typ: validation, msg: "attributesToGet"},
		{name: "table entry a list", body: get(`[` + k + `]`), typ: serialization, msg: "collection type"},
		{name: "table entry a string", body: get(`"x"`), typ: serialization, msg: "Unexpected value type"},
		{name: "null table entry", body: get(`null`), typ: serialization, msg: "RequestItems"},
		{name: "the table beside an unknown one", body: obj("RequestItems", obj(e.table, keys(k), "no-such-table", keys(k))),
			typ: notFound, msg: "Requested resource not found"},
	}...)
}

func putRequest(item string) string { return `{"PutRequest":{"Item":` + item + `}}` }

func batchWriteItemCases(e *abuseEnv) []abuseCase {
	// Every bad request goes with a good one, which must not be written either.
	good := putRequest(key("doc-3", "Bob"))
	write := func(requests ...string) string {
		return obj("RequestItems", obj(e.table, "["+strings.Join(append([]string{good}, requests...), ",")+"]"))
	}
	many := make([]string, 25)
	for i := range many {
		many[i] = putRequest(key(fmt.Sprintf("doc-%d", i+10), "Bob"))
	}
	cases := append(keyCases(func(k string) string { return write(`{"DeleteRequest":{"Key":` + k + `}}`) }, false),
		itemCases(func(item string) string { return write(putRequest(item)) })...)
	return append(cases, []abuseCase{
		{name: "no requests", body: obj("RequestItems", obj(e.table, `[]`)), typ: validation, msg: "greater than or equal to 1"},
		{name: "26 requests", body: write(many...), typ: validation, msg: "less than or equal to 25"},
		{name: "an item twice", body: write(good), typ: validation, msg: "duplicates"},
		{name: "empty request", body: write(`{}`), typ: validation, msg: "exactly one"},
		{name: "put without an item", body: write(`{"PutRequest":{}}`), typ: validation, msg: "item"},
		{name: "delete without a key", body: write(`{"DeleteRequest":{}}`), typ: validation, msg: "key"},
		{name: "null request", body: write(`null`), typ: serialization, msg: "RequestItems"},
		// DynamoDB's message for these is a Java ClassCastException's.
		{name: "table entry a string", body: obj("RequestItems", obj(e.table, `"x"`)), typ: serialization, msg: "cannot be cast"},
		{name: "the table beside an unknown one", body: obj("RequestItems", obj(e.table, "["+good+"]", "no-such-table", "["+good+"]")),
			typ: notFound, msg: "Requested resource not found"},
		{name: "unknown ReturnItemCollectionMetrics", body: strings.TrimSuffix(write(), "}") + `,"ReturnItemCollectionMetrics":"ALL"}`,
			typ: validation, msg: "returnItemCollectionMetrics"},
	}...)
}
