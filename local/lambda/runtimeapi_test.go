package lambda

import (
	"encoding/base64"
	"encoding/json"
	"io"
	"net/http"
	"net/http/httptest"
	"os/exec"
	"strconv"
	"strings"
	"testing"
	"time"
)

// newBareInstance returns an instance whose Runtime API the test drives
// itself, acting as the runtime; its process is a sleeper, for kill.
func newBareInstance(t *testing.T) (*instance, string) {
	t.Helper()
	h, _ := newTestHost(t, Options{}, FunctionConfig{Name: "fn", Timeout: 5 * time.Second})
	f, _, err := h.lookup("fn")
	if err != nil {
		t.Fatal(err)
	}
	sleeper := exec.Command("sleep", "60")
	if err := sleeper.Start(); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { sleeper.Process.Kill(); sleeper.Wait() })
	in := &instance{fn: f, cmd: sleeper, wake: make(chan struct{}, 1)}
	logs, w, err := newLogPipe(in.emitLine)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { w.Close(); logs.r.Close() })
	in.logs = logs
	srv := httptest.NewServer(in.runtimeAPI())
	t.Cleanup(srv.Close)
	return in, srv.URL + runtimeAPIPathPrefix
}

func TestRuntimeAPINext(t *testing.T) {
	in, base := newBareInstance(t)
	inv := newInvocation([]byte(`{"documentId":"3"}`), arnPrefix+"fn")
	inv.clientContext = `{"custom":{"a":"b"}}`
	in.assign(inv)
	before := time.Now()
	resp, err := http.Get(base + "/invocation/next")
	if err != nil {
		t.Fatal(err)
	}
	body, _ := io.ReadAll(resp.Body)
	resp.Body.Close()
	deadline, _ := strconv.ParseInt(resp.Header.Get(headerDeadline), 10, 64)
	checkDeadline(t, deadline, before, 5*time.Second)
	checks := []struct{ what, got, want string }{
		{"status", resp.Status, "200 OK"},
		{"body", string(body), `{"documentId":"3"}`},
		{headerRequestID, resp.Header.Get(headerRequestID), inv.id},
		{headerFunctionARN, resp.Header.Get(headerFunctionARN), arnPrefix + "fn"},
		{headerTraceID, resp.Header.Get(headerTraceID), inv.traceID},
		{headerClientContext, resp.Header.Get(headerClientContext), inv.clientContext},
	}
	for _, c := range checks {
		if c.got != c.want {
			t.Errorf("%s = %q, want %q", c.what, c.got, c.want)
		}
	}
	if !strings.HasPrefix(inv.traceID, "Root=1-") {
		t.Errorf("trace id %q is not an X-Ray header", inv.traceID)
	}
}

func TestRuntimeAPIAnswers(t *testing.T) {
	tests := []struct {
		name        string
		path        string // after /invocation/, %s is the request id
		header      http.Header
		body        string
		chunked     bool
		trailer     http.Header
		wantStatus  int
		wantFailed  bool
		wantPayload string
	}{
		{name: "response", path: "%s/response", body: `{"ok":true}`, wantStatus: 202, wantPayload: `{"ok":true}`},
		{name: "chunked response", path: "%s/response", body: `{"ok":"chunked"}`, chunked: true,
			wantStatus: 202, wantPayload: `{"ok":"chunked"}`},
		{name: "streamed error in trailers", path: "%s/response", body: `{"partial"`, chunked: true,
			trailer: http.Header{headerErrorType: {"Runtime.StreamError"}, headerErrorBody: {base64.StdEncoding.EncodeToString(
				[]byte(`{"errorType":"Runtime.StreamError","errorMessage":"broke"}`))}},
			wantStatus: 202, wantFailed: true, wantPayload: `{"errorType":"Runtime.StreamError","errorMessage":"broke"}`},
		{name: "error JSON", path: "%s/error", body: `{"errorType":"CustomError","errorMessage":"no"}`,
			wantStatus: 202, wantFailed: true, wantPayload: `{"errorType":"CustomError","errorMessage":"no"}`},
		{name: "error by header", path: "%s/error", header: http.Header{headerErrorType: {"Runtime.Crash"}},
			body: "plain text", wantStatus: 202, wantFailed: true,
			wantPayload: `{"errorType":"Runtime.Crash","errorMessage":"plain text"}`},
		{name: "unknown request id", path: "0000/response", body: `{}`, wantStatus: 400},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			in, base := newBareInstance(t)
			inv := newInvocation([]byte(`{}`), arnPrefix+"fn")
			in.assign(inv)
			if resp, err := http.Get(base + "/invocation/next"); err != nil {
				t.Fatal(err)
			} else {
				resp.Body.Close()
			}
			status := postRuntime(t, base+"/invocation/"+strings.Replace(tt.path, "%s", inv.id, 1),
				tt.header, tt.body, tt.chunked, tt.trailer)
			if status != tt.wantStatus {
				t.Fatalf("status %d, want %d", status, tt.wantStatus)
			}
			if tt.wantStatus != 202 {
				if !in.busy() {
					t.Error("a refused answer ended the invocation")
				}
				return
			}
			o := <-inv.outcome
			if o.failed != tt.wantFailed || string(o.payload) != tt.wantPayload {
				t.Errorf("outcome failed=%v %s, want failed=%v %s", o.failed, o.payload, tt.wantFailed, tt.wantPayload)
			}
		})
	}
}

// postRuntime posts to the Runtime API as a runtime would, chunked (the
// length unknown) when asked, and returns the status.
func postRuntime(t *testing.T, url string, header http.Header, body string, chunked bool, trailer http.Header) int {
	t.Helper()
	var r io.Reader = strings.NewReader(body)
	if chunked {
		pr, pw := io.Pipe()
		go func() {
			for i := 0; i < len(body); i += 4 {
				pw.Write([]byte(body[i:min(i+4, len(body))]))
			}
			pw.Close()
		}()
		r = pr
	}
	req, err := http.NewRequest(http.MethodPost, url, r)
	if err != nil {
		t.Fatal(err)
	}
	for k, v := range header {
		req.Header[k] = v
	}
	req.Trailer = trailer
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	if resp.StatusCode >= 400 {
		var e fnError
		if json.NewDecoder(resp.Body).Decode(&e); e.ErrorType == "" {
			t.Errorf("status %d without a JSON errorType", resp.StatusCode)
		}
	}
	return resp.StatusCode
}

func TestRuntimeAPIStateErrors(t *testing.T) {
	in, base := newBareInstance(t)
	in.assign(newInvocation([]byte(`{}`), arnPrefix+"fn"))
	tests := []struct {
		method, path string
		wantStatus   int
		wantType     string
	}{
		{"GET", "/invocation/next", 200, ""},
		{"GET", "/invocation/next", 403, "InvalidStateTransition"}, // the invocation has no answer yet
		{"POST", "/invocation/unknown-id/error", 400, "InvalidRequestID"},
		{"GET", "/nothing/here", 404, "NotFound"},
	}
	for _, tt := range tests {
		req, _ := http.NewRequest(tt.method, base+tt.path, strings.NewReader("{}"))
		resp, err := http.DefaultClient.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		var e fnError
		json.NewDecoder(resp.Body).Decode(&e)
		resp.Body.Close()
		if resp.StatusCode != tt.wantStatus || e.ErrorType != tt.wantType {
			t.Errorf("%s %s = %d %q, want %d %q", tt.method, tt.path, resp.StatusCode, e.ErrorType, tt.wantStatus, tt.wantType)
		}
	}
}
