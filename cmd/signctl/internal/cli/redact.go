package cli

import (
	"encoding/json"
	"regexp"
	"strings"
	"unicode"
)

// Task tokens are secrets: whoever holds one can complete the task. signctl
// never asks for one: it reads run histories without execution data (so
// without the callback tasks' parameters) and projects the token-table
// attributes but the token. What it still reads is text other processes
// wrote: a run's output and causes, a Lambda's error message, a decline's
// reason. That text should hold no token; RedactTokens and RedactJSON hide
// one anyway if it is under a key named like a token or shaped like one
// (AWS's long base64 tokens, the local engine's 64-character base64url ones).

// Redacted replaces a task token wherever signctl would otherwise print one.
const Redacted = "<redacted>"

// tokenField matches a task token written as a JSON member or as key=value
// in text: "taskToken":"…", taskToken=…, TaskToken: … (any case).
var tokenField = regexp.MustCompile(`(?i)("?task_?token"?\s*[:=]\s*)("(?:[^"\\]|\\.)*"|[^\s,;}\]"]+)`)

// tokenMember matches a JSON member whose name contains "token" (any case)
// and whose value is a string: "callbackToken":"…".
var tokenMember = regexp.MustCompile(`(?i)"([^"\\]*token[^"\\]*)"(\s*:\s*)"(?:[^"\\]|\\.)*"`)

// base64Run is an unbroken run of base64 or base64url characters.
var base64Run = regexp.MustCompile(`[A-Za-z0-9+/=_-]+`)

// RedactTokens hides task tokens in text that came from AWS (error causes,
// function error messages, stored reasons, outputs).
func RedactTokens(s string) string {
	s = base64Run.ReplaceAllStringFunc(s, func(run string) string {
		if looksLikeToken(run) {
			return Redacted
		}
		return run
	})
	if !strings.Contains(strings.ToLower(s), "token") {
		return s
	}
	s = tokenMember.ReplaceAllStringFunc(s, func(m string) string {
		sub := tokenMember.FindStringSubmatch(m)
		if !isTokenKey(sub[1]) {
			return m
		}
		return `"` + sub[1] + `"` + sub[2] + `"` + Redacted + `"`
	})
	return tokenField.ReplaceAllStringFunc(s, func(m string) string {
		sub := tokenField.FindStringSubmatch(m)
		if strings.HasPrefix(sub[2], `"`) {
			return sub[1] + `"` + Redacted + `"`
		}
		return sub[1] + Redacted
	})
}

// looksLikeToken reports whether a run of base64 characters is shaped like
// a task token: AWS's are hundreds of characters long; the local engine's
// are 64 base64url characters of random bits, which (unlike an ordinary
// identifier of that length, almost always) mix upper case, lower case and
// digits. Document IDs are at most 80 characters, so they are never taken
// for AWS tokens.
func looksLikeToken(run string) bool {
	if len(run) >= 100 {
		return true
	}
	if len(run) != 64 || strings.ContainsAny(run, "+/=") {
		return false
	}
	return strings.IndexFunc(run, unicode.IsUpper) >= 0 && strings.IndexFunc(run, unicode.IsLower) >= 0 &&
		strings.IndexFunc(run, unicode.IsDigit) >= 0
}

// RedactJSON returns the JSON document (compact, members sorted) with the
// value of every member named like a token ("taskToken", "callbackToken";
// not "taskToken.$" — a path is not a secret) replaced, at any depth, and
// other strings passed through RedactTokens. Text that is not JSON is passed
// through RedactTokens.
func RedactJSON(doc string) string {
	var v any
	dec := json.NewDecoder(strings.NewReader(doc))
	dec.UseNumber() // keep numbers as written
	if err := dec.Decode(&v); err != nil || dec.More() {
		return RedactTokens(doc)
	}
	var b strings.Builder
	enc := json.NewEncoder(&b)
	enc.SetEscapeHTML(false)
	if err := enc.Encode(redactValue(v)); err != nil {
		return RedactTokens(doc)
	}
	return strings.TrimSuffix(b.String(), "\n")
}

func redactValue(v any) any {
	switch v := v.(type) {
	case map[string]any:
		for k, e := range v {
			if _, isString := e.(string); isString && isTokenKey(k) {
				v[k] = Redacted
				continue
			}
			v[k] = redactValue(e)
		}
	case []any:
		for i, e := range v {
			v[i] = redactValue(e)
		}
	case string:
		return RedactTokens(v)
	}
	return v
}

// isTokenKey reports whether a member named k holds a token: its name
// contains "token" (any case) and it is not a path ("….$").
func isTokenKey(k string) bool {
	return strings.Contains(strings.ToLower(k), "token") && !strings.HasSuffix(k, ".$")
}
