package asl

import (
	"errors"
	"strings"
	"testing"
)

// js decodes JSON text the way the engine does (UseNumber); "" means absent.
func js(t testing.TB, text string) any {
	t.Helper()
	if text == "" {
		return nil
	}
	v, err := decodeJSON([]byte(text))
	if err != nil {
		t.Fatalf("bad test JSON %q: %v", text, err)
	}
	return v
}

// checkValue compares a result with the expected JSON text.
func checkValue(t *testing.T, got any, want string) {
	t.Helper()
	if g, w := compactJSON(got), compactJSON(js(t, want)); g != w {
		t.Errorf("got %s, want %s", g, w)
	}
}

// checkError checks that err is an *Error with the given name and a cause
// containing wantCause.
func checkError(t *testing.T, err error, wantName, wantCause string) {
	t.Helper()
	var e *Error
	if !errors.As(err, &e) {
		t.Fatalf("got error %v (%T), want *Error %s", err, err, wantName)
	}
	if e.Name != wantName {
		t.Errorf("got error name %q, want %q (cause %q)", e.Name, wantName, e.Cause)
	}
	if !strings.Contains(e.Cause, wantCause) {
		t.Errorf("got cause %q, want it to contain %q", e.Cause, wantCause)
	}
}

// checkCompileError checks that a load-time error mentions wantMsg.
func checkCompileError(t *testing.T, err error, wantMsg string) {
	t.Helper()
	if err == nil {
		t.Fatalf("got no error, want one mentioning %q", wantMsg)
	}
	if !strings.Contains(err.Error(), wantMsg) {
		t.Errorf("got error %q, want it to mention %q", err, wantMsg)
	}
}
