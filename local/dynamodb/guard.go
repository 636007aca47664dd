package dynamodb

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"maps"
	"net/http"
	"slices"
	"strconv"
	"unicode/utf8"
)

// maxRequestBytes bounds a request body: DynamoDB's largest requests
// (BatchWriteItem: 25 items of 400 KB) stay under 16 MB.
const maxRequestBytes = 16 << 20

// guard reads each request body and refuses, before dynalite sees them,
// the bodies that would crash it: dynalite 4.0.0 throws — and its process
// exits, taking every table of the local stack down — on a JSON null
// below a request's top-level members (an item attribute, a key, a list
// element, an expression value, a batch's table entry) or as the whole
// body, and on maps and lists nested a thousand deep. No SDK sends those
// (they omit absent members; DynamoDB's own null is {"NULL": true}), so
// the refusal costs clients nothing. A null member at the top level means
// "absent", as dynalite and DynamoDB take it. It also refuses bodies that
// are not UTF-8, which dynalite would store with U+FFFD in place of the
// bad bytes.
func guard(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		body, err := io.ReadAll(http.MaxBytesReader(w, r.Body, maxRequestBytes))
		var tooLarge *http.MaxBytesError
		switch {
		case errors.As(err, &tooLarge):
			writeError(w, http.StatusRequestEntityTooLarge, "com.amazon.coral.service#SerializationException",
				fmt.Sprintf("request body over %d bytes", tooLarge.Limit))
			return
		case err != nil:
			writeError(w, http.StatusBadRequest, "com.amazon.coral.service#SerializationException",
				"reading the request body: "+err.Error())
			return
		}
		typ, message := refusal(body)
		if typ == "" {
			typ, message = returnValuesRefusal(r.Header.Get("X-Amz-Target"), body)
		}
		if typ != "" {
			writeError(w, http.StatusBadRequest, typ, message)
			return
		}
		r.Body = io.NopCloser(bytes.NewReader(body))
		r.ContentLength = int64(len(body))
		next.ServeHTTP(w, r)
	})
}

// writeReturnValues lists the ReturnValues that PutItem and DeleteItem take
// (the DynamoDB API reference: NONE or ALL_OLD). dynalite takes all five
// for every write: a DeleteItem with UPDATED_NEW deletes the item, where
// DynamoDB refuses the request and changes nothing.
var writeReturnValues = map[string][]string{
	"DynamoDB_20120810.PutItem":    {"NONE", "ALL_OLD"},
	"DynamoDB_20120810.DeleteItem": {"NONE", "ALL_OLD"},
}

// returnValuesRefusal returns the error for a PutItem or DeleteItem whose
// ReturnValues DynamoDB refuses, or "" (any other value, or body, is left to
// dynalite).
func returnValuesRefusal(target string, body []byte) (typ, message string) {
	allowed, ok := writeReturnValues[target]
	if !ok || !bytes.Contains(body, []byte(`"ReturnValues"`)) {
		return "", ""
	}
	// The exact member, as dynalite reads it (a struct field would also
	// take "returnvalues").
	var req map[string]json.RawMessage
	var value string
	if json.Unmarshal(body, &req) != nil || json.Unmarshal(req["ReturnValues"], &value) != nil ||
		value == "" || slices.Contains(allowed, value) { // "": null or empty, for dynalite
		return "", ""
	}
	return "com.amazon.coral.validate#ValidationException",
		fmt.Sprintf("Return values set to invalid value: %s takes ReturnValues NONE or ALL_OLD", target[len("DynamoDB_20120810."):])
}

// maxNesting is DynamoDB's limit on maps and lists nested in one another,
// which dynalite does not enforce.
const maxNesting = 32

// refusal returns the error type and message for a body guard refuses, or
// "" for one it passes on. Most bodies are passed on without being
// decoded: they hold no "null", and nest too shallow to hold more than
// maxNesting maps and lists (each adds two levels of JSON). A decoded body
// that is not JSON is refused, as it may be too deep for dynalite; one
// passed on undecoded is left for dynalite to refuse.
func refusal(body []byte) (typ, message string) {
	if !utf8.Valid(body) {
		return "com.amazon.coral.service#SerializationException", "the request body is not valid UTF-8"
	}
	if !bytes.Contains(body, []byte("null")) && jsonDepth(body) <= 2*maxNesting {
		return "", ""
	}
	var doc any
	if err := json.Unmarshal(body, &doc); err != nil {
		return "com.amazon.coral.service#SerializationException", "the request body is not JSON: " + err.Error()
	}
	if path, found := nestedNull(doc); found {
		return "com.amazon.coral.service#SerializationException",
			"JSON null at " + path + " is not a DynamoDB value (omit the member, or use {\"NULL\": true})"
	}
	if n := containers(doc); n > maxNesting {
		return "com.amazon.coral.validate#ValidationException",
			fmt.Sprintf("Nesting Levels have exceeded supported limits: %d maps and lists nested, at most %d", n, maxNesting)
	}
	return "", ""
}

// nestedNull returns the path of the first JSON null in doc that is the
// whole document or below a top-level member.
func nestedNull(doc any) (string, bool) {
	if doc == nil {
		return "the request body", true
	}
	top, ok := doc.(map[string]any)
	if !ok {
		return "", false
	}
	for name, v := range top {
		if v == nil {
			continue
		}
		if path, found := findNull(v, name); found {
			return path, true
		}
	}
	return "", false
}

func findNull(v any, path string) (string, bool) {
	switch v := v.(type) {
	case nil:
		return path, true
	case map[string]any:
		for k, x := range v {
			if p, found := findNull(x, path+"."+k); found {
				return p, true
			}
		}
	case []any:
		for i, x := range v {
			if p, found := findNull(x, path+"["+strconv.Itoa(i)+"]"); found {
				return p, true
			}
		}
	}
	return "", false
}

// jsonDepth returns how deep JSON objects and arrays nest in body, not
// counting brackets in strings; it does not check that body is JSON.
func jsonDepth(body []byte) int {
	depth, deepest := 0, 0
	inString, escaped := false, false
	for _, c := range body {
		switch {
		case escaped:
			escaped = false
		case inString:
			escaped = c == '\\'
			inString = c != '"'
		case c == '"':
			inString = true
		case c == '{' || c == '[':
			depth++
			deepest = max(deepest, depth)
		case c == '}' || c == ']':
			depth--
		}
	}
	return deepest
}

// containers returns the most map (M) and list (L) attribute values
// nested in one another anywhere in v.
func containers(v any) int {
	deepest := func(children func(yield func(any) bool)) int {
		n := 0
		for c := range children {
			n = max(n, containers(c))
		}
		return n
	}
	switch v := v.(type) {
	case map[string]any:
		if len(v) == 1 {
			if m, ok := v["M"].(map[string]any); ok {
				return 1 + deepest(maps.Values(m))
			}
			if l, ok := v["L"].([]any); ok {
				return 1 + deepest(slices.Values(l))
			}
		}
		return deepest(maps.Values(v))
	case []any:
		return deepest(slices.Values(v))
	}
	return 0
}

// writeError answers in the shape of DynamoDB's JSON errors.
func writeError(w http.ResponseWriter, status int, typ, message string) {
	body, _ := json.Marshal(map[string]string{"__type": typ, "message": message})
	w.Header().Set("Content-Type", "application/x-amz-json-1.0")
	w.WriteHeader(status)
	w.Write(body)
}
