package lambda

import (
	"context"
	"io"
	"net/http"
	"strings"
	"testing"
	"time"
)

// TestRuntimeAPIRefusesOthers plays a browser page (a DNS-rebinding one,
// and a cross-site one) and a process that found the port, against an
// instance whose runtime holds its invocation in init: none of them may
// take the invocation or answer it. Only a request with the runtime's own
// AWS_LAMBDA_RUNTIME_API address, Host and no browser headers is served.
func TestRuntimeAPIRefusesOthers(t *testing.T) {
	h, _ := newTestHost(t, Options{InitTimeout: time.Minute},
		FunctionConfig{Name: "fn", Timeout: time.Minute, Env: map[string]string{"FN_INIT": "hang"}})
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	go h.Invoke(ctx, "fn", []byte(`{"taskToken":"stolen-if-you-see-me"}`))
	in := heldInstance(t, h, "fn")
	api := runtimeAPIEnv(t, in)
	port := api[strings.Index(api, ":"):]
	if i := strings.Index(port, "/"); i >= 0 {
		port = port[:i]
	}
	bare := "http://127.0.0.1" + port + runtimeAPIPathPrefix // the port alone, as a scan finds it
	own := "http://" + api + runtimeAPIPathPrefix
	tests := []struct {
		name, method, url string
		header            map[string]string
		host              string
		want              int
	}{
		{"port alone", "GET", bare + "/invocation/next", nil, "", http.StatusNotFound},
		{"port alone, rebound host", "GET", bare + "/invocation/next", nil, "rebind.evil.example" + port, http.StatusForbidden},
		{"forged response on the port alone", "POST", bare + "/invocation/x/response", nil, "", http.StatusNotFound},
		{"rebound host", "GET", own + "/invocation/next", nil, "rebind.evil.example" + port, http.StatusForbidden},
		{"localhost by name", "GET", own + "/invocation/next", nil, "localhost" + port, http.StatusForbidden},
		{"cross-site page", "GET", own + "/invocation/next",
			map[string]string{"Origin": "null", "Sec-Fetch-Site": "cross-site"}, "", http.StatusForbidden},
		{"any origin", "GET", own + "/invocation/next", map[string]string{"Origin": "http://127.0.0.1" + port}, "", http.StatusForbidden},
		{"any fetch metadata", "GET", own + "/invocation/next", map[string]string{"Sec-Fetch-Site": "same-origin"}, "", http.StatusForbidden},
		{"forged init error, rebound host", "POST", own + "/init/error", nil, "rebind.evil.example" + port, http.StatusForbidden},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			req, err := http.NewRequestWithContext(ctx, tt.method, tt.url, strings.NewReader(`{}`))
			if err != nil {
				t.Fatal(err)
			}
			for k, v := range tt.header {
				req.Header.Set(k, v)
			}
			if tt.host != "" {
				req.Host = tt.host
			}
			resp := doWithin(t, req, 2*time.Second)
			body, _ := io.ReadAll(resp.Body)
			resp.Body.Close()
			if resp.StatusCode != tt.want || strings.Contains(string(body), "stolen") {
				t.Errorf("%s %s (Host %q) = %d %s, want %d and no payload", tt.method, tt.url, req.Host, resp.StatusCode, body, tt.want)
			}
			if !in.holdsPending() {
				t.Fatalf("the instance no longer holds its invocation")
			}
		})
	}
	t.Run("the runtime's own address", func(t *testing.T) {
		req, _ := http.NewRequestWithContext(ctx, "GET", own+"/invocation/next", nil)
		resp := doWithin(t, req, 2*time.Second)
		body, _ := io.ReadAll(resp.Body)
		resp.Body.Close()
		if resp.StatusCode != http.StatusOK || !strings.Contains(string(body), "stolen") {
			t.Errorf("GET %s = %d %s, want 200 and the invocation", req.URL, resp.StatusCode, body)
		}
	})
}

// heldInstance waits for fn's one instance to exist.
func heldInstance(t *testing.T, h *Host, name string) *instance {
	t.Helper()
	f, _, err := h.lookup(name)
	if err != nil {
		t.Fatal(err)
	}
	for deadline := time.Now().Add(10 * time.Second); time.Now().Before(deadline); time.Sleep(10 * time.Millisecond) {
		if ins := f.instances(); len(ins) == 1 && ins[0].holdsPending() {
			return ins[0]
		}
	}
	t.Fatal("no instance holds the invocation after 10 s")
	return nil
}

func (in *instance) holdsPending() bool {
	in.mu.Lock()
	defer in.mu.Unlock()
	return in.pending != nil
}

// runtimeAPIEnv is the AWS_LAMBDA_RUNTIME_API the instance's process got.
func runtimeAPIEnv(t *testing.T, in *instance) string {
	t.Helper()
	for _, kv := range in.cmd.Env {
		if v, ok := strings.CutPrefix(kv, "AWS_LAMBDA_RUNTIME_API="); ok {
			return v
		}
	}
	t.Fatal("the instance has no AWS_LAMBDA_RUNTIME_API")
	return ""
}

// doWithin sends req; a request that blocks (a /next that was served)
// fails the test.
func doWithin(t *testing.T, req *http.Request, d time.Duration) *http.Response {
	t.Helper()
	ctx, cancel := context.WithTimeout(req.Context(), d)
	t.Cleanup(cancel)
	resp, err := http.DefaultClient.Do(req.WithContext(ctx))
	if err != nil {
		t.Fatalf("%s %s: %v", req.Method, req.URL, err)
	}
	return resp
}
