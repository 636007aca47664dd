package main

import (
	"encoding/json"
	"io"
	"regexp"
	"slices"
	"strings"
	"sync"
	"unicode"

	sfntypes "github.com/aws/aws-sdk-go-v2/service/sfn/types"
)

// Task tokens are secrets: whoever holds one can complete the task. signctl
// hides them three ways: values under keys named like a token, values that
// look like one (AWS's long base64 tokens, the local engine's 64-character
// base64url ones), and the exact values it learned from a run's history
// (learned.learn) — those wherever they appear, under any key, in anything
// signctl prints (redactingWriter).

// redacted replaces a task token wherever signctl would otherwise print one.
const redacted = "<redacted>"

// tokenField matches a task token written as a JSON member or as key=value
// in text: "taskToken":"…", taskToken=…, TaskToken: … (any case).
var tokenField = regexp.MustCompile(`(?i)("?task_?token"?\s*[:=]\s*)("(?:[^"\\]|\\.)*"|[^\s,;}\]"]+)`)

// tokenMember matches a JSON member whose name contains "token" (any case)
// and whose value is a string: "callbackToken":"…".
var tokenMember = regexp.MustCompile(`(?i)"([^"\\]*token[^"\\]*)"(\s*:\s*)"(?:[^"\\]|\\.)*"`)

// base64Run is an unbroken run of base64 or base64url characters.
var base64Run = regexp.MustCompile(`[A-Za-z0-9+/=_-]+`)

// redactTokens hides task tokens in text that came from AWS (error causes,
// function error messages, stored reasons, outputs).
func redactTokens(s string) string {
	s = learned.scrub(s)
	s = base64Run.ReplaceAllStringFunc(s, func(run string) string {
		if looksLikeToken(run) {
			return redacted
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
		return `"` + sub[1] + `"` + sub[2] + `"` + redacted + `"`
	})
	return tokenField.ReplaceAllStringFunc(s, func(m string) string {
		sub := tokenField.FindStringSubmatch(m)
		if strings.HasPrefix(sub[2], `"`) {
			return sub[1] + `"` + redacted + `"`
		}
		return sub[1] + redacted
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

// redactJSON returns the JSON document (compact, members sorted) with the
// value of every member named like a token ("taskToken", "callbackToken";
// not "taskToken.$" — a path is not a secret) replaced, at any depth, and
// other strings passed through redactTokens. Text that is not JSON is passed
// through redactTokens.
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
			if _, isString := e.(string); isString && isTokenKey(k) {
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

// isTokenKey reports whether a member named k holds a token: its name
// contains "token" (any case) and it is not a path ("….$").
func isTokenKey(k string) bool {
	return strings.Contains(strings.ToLower(k), "token") && !strings.HasSuffix(k, ".$")
}

// minLearned is the shortest value learn takes for a token: shorter
// values under a token key are not task tokens, and scrubbing them
// everywhere would hide ordinary words.
const minLearned = 16

// learned holds the task tokens this process has read from run histories.
var learned tokenSet

// tokenSet is a set of secret values to scrub from text.
type tokenSet struct {
	mu     sync.Mutex
	tokens []string // longest first, so a token containing another goes whole
}

func (ts *tokenSet) add(token string) {
	ts.mu.Lock()
	defer ts.mu.Unlock()
	if len(token) < minLearned || slices.Contains(ts.tokens, token) {
		return
	}
	ts.tokens = append(ts.tokens, token)
	slices.SortStableFunc(ts.tokens, func(a, b string) int { return len(b) - len(a) })
}

// scrub replaces every learned token in s.
func (ts *tokenSet) scrub(s string) string {
	ts.mu.Lock()
	defer ts.mu.Unlock()
	for _, t := range ts.tokens {
		s = strings.ReplaceAll(s, t, redacted)
	}
	return s
}

// learn records the task tokens a run's history shows: the string values
// under token-named keys in its TaskScheduled parameters, where a
// "….waitForTaskToken" task passes $$.Task.Token (e.g. as
// {"Payload":{"callbackToken":"…"}}). JSON inside strings is read too.
func (ts *tokenSet) learn(events []sfntypes.HistoryEvent) {
	for _, e := range events {
		if d := e.TaskScheduledEventDetails; d != nil && d.Parameters != nil {
			ts.collect(*d.Parameters, false)
		}
	}
}

func (ts *tokenSet) collect(v any, underTokenKey bool) {
	switch v := v.(type) {
	case string:
		var inner any
		if t := strings.TrimSpace(v); strings.HasPrefix(t, "{") || strings.HasPrefix(t, "[") {
			if json.Unmarshal([]byte(t), &inner) == nil {
				ts.collect(inner, false)
				return
			}
		}
		if underTokenKey {
			ts.add(v)
		}
	case []any:
		for _, e := range v {
			ts.collect(e, underTokenKey)
		}
	case map[string]any:
		for k, e := range v {
			ts.collect(e, isTokenKey(k))
		}
	}
}

// redactingWriter scrubs the learned tokens from everything written
// through it: the last line of defence for stdout and stderr.
type redactingWriter struct{ w io.Writer }

func (r redactingWriter) Write(p []byte) (int, error) {
	s := learned.scrub(string(p))
	if s == string(p) {
		return r.w.Write(p)
	}
	if _, err := io.WriteString(r.w, s); err != nil {
		return 0, err
	}
	return len(p), nil
}
