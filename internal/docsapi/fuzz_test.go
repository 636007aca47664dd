package docsapi_test

import (
	"encoding/base64"
	"encoding/json"
	"testing"

	"github.com/hitl-go/docsign/internal/contract"
	"github.com/hitl-go/docsign/internal/docsapi"
)

// FuzzPost: whatever the id and body, a POST is accepted storing exactly the
// bytes sent (decoded when marked base64), or refused with a JSON refusal
// and nothing written.
func FuzzPost(f *testing.F) {
	f.Add("3", "hello", false)
	f.Add("3", "aGVsbG8=", true)
	f.Add("3", "aGVsbG8", true)
	f.Add("a b", "x", false)
	f.Add("", "", true)
	f.Add("3", "\r\naGVs\nbG8=", true)
	f.Add("dé", "x", false)
	f.Fuzz(func(t *testing.T, id, body string, encoded bool) {
		fk := newFake()
		h, _ := newHandler(t, fk)
		res, err := h.Handle(t.Context(), post(id, "", rawBody(body, encoded)))
		if err != nil {
			t.Fatalf("Handle = %v, want a response", err)
		}
		switch res.StatusCode {
		case 202:
			want := []byte(body)
			if encoded {
				want, _ = base64.StdEncoding.DecodeString(body)
			}
			if contract.CheckDocumentID(id) != nil || len(want) == 0 || len(want) > docsapi.MaxDocumentSize {
				t.Fatalf("accepted id %q with %d bytes", id, len(want))
			}
			if len(fk.puts) != 1 || string(fk.puts[0].body) != string(want) || fk.puts[0].key != contract.DocumentKey(id) {
				t.Fatalf("stored %d uploads, want the %d bytes sent under %s", len(fk.puts), len(want), contract.DocumentKey(id))
			}
		case 400, 413:
			var refusal docsapi.Refusal
			if err := json.Unmarshal([]byte(res.Body), &refusal); err != nil || refusal.ErrorType == "" || refusal.Message == "" {
				t.Fatalf("refusal %q is not {errorType, message}: %v", res.Body, err)
			}
			if w := fk.writes(); len(w) != 0 {
				t.Fatalf("refused with %d but wrote %v", res.StatusCode, w)
			}
		default:
			t.Fatalf("status %d (%s), want 202, 400 or 413", res.StatusCode, res.Body)
		}
	})
}
