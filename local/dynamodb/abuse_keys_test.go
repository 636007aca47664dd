package dynamodb

import (
	"strings"
)

// The bad keys and items, shared by the operations that take one. The
// requests around them are valid, so each case checks one thing.

// key is TokensTable's key for a document and signer.
func key(doc, signer string) string {
	return `{"documentId":{"S":` + q(doc) + `},"signer":{"S":` + q(signer) + `}}`
}

// nested returns an attribute value of n levels: n-1 maps and lists
// around a string.
func nested(n int) string {
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

// keyCases vary the key of a request; inItem is true when the key is part
// of a whole item (PutItem), which may hold other attributes.
func keyCases(with func(key string) string, inItem bool) []abuseCase {
	doc := func(v string) string { return with(`{"documentId":` + v + `,"signer":{"S":"Bob"}}`) }
	named := func(partition, sort string) string {
		return with(`{` + q(partition) + `:{"S":"doc-1"},` + q(sort) + `:{"S":"Bob"}}`)
	}
	cases := []abuseCase{
		{name: "key without its sort key", body: with(`{"documentId":{"S":"doc-1"}}`), typ: validation, msg: "key"},
		{name: "key empty", body: with(`{}`), typ: validation, msg: "key"},
		{name: "key name with a Cyrillic e", body: named("docum"+cyrillicE+"ntId", "signer"), typ: validation, msg: "key"},
		{name: "key name with a hash", body: named("document#Id", "signer"), typ: validation, msg: "key"},
		{name: "key name with a control character", body: named("documentId\u0001", "signer"), typ: validation, msg: "key"},
		{name: "sort key name in another case", body: named("documentId", "Signer"), typ: validation, msg: "key"},
		{name: "key attribute twice, the last a number", body: with(`{"documentId":{"S":"doc-1"},"signer":{"S":"Bob"},"documentId":{"N":"1"}}`),
			typ: validation, msg: "key"},
		{name: "partition key a number", body: doc(`{"N":"1"}`), typ: validation, msg: "key"},
		{name: "partition key a map", body: doc(`{"M":{}}`), typ: validation, msg: "key"},
		{name: "partition key a string set", body: doc(`{"SS":["doc-1"]}`), typ: validation, msg: "key"},
		{name: "partition key empty", body: doc(`{"S":""}`), typ: validation, msg: "empty"},
		{name: "partition key of 2049 bytes", body: doc(`{"S":"` + strings.Repeat("k", 2049) + `"}`), typ: validation, msg: "2048"},
		{name: "partition key of 300 KiB", body: doc(`{"S":"` + strings.Repeat("k", 300*kib) + `"}`), typ: validation, msg: "size"},
		{name: "key value a JSON number", body: doc(`{"S":5}`), typ: serialization, msg: "NUMBER_VALUE"},
		{name: "key value with two types", body: doc(`{"S":"doc-1","N":"1"}`), typ: validation, msg: "more than one datatypes"},
		{name: "key value's type twice, the last a number", body: doc(`{"S":"doc-1","S":5}`), typ: serialization, msg: "NUMBER_VALUE"},
		{name: "key value without a type", body: doc(`{}`), typ: validation, msg: "datatypes"},
		{name: "key value of an unknown type", body: doc(`{"X":"doc-1"}`), typ: validation, msg: "datatypes"},
		{name: "key value nested 33 deep", body: doc(nested(34)), typ: validation, msg: "Nesting Levels"},
		{name: "raw control character in a key value", body: doc(`{"S":"doc-1` + "\x01" + `"}`), typ: serialization, msg: bare},
		{name: "invalid UTF-8 in a key value", body: doc(`{"S":"doc-1` + "\xff" + `"}`), typ: serialization, msg: "UTF-8"},
		{name: "null key value", body: doc(`null`), typ: serialization, msg: "documentId"},
		{name: "key a JSON array", body: with(`[` + key("doc-1", "Bob") + `]`), typ: serialization, msg: "collection type"},
		{name: "key a string", body: with(`"doc-1"`), typ: serialization, msg: "Unexpected field type"},
	}
	if !inItem {
		cases = append(cases, abuseCase{name: "key with a non-key attribute",
			body: with(`{"documentId":{"S":"doc-1"},"signer":{"S":"Bob"},"status":{"S":"PENDING"}}`), typ: validation, msg: "key"})
	}
	return cases
}

// itemCases vary the attributes, other than the key, of an item to write.
func itemCases(with func(item string) string) []abuseCase {
	attr := func(name, v string) string {
		return with(`{"documentId":{"S":"doc-2"},"signer":{"S":"Bob"},` + q(name) + ":" + v + "}")
	}
	escaped := strings.NewReplacer(`"M"`, `"\u004d"`, `"L"`, `"\u004c"`)
	return []abuseCase{
		{name: "number that is not one", body: attr("n", `{"N":"abc"}`), typ: validation, msg: "numeric"},
		{name: "number too large", body: attr("n", `{"N":"1e200"}`), typ: validation, msg: "Number overflow"},
		{name: "attribute nested 33 deep", body: attr("deep", nested(34)), typ: validation, msg: "Nesting Levels"},
		// dynalite exits on maps and lists nested this deep.
		{name: "attribute nested 1000 deep, M and L escaped", body: attr("deep", escaped.Replace(nested(1001))), typ: validation, msg: "Nesting Levels"},
		{name: "attribute nested 5000 deep", body: attr("deep", nested(5001)), typ: serialization, msg: "not JSON"},
		{name: "null list element", body: attr("l", `{"L":[null]}`), typ: serialization, msg: "l.L[0]"},
		{name: "null map member", body: attr("m", `{"M":{"x":null}}`), typ: serialization, msg: "m.M.x"},
		{name: "item over 400 KB", body: attr("big", `{"S":"`+strings.Repeat("b", 410*kib)+`"}`), typ: validation, msg: "Item size"},
		{name: "empty string set", body: attr("ss", `{"SS":[]}`), typ: validation, msg: "empty"},
		{name: "string set with a duplicate", body: attr("ss", `{"SS":["a","a"]}`), typ: validation, msg: "duplicates"},
		{name: "NULL false", body: attr("n", `{"NULL":false}`), typ: validation, msg: "Null attribute"},
		{name: "binary not Base64", body: attr("b", `{"B":"not base64!"}`), typ: serialization, msg: "Base64"},
	}
}
