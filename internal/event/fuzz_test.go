package event_test

import (
	"bytes"
	"encoding/json"
	"strconv"
	"strings"
	"testing"

	"github.com/hitl-go/docsign/internal/event"
	"github.com/hitl-go/docsign/internal/fault"
)

// fuzzEvent has the field kinds the Lambdas' inputs use.
type fuzzEvent struct {
	Name    string `json:"name"`
	Count   int64  `json:"count"`
	Enabled bool   `json:"enabled"`
}

// FuzzDecode: Decode never panics; it refuses only with the
// *fault.InvalidInput itself (unwrapped, so aws-lambda-go names it); what it
// accepts is exactly one JSON value; and a string value — where a task token
// travels — never reaches the error message.
func FuzzDecode(f *testing.F) {
	for _, s := range []string{
		`{"name":"a","count":1,"enabled":true}`, ``, ` `, `{`, `null`, `[]`, `"x"`, `1e400`,
		`{"name":"a"} x`, `{"name":"a"}}`, `{"name":"a"}]`, `{"other":1}`, `{"count":"1"}`,
		`{"count":1e30}`, `{"name":"a","name":"b"}`, `{"NAME":"a"}`, "{\"name\":\"\xff\"}",
		"{\"name\":\"a\x01\"}", strings.Repeat("[", 10001), `{"enabled":tru}`,
	} {
		f.Add([]byte(s), "AQCEAAAAKgAAAAMAAAAAAAAAAf+token==")
	}
	f.Fuzz(func(t *testing.T, payload []byte, secret string) {
		var v fuzzEvent
		checkDecode(t, payload, &v)

		// The same payload after a string value in a token's place.
		tok := "SECRET-" + secret
		literal, _ := json.Marshal(tok)
		prefixed := append([]byte(`{"name":`+string(literal)), payload...)
		err := event.Decode(prefixed, &v)
		if err != nil && strings.Contains(err.Error(), tok) && !bytes.Contains(payload, []byte(tok)) {
			t.Fatalf("Decode(%q): error %q shows a string value", prefixed, err)
		}
	})
}

// checkDecode decodes payload into v and checks Decode's promises.
func checkDecode(t *testing.T, payload []byte, v *fuzzEvent) {
	t.Helper()
	err := event.Decode(payload, v)
	if err == nil {
		if !json.Valid(payload) {
			t.Fatalf("Decode(%q) accepted what is not one JSON value", payload)
		}
		return
	}
	if _, ok := err.(*fault.InvalidInput); !ok {
		t.Fatalf("Decode(%q) = %T %v, want *fault.InvalidInput itself", payload, err, err)
	}
	if !strings.HasPrefix(err.Error(), "invalid input: ") {
		t.Fatalf("Decode(%q) = %q, want a message starting %s", payload, err, strconv.Quote("invalid input: "))
	}
}
