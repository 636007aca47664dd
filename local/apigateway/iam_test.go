package apigateway

import (
	"net/http"
	"testing"
	"time"
)

const forbidden = `{"message":"Forbidden"}`

func TestIAM(t *testing.T) {
	keys := map[string]string{"AKIDLOCAL": "secret"}
	tests := []struct {
		name    string
		keys    map[string]string
		key     string
		secret  string
		at      time.Time
		unsign  bool
		want    int
		invoked bool
	}{
		{name: "unsigned", unsign: true, want: 403},
		{name: "any key without key pairs", key: "AKIDANY", secret: "whatever", at: testNow, want: 200, invoked: true},
		{name: "old date without key pairs", key: "AKIDANY", secret: "x", at: testNow.Add(-24 * time.Hour), want: 200, invoked: true},
		{name: "right secret", keys: keys, key: "AKIDLOCAL", secret: "secret", at: testNow, want: 200, invoked: true},
		{name: "wrong secret", keys: keys, key: "AKIDLOCAL", secret: "guess", at: testNow, want: 403},
		{name: "unknown key", keys: keys, key: "AKIDOTHER", secret: "secret", at: testNow, want: 403},
		{name: "stale date", keys: keys, key: "AKIDLOCAL", secret: "secret", at: testNow.Add(-16 * time.Minute), want: 403},
		{name: "future date", keys: keys, key: "AKIDLOCAL", secret: "secret", at: testNow.Add(16 * time.Minute), want: 403},
		{name: "skew within 15 minutes", keys: keys, key: "AKIDLOCAL", secret: "secret", at: testNow.Add(-14 * time.Minute), want: 200, invoked: true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			fn := &fakeInvoker{}
			s := newTestService(t, fn, tt.keys)
			body := `%PDF-1.7`
			r := newRequest("POST", "/documents/d-1?v=1", body)
			r.Header.Set("Content-Type", "application/pdf")
			if !tt.unsign {
				signRequest(t, r, body, tt.key, tt.secret, tt.at)
			}
			status, got, _ := do(s, r)
			if status != tt.want || (tt.want == 403 && got != forbidden) {
				t.Errorf("got %d %s, want %d", status, got, tt.want)
			}
			if (fn.count() > 0) != tt.invoked {
				t.Fatalf("invoked %d times, want invoked=%v", fn.count(), tt.invoked)
			}
			if !tt.invoked {
				return
			}
			iam := fn.last(t).event["requestContext"].(map[string]any)["authorizer"].(map[string]any)["iam"].(map[string]any)
			if iam["accessKey"] != tt.key || iam["userArn"] != "arn:aws:iam::000000000000:user/"+tt.key ||
				iam["accountId"] != testAccount || iam["principalOrgId"] != nil {
				t.Errorf("got authorizer.iam %v", iam)
			}
		})
	}
}

// TestIAMTamper signs a request, then changes one part the signature
// covers: with key pairs configured each change is refused.
func TestIAMTamper(t *testing.T) {
	tamper := map[string]func(r *http.Request){
		"method":       func(r *http.Request) { r.Method = "GET" },
		"path":         func(r *http.Request) { r.URL.Path, r.URL.RawPath = DefaultPrefix+testAPI+"/documents/d-2", "" },
		"query":        func(r *http.Request) { r.URL.RawQuery = "v=2" },
		"host":         func(r *http.Request) { r.Host = "127.0.0.1:4567" },
		"content type": func(r *http.Request) { r.Header.Set("Content-Type", "text/plain") },
	}
	for name, change := range tamper {
		t.Run(name, func(t *testing.T) {
			fn := &fakeInvoker{}
			s := newTestService(t, fn, map[string]string{"AKIDLOCAL": "secret"})
			r := newRequest("POST", "/documents/d-1?v=1", "x")
			r.Header.Set("Content-Type", "application/pdf")
			signRequest(t, r, "x", "AKIDLOCAL", "secret", testNow)
			change(r)
			if status, body, _ := do(s, r); status != 403 || body != forbidden || fn.count() != 0 {
				t.Errorf("got %d %s, %d invocations; want 403 and none", status, body, fn.count())
			}
		})
	}
}
