package completion

import (
	"bytes"
	"strings"
	"testing"

	"github.com/hitl-go/docsign/internal/contract"
)

// contractErrors are the errorTypes complete-signature may return.
var contractErrors = map[string]bool{
	"InvalidInput": true, "SignatureRequestNotFound": true, "SignatureAlreadyCompleted": true,
	"SignatureRequestExpired": true, "SignatureServiceUnavailable": true,
}

// FuzzHandle: for any event the handler never panics, answers a result or
// one of the contract's errors, touches neither the store nor Step Functions
// when the event is invalid, and never shows the task token in an error.
func FuzzHandle(f *testing.F) {
	for _, s := range []string{signPayload, declinePayload, ``, `null`, `{"documentId":"3","signer":"Carol"}`,
		`{"documentId":"4"}`, `{"documentId":"3","decision":"decline","reason":"` + strings.Repeat("é", 1001) + `"}`,
		`{"documentId":"3"}}`, `{"documentId":"3","DECISION":"decline"}`, "{\"documentId\":\"3\",\"reason\":\"\xff\"}"} {
		f.Add([]byte(s))
	}
	f.Fuzz(func(t *testing.T, payload []byte) {
		store := &fakeStore{req: pendingRequest()}
		sfn := &fakeSFN{token: token}
		got, err := newTestHandler(store, sfn, newClock(t0)).Handle(t.Context(), payload)
		sends, calls := sfn.counts()
		typ := errorType(err)
		switch {
		case err == nil && (got.Status != store.stored().Status || sends != 1):
			t.Fatalf("Handle(%q) = %+v with %d sends; stored %+v", payload, got, sends, store.stored())
		case err != nil && !contractErrors[typ]:
			t.Fatalf("Handle(%q) = %T %v, not a contract error", payload, err, err)
		case typ == "InvalidInput" && (store.calls != 0 || calls != 0):
			t.Fatalf("Handle(%q) = %v after %d store and %d Step Functions calls, want none", payload, err, store.calls, calls)
		case err != nil && strings.Contains(err.Error(), token) && !bytes.Contains(payload, []byte("secret-token")):
			t.Fatalf("Handle(%q): error %q shows the task token", payload, err)
		case err == nil && store.stored().Status == contract.StatusPending:
			t.Fatalf("Handle(%q) = %+v but the request is still PENDING", payload, got)
		}
	})
}
