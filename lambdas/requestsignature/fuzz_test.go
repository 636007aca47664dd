package main

import (
	"encoding/json"
	"log/slog"
	"os"
	"strings"
	"testing"
	"time"

	"github.com/hitl-go/docsign/internal/fault"
)

// FuzzHandlePayload: any event is stored once as a valid PENDING request or
// refused before the store is called. It never panics.
func FuzzHandlePayload(f *testing.F) {
	quietLogs(f)
	valid, err := os.ReadFile("testdata/request.json")
	if err != nil {
		f.Fatal(err)
	}
	f.Add(valid)
	for _, s := range []string{``, `null`, `{"taskToken":"t"}`, `{"timeoutSeconds":1e30}`,
		`{"taskToken":"t","documentId":"3","signer":"Bob","executionArn":"arn:x","startedAt":"2026-11-22T12:00:00Z","timeoutSeconds":9300000000}`} {
		f.Add([]byte(s))
	}
	f.Fuzz(func(t *testing.T, payload []byte) {
		store := &fakeStore{}
		h := newTestHandler(store, &fakeNotifier{})
		out, err := h.Handle(t.Context(), payload)
		if err != nil {
			if _, ok := err.(*fault.InvalidInput); !ok || len(store.puts) != 0 {
				t.Fatalf("Handle(%q) = %T %v after %d Put calls; want *fault.InvalidInput and none", payload, err, err, len(store.puts))
			}
			return
		}
		var in Input
		if err := json.Unmarshal(payload, &in); err != nil {
			t.Fatalf("Handle(%q) accepted an event encoding/json refuses: %v", payload, err)
		}
		checkStored(t, in, out, store)
	})
}

// FuzzHandleFields: for any field values, a refusal never shows the task
// token, and a stored request expires no earlier than the run does and less
// than a second after.
func FuzzHandleFields(f *testing.F) {
	quietLogs(f)
	f.Add("AQCEAAAAKgAAAAMAAAAAAAAAAf+example==", "3", "Bob", execARN, "2026-11-22T12:00:00.250Z", int64(90))
	f.Add("t", "a b", "Bob\n", "run-3", "yesterday", int64(0))
	f.Add("t", "3", "Bob", execARN, "2026-11-22T12:00:00Z", int64(9_300_000_000))
	f.Add("t", "3", "Bob", execARN, "9999-12-31T23:59:59Z", int64(99_999_999))
	f.Add("t", "3", "Bob", execARN, "0001-01-01T00:00:00+23:59", int64(1))
	f.Fuzz(func(t *testing.T, token, doc, signer, arn, startedAt string, timeout int64) {
		token = "SECRET-" + token
		payload, _ := json.Marshal(map[string]any{"taskToken": token, "documentId": doc, "signer": signer,
			"executionArn": arn, "startedAt": startedAt, "timeoutSeconds": timeout})
		store := &fakeStore{}
		h := newTestHandler(store, &fakeNotifier{})
		out, err := h.Handle(t.Context(), payload)
		if err != nil {
			if strings.Contains(err.Error(), "SECRET-") {
				t.Fatalf("Handle(%s): error %q shows the task token", payload, err)
			}
			if _, ok := err.(*fault.InvalidInput); !ok || len(store.puts) != 0 {
				t.Fatalf("Handle(%s) = %T %v after %d Put calls; want *fault.InvalidInput and none", payload, err, err, len(store.puts))
			}
			return
		}
		var in Input // as sent: encoding/json replaced any invalid UTF-8
		if err := json.Unmarshal(payload, &in); err != nil {
			t.Fatal(err)
		}
		checkStored(t, in, out, store)
	})
}

// quietLogs discards the handler's log lines while f runs: fuzzing would
// print one per accepted event.
func quietLogs(f *testing.F) {
	old := slog.Default()
	slog.SetDefault(slog.New(slog.DiscardHandler))
	f.Cleanup(func() { slog.SetDefault(old) })
}

// checkStored checks the one Put and the output of an accepted event.
func checkStored(t *testing.T, in Input, out Output, store *fakeStore) {
	t.Helper()
	if len(store.puts) != 1 {
		t.Fatalf("accepted %+v with %d Put calls, want 1", in, len(store.puts))
	}
	r := store.puts[0]
	started, err := time.Parse(time.RFC3339Nano, in.StartedAt)
	if err != nil {
		t.Fatalf("accepted startedAt %q: %v", in.StartedAt, err)
	}
	if in.TimeoutSeconds < 1 || in.TimeoutSeconds > 99_999_999 { // the ASL limit on TimeoutSeconds
		t.Fatalf("accepted timeoutSeconds %d", in.TimeoutSeconds)
	}
	deadline := started.Add(time.Duration(in.TimeoutSeconds) * time.Second)
	switch {
	case r.TaskToken != in.TaskToken || r.DocumentID != in.DocumentID || r.Signer != in.Signer || r.ExecutionARN != in.ExecutionARN:
		t.Fatalf("stored %+v for event %+v", r, in)
	case r.ExpiresAt.Before(started) || r.ExpiresAt.Before(deadline) || !r.ExpiresAt.Before(deadline.Add(time.Second)):
		t.Fatalf("startedAt %s + %d s stored as expiresAt %s", in.StartedAt, in.TimeoutSeconds, r.ExpiresAt)
	case out.ExpiresAt != r.ExpiresAt.Unix() || out.DocumentID != in.DocumentID || out.Signer != in.Signer:
		t.Fatalf("output %+v for stored %+v", out, r)
	}
}
