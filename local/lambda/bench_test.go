package lambda

import (
	"bytes"
	"context"
	"io"
	"net/http"
	"net/http/httptest"
	"testing"
)

// BenchmarkInvokeWarm measures a synchronous invoke through the Go API on a
// warm instance: host → Runtime API → function → response.
func BenchmarkInvokeWarm(b *testing.B) {
	h := NewHost(Options{})
	defer h.Close()
	if err := h.Register(FunctionConfig{Name: "fn", Executable: testFn}); err != nil {
		b.Fatal(err)
	}
	payload := []byte(`{"action":"sleep","sleep":"0s"}`)
	ctx := context.Background()
	if _, err := h.Invoke(ctx, "fn", payload); err != nil { // start the instance
		b.Fatal(err)
	}
	b.ReportAllocs()
	for b.Loop() {
		out, err := h.Invoke(ctx, "fn", payload)
		if err != nil || out.FunctionError != "" {
			b.Fatalf("Invoke: %v %s", err, out.Payload)
		}
	}
}

// BenchmarkInvokeWarmHTTP measures the same through the REST Invoke API.
func BenchmarkInvokeWarmHTTP(b *testing.B) {
	h := NewHost(Options{})
	defer h.Close()
	if err := h.Register(FunctionConfig{Name: "fn", Executable: testFn}); err != nil {
		b.Fatal(err)
	}
	srv := httptest.NewServer(h.Handler())
	defer srv.Close()
	url := srv.URL + apiPrefix + "/fn/invocations"
	payload := []byte(`{"action":"sleep","sleep":"0s"}`)
	post(b, url, payload) // start the instance
	b.ReportAllocs()
	for b.Loop() {
		post(b, url, payload)
	}
}

func post(b *testing.B, url string, payload []byte) {
	resp, err := http.Post(url, "application/json", bytes.NewReader(payload))
	if err != nil {
		b.Fatal(err)
	}
	io.Copy(io.Discard, resp.Body)
	resp.Body.Close()
	if resp.StatusCode != 200 || resp.Header.Get("X-Amz-Function-Error") != "" {
		b.Fatalf("status %d", resp.StatusCode)
	}
}
