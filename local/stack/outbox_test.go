package stack

import (
	"encoding/json"
	"net/http"
	"net/http/httptest"
	"reflect"
	"strings"
	"testing"
	"time"

	"github.com/hitl-go/docsign/internal/contract"
	"github.com/hitl-go/docsign/local/sns"
)

const (
	testAPI   = "http://127.0.0.1:4566/_api/abcde12345/"
	otherAPI  = "http://127.0.0.1:4566/_api/zzzzz99999/"
	testCode  = "AAECAwQFBgcICQoLDA0ODxAREhMUFRYXGBkaGxwdHh8"
	testLink  = testAPI + "sign/doc-1/Bob#" + testCode
	otherLink = otherAPI + "sign/doc-9/Eve#" + testCode
)

func TestSigningLink(t *testing.T) {
	tests := []struct {
		name, body string
		want       string
	}{
		{"alone", testLink, testLink},
		{"in a sentence", "Please sign: " + testLink + ". Thanks", testLink},
		{"in angle brackets", "<" + testLink + ">", testLink},
		{"in quotes", `href="` + testLink + `"`, testLink},
		{"on its own line", "Hello Bob,\r\n\r\n" + testLink + "\r\nregards", testLink},
		{"before a non-ASCII space", testLink + "\u00a0next", testLink},
		{"in parentheses", "(" + testLink + ")", testLink},
		{"the first of two", "first " + testLink + " then " + testAPI + "sign/doc-2/Bob#x", testLink},
		{"of another API, first", otherLink + " " + testLink, otherLink},
		{"escaped path", testAPI + "sign/doc-1/Bob%20Smith#" + testCode, testAPI + "sign/doc-1/Bob%20Smith#" + testCode},
		{"the API but not a signing route", testAPI + "documents/doc-1 and nothing else", ""},
		{"another host", "https://evil.example/sign/doc-1/Bob#" + testCode, ""},
		{"none", "no link here", ""},
		{"empty", "", ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := signingLink(tt.body, []string{testAPI, otherAPI}); got != tt.want {
				t.Errorf("signingLink(%q) = %q, want %q", tt.body, got, tt.want)
			}
		})
	}
}

func TestOutboxHandler(t *testing.T) {
	sent := time.Date(2026, 12, 5, 10, 30, 0, 125e6, time.UTC)
	o := &outbox{apiURLs: []string{testAPI}, entries: func() []sns.Entry {
		return []sns.Entry{
			{MessageID: "m1", To: "bob@example.com", Subject: "Please sign doc-1", Body: "Sign here: " + testLink,
				Attributes: map[string]string{contract.MessageAttrDocumentID: "doc-1", contract.MessageAttrSigner: "Bob", "other": "x"}, SentAt: sent},
			{MessageID: "m2", Subject: "", Body: "no subscriber took me", SentAt: sent.Add(time.Second)},
		}
	}}
	tests := []struct {
		name, method string
		header       map[string]string
		wantStatus   int
		want         string
	}{
		{"signctl", http.MethodGet, nil, http.StatusOK, ""},
		{"the console's page", http.MethodGet, map[string]string{"Sec-Fetch-Site": "same-origin"}, http.StatusOK, ""},
		{"typed in the address bar", http.MethodGet, map[string]string{"Sec-Fetch-Site": "none"}, http.StatusOK, ""},
		{"a cross-site page", http.MethodGet, map[string]string{"Sec-Fetch-Site": "cross-site"}, http.StatusForbidden, "not a cross-site request"},
		{"a same-site page", http.MethodGet, map[string]string{"Sec-Fetch-Site": "same-site"}, http.StatusForbidden, "not a same-site request"},
		{"POST", http.MethodPost, nil, http.StatusMethodNotAllowed, "read with GET"},
		{"DELETE", http.MethodDelete, nil, http.StatusMethodNotAllowed, "read with GET"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			r := httptest.NewRequest(tt.method, contract.OutboxPath, nil)
			for k, v := range tt.header {
				r.Header.Set(k, v)
			}
			w := httptest.NewRecorder()
			o.ServeHTTP(w, r)
			if w.Code != tt.wantStatus {
				t.Fatalf("status %d, want %d: %s", w.Code, tt.wantStatus, w.Body)
			}
			if tt.wantStatus != http.StatusOK {
				if !strings.Contains(w.Body.String(), tt.want) || strings.Contains(w.Body.String(), testCode) {
					t.Errorf("body %q, want %q and no code", w.Body, tt.want)
				}
				return
			}
			if ct, cc := w.Header().Get("Content-Type"), w.Header().Get("Cache-Control"); ct != "application/json" || cc != "no-store" {
				t.Errorf("Content-Type %q, Cache-Control %q", ct, cc)
			}
			var got []contract.OutboxEntry
			if err := json.Unmarshal(w.Body.Bytes(), &got); err != nil {
				t.Fatal(err)
			}
			want := []contract.OutboxEntry{
				{DocumentID: "doc-1", Signer: "Bob", To: "bob@example.com", Subject: "Please sign doc-1",
					Body: "Sign here: " + testLink, Link: testLink, SentAt: sent},
				{Body: "no subscriber took me", SentAt: sent.Add(time.Second)},
			}
			if !reflect.DeepEqual(got, want) {
				t.Errorf("outbox:\n got %+v\nwant %+v", got, want)
			}
			var keys []map[string]any
			_ = json.Unmarshal(w.Body.Bytes(), &keys)
			for _, k := range []string{"documentId", "signer", "to", "subject", "body", "link", "sentAt"} {
				if _, ok := keys[0][k]; !ok {
					t.Errorf("entry has no %q: %s", k, w.Body)
				}
			}
		})
	}
	empty := &outbox{entries: func() []sns.Entry { return nil }}
	w := httptest.NewRecorder()
	empty.ServeHTTP(w, httptest.NewRequest(http.MethodGet, contract.OutboxPath, nil))
	if strings.TrimSpace(w.Body.String()) != "[]" {
		t.Errorf("an empty outbox is %q, want []", w.Body)
	}
}
