package dynamodb

import (
	"slices"
	"strings"
)

// Each operation's own bad requests. Messages are DynamoDB's, as dynalite
// reproduces them; limits are DynamoDB's (table names 3–255 characters of
// [a-zA-Z0-9_.-], partition keys 2048 bytes, items 400 KB, 32 levels of
// nesting, 100 keys per BatchGetItem, 25 requests per BatchWriteItem).

// abuseOps lists the operations under test, with their own cases.
func abuseOps(e *abuseEnv) []abuseOp {
	k := key("doc-1", "Bob")
	return []abuseOp{
		tableOp("GetItem", `,"Key":`+k, getItemCases(e)),
		tableOp("PutItem", `,"Item":`+key("doc-2", "Bob"), putItemCases(e)),
		tableOp("UpdateItem", `,"Key":`+k+`,"UpdateExpression":"SET #s = :s","ExpressionAttributeNames":{"#s":"status"},"ExpressionAttributeValues":{":s":{"S":"SIGNED"}}`,
			updateItemCases(e)),
		tableOp("DeleteItem", `,"Key":`+k, deleteItemCases(e)),
		tableOp("Query", `,"KeyConditionExpression":"documentId = :d","ExpressionAttributeValues":{":d":{"S":"doc-1"}}`, queryCases(e)),
		tableOp("Scan", `,"ConsistentRead":true`, scanCases(e)),
		tableOp("DescribeTable", ``, nil),
		batchOp("BatchGetItem", func(name string) string { return "{" + name + `:{"Keys":[` + k + `]}}` }, batchGetItemCases(e)),
		batchOp("BatchWriteItem", func(name string) string { return "{" + name + `:[` + putRequest(key("doc-2", "Bob")) + `]}` },
			batchWriteItemCases(e)),
	}
}

// tableOp is an operation on the table named by TableName.
func tableOp(op, rest string, cases []abuseCase) abuseOp {
	o := abuseOp{op: op, member: "TableName", table: func(name string) string { return name }, rest: rest}
	o.cases = append([]abuseCase{
		{name: "table name a number", body: o.with("5"), typ: serialization, msg: "NUMBER_VALUE"},
		{name: "table name an object", body: o.with(`{"name":"x"}`), typ: serialization, msg: "Start of structure"},
		{name: "table name an array", body: o.with(`["x"]`), typ: serialization, msg: "collection type"},
		{name: "table name a boolean", body: o.with("false"), typ: serialization, msg: "FALSE_VALUE"},
	}, cases...)
	return o
}

// request renders a request on the table: TableName, then kv.
func (e *abuseEnv) request(kv ...string) string {
	return obj(append([]string{"TableName", q(e.table)}, kv...)...)
}

func getItemCases(e *abuseEnv) []abuseCase {
	k := key("doc-1", "Bob")
	get := func(kv ...string) string { return e.request(append([]string{"Key", k}, kv...)...) }
	return append(keyCases(func(k string) string { return e.request("Key", k) }, false), []abuseCase{
		{name: "no key", body: e.request(), typ: validation, msg: "key"},
		{name: "projection that does not parse", body: get("ProjectionExpression", `"status,,"`), typ: validation, msg: "ProjectionExpression"},
		{name: "projection with an undefined name", body: get("ProjectionExpression", `"#x"`), typ: validation, msg: "#x"},
		{name: "unused expression name", body: get("ProjectionExpression", `"signer"`, "ExpressionAttributeNames", `{"#x":"a"}`), typ: validation, msg: "#x"},
		{name: "expression name # alone", body: get("ProjectionExpression", `"#"`, "ExpressionAttributeNames", `{"#":"status"}`), typ: validation, msg: `"#"`},
		{name: "projection beside AttributesToGet", body: get("ProjectionExpression", `"signer"`, "AttributesToGet", `["status"]`),
			typ: validation, msg: "both expression and non-expression"},
		{name: "unknown ReturnConsumedCapacity", body: get("ReturnConsumedCapacity", `"ALL_OF_IT"`), typ: validation, msg: "returnConsumedCapacity"},
	}...)
}

func putItemCases(e *abuseEnv) []abuseCase {
	put := func(item string, kv ...string) string { return e.request(append([]string{"Item", item}, kv...)...) }
	seeded, fresh := key("doc-1", "Bob"), key("doc-2", "Bob")
	cases := append(keyCases(func(k string) string { return put(k) }, true), itemCases(func(item string) string { return put(item) })...)
	return append(cases, []abuseCase{
		{name: "no item", body: e.request(), typ: validation, msg: "item"},
		{name: "ReturnValues of an update", body: put(seeded, "ReturnValues", `"UPDATED_NEW"`), typ: validation, msg: "NONE or ALL_OLD"},
		{name: "item twice, the last without its sort key", body: put(fresh, "Item", `{"documentId":{"S":"doc-2"}}`), typ: validation, msg: "key"},
		{name: "overwrite refused by its condition", body: put(seeded, "ConditionExpression", `"attribute_not_exists(documentId)"`),
			typ: conditional, msg: "conditional request failed"},
		{name: "condition that does not parse", body: put(fresh, "ConditionExpression", `"attribute_not_exists("`), typ: validation, msg: "ConditionExpression"},
		{name: "condition with an undefined value", body: put(fresh, "ConditionExpression", `"#s = :nope"`, "ExpressionAttributeNames", `{"#s":"status"}`),
			typ: validation, msg: ":nope"},
		{name: "unused expression value", body: put(fresh, "ConditionExpression", `"attribute_not_exists(documentId)"`, "ExpressionAttributeValues", `{":x":{"S":"x"}}`),
			typ: validation, msg: ":x"},
		{name: "null expression value", body: put(fresh, "ConditionExpression", `"#s = :v"`, "ExpressionAttributeNames", `{"#s":"status"}`, "ExpressionAttributeValues", `{":v":null}`),
			typ: serialization, msg: ":v"},
		{name: "unknown ReturnValues", body: put(fresh, "ReturnValues", `"EVERYTHING"`), typ: validation, msg: "returnValues"},
	}...)
}

func updateItemCases(e *abuseEnv) []abuseCase {
	k := key("doc-1", "Bob")
	update := func(kv ...string) string { return e.request(append([]string{"Key", k}, kv...)...) }
	names := `{"#s":"status"}`
	set := func(value string, kv ...string) string {
		return update(append([]string{"UpdateExpression", `"SET #s = :s"`, "ExpressionAttributeNames", names,
			"ExpressionAttributeValues", `{":s":` + value + `}`}, kv...)...)
	}
	keyed := func(k string) string {
		return e.request("Key", k, "UpdateExpression", `"SET #s = :s"`, "ExpressionAttributeNames", names, "ExpressionAttributeValues", `{":s":{"S":"SIGNED"}}`)
	}
	signed := `{"S":"SIGNED"}`
	return append(keyCases(keyed, false), []abuseCase{
		{name: "update that does not parse", body: update("UpdateExpression", `"SET = 1"`), typ: validation, msg: "UpdateExpression"},
		{name: "update expression twice, the last not parsing", body: set(signed, "UpdateExpression", `"SET"`), typ: validation, msg: "UpdateExpression"},
		{name: "update of a key attribute", body: update("UpdateExpression", `"SET signer = :s"`, "ExpressionAttributeValues", `{":s":{"S":"Eve"}}`),
			typ: validation, msg: "key"},
		{name: "update with an undefined name", body: update("UpdateExpression", `"SET #x = :s"`, "ExpressionAttributeValues", `{":s":{"S":"x"}}`),
			typ: validation, msg: "#x"},
		{name: "update with a control character in a name", body: update("UpdateExpression", `"SET #s = :s"`, "ExpressionAttributeNames", `{"#s\u0001":"status"}`,
			"ExpressionAttributeValues", `{":s":{"S":"x"}}`), typ: validation, msg: "#s"},
		{name: "update whose condition fails", body: set(signed, "ConditionExpression", `"#s = :other"`, "ExpressionAttributeValues", `{":s":{"S":"SIGNED"},":other":{"S":"CLAIMED"}}`),
			typ: conditional, msg: "conditional request failed"},
		{name: "two paths that overlap", body: update("UpdateExpression", `"SET #s = :s, #s = :s"`, "ExpressionAttributeNames", names, "ExpressionAttributeValues", `{":s":{"S":"x"}}`),
			typ: validation, msg: "overlap"},
		{name: "ADD to a string", body: update("UpdateExpression", `"ADD #s :s"`, "ExpressionAttributeNames", names, "ExpressionAttributeValues", `{":s":{"S":"x"}}`),
			typ: validation, msg: "operand type"},
		{name: "expression beside AttributeUpdates", body: set(signed, "AttributeUpdates", `{"status":{"Action":"PUT","Value":{"S":"x"}}}`),
			typ: validation, msg: "both expression and non-expression"},
		{name: "value nested 33 deep", body: set(nested(34)), typ: validation, msg: "Nesting Levels"},
		{name: "item over 400 KB", body: set(`{"S":"` + strings.Repeat("b", 410*kib) + `"}`), typ: validation, msg: "Item size"},
		{name: "invalid UTF-8 in a value", body: set(`{"S":"SIGNED` + "\xff" + `"}`), typ: serialization, msg: "UTF-8"},
		{name: "unknown ReturnValues", body: set(signed, "ReturnValues", `"EVERYTHING"`), typ: validation, msg: "returnValues"},
		{name: "null attribute update", body: update("AttributeUpdates", `{"status":null}`), typ: serialization, msg: "AttributeUpdates"},
		{name: "null expected value", body: update("Expected", `{"status":null}`), typ: serialization, msg: "Expected"},
	}...)
}

func deleteItemCases(e *abuseEnv) []abuseCase {
	k := key("doc-1", "Bob")
	del := func(kv ...string) string { return e.request(append([]string{"Key", k}, kv...)...) }
	return append(keyCases(func(k string) string { return e.request("Key", k) }, false), []abuseCase{
		{name: "no key", body: e.request(), typ: validation, msg: "key"},
		{name: "key twice, the last a number", body: del("Key", `{"documentId":{"N":"1"},"signer":{"S":"Bob"}}`), typ: validation, msg: "key"},
		{name: "delete whose condition fails", body: del("ConditionExpression", `"#s = :s"`, "ExpressionAttributeNames", `{"#s":"status"}`,
			"ExpressionAttributeValues", `{":s":{"S":"SIGNED"}}`), typ: conditional, msg: "conditional request failed"},
		{name: "delete whose Expected fails", body: del("Expected", `{"status":{"Value":{"S":"SIGNED"}}}`), typ: conditional, msg: "conditional request failed"},
		{name: "condition that does not parse", body: del("ConditionExpression", `"attribute_exists("`), typ: validation, msg: "ConditionExpression"},
		{name: "Expected beside a condition", body: del("Expected", `{"status":{"Value":{"S":"X"}}}`, "ConditionExpression", `"attribute_exists(signer)"`),
			typ: validation, msg: "both expression and non-expression"},
		{name: "unknown ReturnValues", body: del("ReturnValues", `"EVERYTHING"`), typ: validation, msg: "ReturnValues"},
		{name: "ReturnValues of an update (dynalite deleted the item)", body: del("ReturnValues", `"UPDATED_NEW"`), typ: validation, msg: "NONE or ALL_OLD"},
		{name: "ReturnValues ALL_NEW", body: del("ReturnValues", `"ALL_NEW"`), typ: validation, msg: "NONE or ALL_OLD"},
		{name: "null expected value", body: del("Expected", `{"status":null}`), typ: serialization, msg: "Expected"},
	}...)
}

func queryCases(e *abuseEnv) []abuseCase {
	byDoc := []string{"KeyConditionExpression", `"documentId = :d"`}
	values := func(v string) []string { return []string{"ExpressionAttributeValues", `{":d":` + v + `}`} }
	query := func(kv ...string) string {
		return e.request(slices.Concat(byDoc, values(`{"S":"doc-1"}`), kv)...)
	}
	return []abuseCase{
		{name: "no key condition", body: e.request(), typ: validation, msg: "KeyConditionExpression"},
		{name: "key condition on a non-key attribute", body: e.request("KeyConditionExpression", `"#s = :s"`, "ExpressionAttributeNames", `{"#s":"status"}`,
			"ExpressionAttributeValues", `{":s":{"S":"PENDING"}}`), typ: validation, msg: "key"},
		{name: "key condition twice, the last on a non-key attribute", body: query("KeyConditionExpression", `"note = :d"`), typ: validation, msg: "key"},
		{name: "key condition that does not parse", body: e.request(slices.Concat([]string{"KeyConditionExpression", `"documentId = :d AND"`}, values(`{"S":"doc-1"}`))...),
			typ: validation, msg: "KeyConditionExpression"},
		{name: "key condition with an undefined value", body: e.request("KeyConditionExpression", `"documentId = :nope"`), typ: validation, msg: ":nope"},
		{name: "begins_with on the partition key", body: e.request(slices.Concat([]string{"KeyConditionExpression", `"begins_with(documentId, :d)"`}, values(`{"S":"doc"}`))...),
			typ: validation, msg: "key condition not supported"},
		{name: "key value of the wrong type", body: e.request(slices.Concat(byDoc, values(`{"N":"1"}`))...), typ: validation, msg: "does not match schema type"},
		{name: "invalid UTF-8 in the key value", body: e.request(slices.Concat(byDoc, values(`{"S":"doc-1`+"\xff"+`"}`))...), typ: serialization, msg: "UTF-8"},
		{name: "key value nested 33 deep", body: e.request(slices.Concat(byDoc, values(nested(34)))...), typ: validation, msg: "Nesting Levels"},
		{name: "value name with a control character", body: e.request(slices.Concat(byDoc, []string{"ExpressionAttributeValues", `{":d\u0001":{"S":"doc-1"}}`})...),
			typ: validation, msg: "ExpressionAttributeValues"},
		{name: "unused expression value", body: e.request(slices.Concat(byDoc, []string{"ExpressionAttributeValues", `{":d":{"S":"doc-1"},":e":{"S":"x"}}`})...),
			typ: validation, msg: ":e"},
		{name: "Limit 0", body: query("Limit", "0"), typ: validation, msg: "limit"},
		{name: "Limit negative", body: query("Limit", "-1"), typ: validation, msg: "limit"},
		{name: "Limit a string", body: query("Limit", `"5"`), typ: serialization, msg: "Integer"},
		{name: "unknown index", body: query("IndexName", `"byNothing"`), typ: validation, msg: "byNothing"},
		{name: "index name with a Cyrillic a", body: query("IndexName", q("by"+cyrillicA)), typ: validation, msg: "indexName"},
		{name: "starting key without its sort key", body: query("ExclusiveStartKey", `{"documentId":{"S":"doc-1"}}`), typ: validation, msg: "starting key"},
		{name: "unknown Select", body: query("Select", `"EVERYTHING"`), typ: validation, msg: "select"},
		{name: "filter on a key attribute", body: query("FilterExpression", `"signer = :d"`), typ: validation, msg: "primary key"},
		{name: "null key condition", body: e.request("KeyConditions", `{"documentId":null}`), typ: serialization, msg: "KeyConditions"},
	}
}

func scanCases(e *abuseEnv) []abuseCase {
	filter := func(expr, values string) string {
		return e.request("FilterExpression", q(expr), "ExpressionAttributeNames", `{"#s":"status"}`, "ExpressionAttributeValues", values)
	}
	return []abuseCase{
		{name: "Limit 0", body: e.request("Limit", "0"), typ: validation, msg: "limit"},
		{name: "Limit twice, the last 0", body: e.request("Limit", "5", "Limit", "0"), typ: validation, msg: "limit"},
		{name: "Limit a string", body: e.request("Limit", `"1"`), typ: serialization, msg: "Integer"},
		{name: "TotalSegments 0", body: e.request("Segment", "0", "TotalSegments", "0"), typ: validation, msg: "totalSegments"},
		{name: "Segment not below TotalSegments", body: e.request("Segment", "2", "TotalSegments", "2"), typ: validation, msg: "Segment"},
		{name: "Segment negative", body: e.request("Segment", "-1", "TotalSegments", "2"), typ: validation, msg: "segment"},
		{name: "filter that does not parse", body: e.request("FilterExpression", `"#s ="`, "ExpressionAttributeNames", `{"#s":"status"}`),
			typ: validation, msg: "FilterExpression"},
		{name: "filter with an undefined value", body: e.request("FilterExpression", `"#s = :v"`, "ExpressionAttributeNames", `{"#s":"status"}`),
			typ: validation, msg: ":v"},
		{name: "filter value nested 33 deep", body: filter("#s = :v", `{":v":`+nested(34)+`}`), typ: validation, msg: "Nesting Levels"},
		{name: "filter value with invalid UTF-8", body: filter("#s = :v", `{":v":{"S":"PENDING`+"\xff"+`"}}`), typ: serialization, msg: "UTF-8"},
		{name: "starting key without its sort key", body: e.request("ExclusiveStartKey", `{"documentId":{"S":"doc-1"}}`), typ: validation, msg: "starting key"},
		{name: "unknown Select", body: e.request("Select", `"EVERYTHING"`), typ: validation, msg: "select"},
		{name: "unknown index", body: e.request("IndexName", `"byNothing"`), typ: validation, msg: "byNothing"},
		{name: "null scan filter", body: e.request("ScanFilter", `{"status":null}`), typ: serialization, msg: "ScanFilter"},
	}
}
