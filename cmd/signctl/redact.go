package main

import (
	"encoding/json"
	"regexp"
	"strings"
)

// redacted replaces a task token wherever signctl would otherwise print one.
const redacted = "<redacted>"

// tokenField matches a task token written as a JSON member or as key=value
// in text: "taskToken":"…", taskToken=…, TaskToken: … (any case).
var tokenField = regexp.MustCompile(`(?i)("?task_?token"?\s*[:=]\s*)("(?:[^"\\]|\\.)*"|[^\s,;}\]"]+)`)

// redactTokens hides task tokens in text that came from AWS (error causes,
// function error messages, stored reasons). Task tokens are secrets: whoever
// holds one can complete the task.
func redactTokens(s string) string {
	if !strings.Contains(strings.ToLower(s), "token") {
		return s
	}
	return tokenField.ReplaceAllStringFunc(s, func(m string) string {
		sub := tokenField.FindStringSubmatch(m)
		if strings.HasPrefix(sub[2], `"`) {
			return sub[1] + `"` + redacted + `"`
		}
		return sub[1] + redacted
	})
}

// redactJSON returns the JSON document (compact, members sorted) with the
// value of every member named like a task token ("taskToken", "TaskToken";
// not "taskToken.$" — a path is not a secret) replaced, at any depth. Text
// that is not JSON is passed through redactTokens.
func redactJSON(doc string) string {
	var v any
	dec := json.NewDecoder(strings.NewReader(doc))
	dec.UseNumber() // keep numbers as written
	if err := dec.Decode(&v); err != nil || dec.More() {
		return redactTokens(doc)
	}
	var b strings.Builder
	enc := json.NewEncoder(&b)
	enc.SetEscapeHTML(false)
	if err := enc.Encode(redactValue(v)); err != nil {
		return redactTokens(doc)
	}
	return strings.TrimSuffix(b.String(), "\n")
}

func redactValue(v any) any {
	switch v := v.(type) {
	case map[string]any:
		for k, e := range v {
			if isTokenKey(k) {
				v[k] = redacted
				continue
			}
			v[k] = redactValue(e)
		}
	case []any:
		for i, e := range v {
			v[i] = redactValue(e)
		}
	case string:
		return redactTokens(v)
	}
	return v
}

func isTokenKey(k string) bool {
	k = strings.ToLower(strings.ReplaceAll(k, "_", ""))
	return k == "tasktoken" || k == "token"
}
