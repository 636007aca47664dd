package event_test

import (
	"context"
	"encoding/json"
	"errors"
	"strings"
	"testing"
	"time"

	"github.com/hitl-go/docsign/internal/event"
	"github.com/hitl-go/docsign/internal/fault"
)

type in struct {
	A string `json:"a"`
	N int    `json:"n"`
}

func TestDecode(t *testing.T) {
	tests := []struct {
		payload string
		want    in
		invalid bool
	}{
		{`{"a":"x","n":2}`, in{"x", 2}, false},
		{` {"a":"x"} ` + "\n", in{A: "x"}, false},
		{`null`, in{}, false}, // the handler's validation rejects the empty fields
		{``, in{}, true},
		{`{"a":`, in{}, true},
		{`{"a":1}`, in{}, true},
		{`{"b":1}`, in{}, true},
		{`{"a":"x"}{"a":"y"}`, in{}, true},
		{`{"a":"x"} trailing`, in{}, true},
		{`[]`, in{}, true},
		// Keys are exact: no case folding, no duplicates (last one wins in
		// encoding/json), at any depth.
		{`{"A":"x"}`, in{}, true},
		{`{"a":"x","N":2}`, in{}, true},
		{`{"a":"x","a":"y"}`, in{}, true},
		{`{"a":"x","n":1,"n":1}`, in{}, true},
		{`{"a":"x","A":"y"}`, in{}, true},
	}
	for _, tt := range tests {
		var got in
		err := event.Decode([]byte(tt.payload), &got)
		var invalid *fault.InvalidInput
		if errors.As(err, &invalid) != tt.invalid || (err != nil && !tt.invalid) || (!tt.invalid && got != tt.want) {
			t.Errorf("Decode(%q) = %+v, %v; want %+v, invalid %t", tt.payload, got, err, tt.want, tt.invalid)
		}
	}
}

func TestHandlerPassesRawPayload(t *testing.T) {
	var seen string
	h := event.Handler(func(_ context.Context, p json.RawMessage) (in, error) {
		seen = string(p)
		var v in
		return v, event.Decode(p, &v)
	})
	if _, err := h.Invoke(context.Background(), []byte(`{"a":`)); err == nil || seen != `{"a":` {
		t.Errorf("malformed JSON: handler saw %q, err %v; want the raw payload and the handler's error", seen, err)
	}
	out, err := h.Invoke(context.Background(), []byte(`{"a":"x"}`))
	if err != nil || string(out) != `{"a":"x","n":0}` {
		t.Errorf("Invoke = %s, %v", out, err)
	}
}

type nested struct {
	A    string          `json:"a,omitempty"`
	Raw  json.RawMessage `json:"raw"`
	Skip string          `json:"-"`
}

func TestDecodeRefusesDuplicateKeysAtAnyDepth(t *testing.T) {
	tests := []struct {
		payload string
		invalid bool
	}{
		{`{"a":"x","raw":{"k":1,"l":[{"m":1},{"m":2}]}}`, false},
		{`{"raw":{"k":1,"k":2}}`, true},
		{`{"raw":[{"m":1,"m":2}]}`, true},
		{`{"Skip":"x"}`, true},
		{`{"-":"x"}`, true},
	}
	for _, tt := range tests {
		var got nested
		err := event.Decode([]byte(tt.payload), &got)
		var invalid *fault.InvalidInput
		if errors.As(err, &invalid) != tt.invalid || (err != nil && !tt.invalid) {
			t.Errorf("Decode(%s) = %v, want invalid %t", tt.payload, err, tt.invalid)
		}
	}
}

func TestRequire(t *testing.T) {
	env := map[string]string{"SET": "v", "EMPTY": ""}
	getenv := func(k string) string { return env[k] }
	if v, err := event.Require(getenv, "SET"); v != "v" || err != nil {
		t.Errorf("Require(SET) = %q, %v; want v", v, err)
	}
	for _, name := range []string{"EMPTY", "UNSET"} {
		if _, err := event.Require(getenv, name); err == nil || !strings.Contains(err.Error(), name+" is not set") {
			t.Errorf("Require(%s) = %v, want an error naming it", name, err)
		}
	}
}

type outer struct {
	Doc  inner     `json:"document"`
	When time.Time `json:"when"`
}

type inner struct {
	Bucket string `json:"bucket"`
}

// TestDecodeNestedKeysExact: a nested struct's keys are exact too.
func TestDecodeNestedKeysExact(t *testing.T) {
	tests := []struct {
		payload string
		invalid bool
	}{
		{`{"document":{"bucket":"b"},"when":"2026-12-05T12:00:00Z"}`, false},
		{`{"document":{"BUCKET":"b"}}`, true},
		{`{"document":{"bucket":"b","etag":"x"}}`, true},
	}
	for _, tt := range tests {
		var got outer
		err := event.Decode([]byte(tt.payload), &got)
		var invalid *fault.InvalidInput
		if errors.As(err, &invalid) != tt.invalid || (err != nil && !tt.invalid) {
			t.Errorf("Decode(%s) = %v, want invalid %t", tt.payload, err, tt.invalid)
		}
	}
}
