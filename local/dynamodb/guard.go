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
)

// maxRequestBytes bounds a request body: DynamoDB's largest requests
// (BatchWriteItem: 25 items of 400 KB) stay under 16 MB.
const maxRequestBytes = 16 << 20

// guard reads each request body and refuses, before dynalite sees them,
// the bodies that would crash it: dynalite 4.0.0 throws — and its process
// exits, taking every table of the local stack down — on a JSON null
// below a request's top-level members (an item attribute, a key, a list
// element, an expression value, a batch's table entry) or as the whole
// body. No SDK sends those (they omit absent members; DynamoDB's own null
// is {"NULL": true}), so the refusal costs clients nothing. A null member
// at the top level means "absent", as dynalite and DynamoDB take it.
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
		if typ, message := refusal(body); typ != "" {
			writeError(w, http.StatusBadRequest, typ, message)
			return
		}
		r.Body = io.NopCloser(bytes.NewReader(body))
		r.ContentLength = int64(len(body))
		next.ServeHTTP(w, r)
	})
}

// maxNesting is DynamoDB's limit on maps and lists nested in one another,
// which dynalite does not enforce.
const maxNesting = 32

// refusal returns the error type and message for a body guard refuses, or
// "" for one it passes on. A body that is not JSON is left for dynalite to
// refuse (SerializationException). Most bodies are passed on without being
// decoded: they hold no "null", and too few "M" and "L" to nest too deep.
func refusal(body []byte) (typ, message string) {
	hasNull := bytes.Contains(body, []byte("null"))
	deep := bytes.Count(body, []byte(`"M"`))+bytes.Count(body, []byte(`"L"`)) > maxNesting
	if !hasNull && !deep {
		return "", ""
	}
	var doc any
	if err := json.Unmarshal(body, &doc); err != nil {
		return "", ""
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
