//go:build linux

package e2e_test

import (
	"bytes"
	"context"
	"encoding/json"
	"io"
	"net/http"
	"net/http/httptest"
	"sync"
	"testing"
	"time"
)

// The X-Amz-Target of the requests the fault proxy can fault:
// complete-signature's SendTaskSuccess and request-signature's PutItem.
const (
	sendTaskSuccessTarget = "AWSStepFunctions.SendTaskSuccess"
	putItemTarget         = "DynamoDB_20120810.PutItem"
)

// sendFault is what the fault proxy does to a document's SendTaskSuccess
// (or PutItem).
type sendFault int

const (
	// throttleOnce answers the first attempt ThrottlingException, unforwarded.
	throttleOnce sendFault = iota + 1
	// unavailableUntilEnd answers every attempt 503 ServiceUnavailable,
	// unforwarded, until the plan ends.
	unavailableUntilEnd
	// holdBeforeEngine holds the first attempt until its caller goes away (it
	// is then never forwarded) or the plan ends (it is then forwarded).
	holdBeforeEngine
	// holdAfterEngine forwards the first attempt, then withholds the engine's
	// answer until the caller goes away or the plan ends.
	holdAfterEngine
	// dropAfterEngine forwards the first attempt, then closes the connection
	// without an answer.
	dropAfterEngine
)

// faultPlan is the fault planned for one document's SendTaskSuccess.
type faultPlan struct {
	fault   sendFault
	held    chan string // receives the caller's address when an attempt is held
	ended   chan struct{}
	endOnce sync.Once
	used    bool // the fault applied to an attempt (guarded by the proxy's mu)
}

// end ends the fault: held attempts go on, later ones pass through.
func (p *faultPlan) end() { p.endOnce.Do(func() { close(p.ended) }) }

// sendRecord is one SendTaskSuccess attempt the proxy saw.
type sendRecord struct {
	forwarded   bool   // it reached the engine
	engineError string // the engine's error code; "" when the engine accepted it
}

// faultProxy stands between complete-signature and the stack's Step
// Functions API (the function's AWS_ENDPOINT_URL_SFN points at it), and
// between request-signature and the stack's DynamoDB API
// (AWS_ENDPOINT_URL_DYNAMODB). It passes every request through, except the
// SendTaskSuccess or PutItem attempts of documents with a plan, and records
// every SendTaskSuccess by document. It never logs a request body: they hold
// task tokens.
type faultProxy struct {
	srv    *httptest.Server
	client *http.Client

	mu       sync.Mutex
	upstream string // the stack's endpoint, set once it has started
	plans    map[planKey]*faultPlan
	sends    map[string][]sendRecord
}

// planKey names the requests a plan faults: one target's, for one document.
type planKey struct{ target, documentID string }

func newFaultProxy(t *testing.T) *faultProxy {
	p := &faultProxy{client: &http.Client{Timeout: 30 * time.Second},
		plans: map[planKey]*faultPlan{}, sends: map[string][]sendRecord{}}
	p.srv = httptest.NewServer(p)
	t.Cleanup(p.srv.Close)
	return p
}

// URL is the proxy's endpoint.
func (p *faultProxy) URL() string { return p.srv.URL }

// setUpstream sets where requests go: the stack's endpoint.
func (p *faultProxy) setUpstream(endpoint string) {
	p.mu.Lock()
	defer p.mu.Unlock()
	p.upstream = endpoint
}

// plan puts fault on the document's next SendTaskSuccess.
func (p *faultProxy) plan(documentID string, fault sendFault) *faultPlan {
	return p.planFor(planKey{sendTaskSuccessTarget, documentID}, fault)
}

// planPut puts fault on request-signature's next PutItem of the document's request.
func (p *faultProxy) planPut(documentID string, fault sendFault) *faultPlan {
	return p.planFor(planKey{putItemTarget, documentID}, fault)
}

func (p *faultProxy) planFor(k planKey, fault sendFault) *faultPlan {
	fp := &faultPlan{fault: fault, held: make(chan string, 1), ended: make(chan struct{})}
	p.mu.Lock()
	defer p.mu.Unlock()
	p.plans[k] = fp
	return fp
}

// sendsFor returns the SendTaskSuccess attempts seen for the document.
func (p *faultProxy) sendsFor(documentID string) []sendRecord {
	p.mu.Lock()
	defer p.mu.Unlock()
	return append([]sendRecord(nil), p.sends[documentID]...)
}

// faultFor returns the plan that applies to an attempt, or nil when it
// passes through.
func (p *faultProxy) faultFor(k planKey) *faultPlan {
	p.mu.Lock()
	defer p.mu.Unlock()
	fp := p.plans[k]
	if fp == nil {
		return nil
	}
	select {
	case <-fp.ended:
		return nil
	default:
	}
	if fp.fault != unavailableUntilEnd && fp.used {
		return nil
	}
	fp.used = true
	return fp
}

func (p *faultProxy) record(documentID string, r sendRecord) {
	p.mu.Lock()
	defer p.mu.Unlock()
	p.sends[documentID] = append(p.sends[documentID], r)
}

func (p *faultProxy) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	body, err := io.ReadAll(r.Body)
	if err != nil {
		return
	}
	k := planKey{target: r.Header.Get("X-Amz-Target")}
	doc := "" // the document of a SendTaskSuccess, whose attempts are recorded
	switch k.target {
	case sendTaskSuccessTarget:
		doc = documentOfSend(body)
		k.documentID = doc
	case putItemTarget:
		k.documentID = documentOfPut(body)
	}
	fp := p.faultFor(k)
	if fp == nil {
		p.pass(w, r, body, doc)
		return
	}
	switch fp.fault {
	case throttleOnce:
		p.record(doc, sendRecord{})
		writeAWSError(w, http.StatusBadRequest, "ThrottlingException", "Rate exceeded (injected by the fault test)")
	case unavailableUntilEnd:
		p.record(doc, sendRecord{})
		writeAWSError(w, http.StatusServiceUnavailable, "ServiceUnavailable", "Service unavailable (injected by the fault test)")
	case holdBeforeEngine:
		fp.held <- r.RemoteAddr
		select {
		case <-r.Context().Done():
			p.record(doc, sendRecord{}) // the caller is gone: it never reaches the engine
		case <-fp.ended:
			p.pass(w, r, body, doc)
		}
	case holdAfterEngine:
		answer, ok := p.forward(r, body, doc)
		fp.held <- r.RemoteAddr
		select {
		case <-r.Context().Done(): // the caller gave up waiting: the answer is lost
		case <-fp.ended:
			relay(w, answer, ok)
		}
	case dropAfterEngine:
		p.forward(r, body, doc)
		if conn, _, err := http.NewResponseController(w).Hijack(); err == nil {
			conn.Close()
		}
	}
}

// pass forwards the request and relays the engine's answer.
func (p *faultProxy) pass(w http.ResponseWriter, r *http.Request, body []byte, doc string) {
	answer, ok := p.forward(r, body, doc)
	relay(w, answer, ok)
}

// relay writes the stack's answer, or a 502 when there was none.
func relay(w http.ResponseWriter, answer upstreamAnswer, ok bool) {
	if !ok {
		writeAWSError(w, http.StatusBadGateway, "ServiceUnavailable", "fault proxy: the stack did not answer")
		return
	}
	answer.write(w)
}

// upstreamAnswer is a response from the stack, read in full.
type upstreamAnswer struct {
	status int
	header http.Header
	body   []byte
}

func (a upstreamAnswer) write(w http.ResponseWriter) {
	for k, v := range a.header {
		w.Header()[k] = v
	}
	w.WriteHeader(a.status)
	w.Write(a.body)
}

// forward sends the request to the stack, whether or not its caller is
// still there, and records a SendTaskSuccess attempt (doc != "").
func (p *faultProxy) forward(r *http.Request, body []byte, doc string) (upstreamAnswer, bool) {
	p.mu.Lock()
	upstream := p.upstream
	p.mu.Unlock()
	req, err := http.NewRequestWithContext(context.WithoutCancel(r.Context()), r.Method, upstream+r.URL.RequestURI(), bytes.NewReader(body))
	if err != nil {
		return upstreamAnswer{}, false
	}
	req.Header = r.Header.Clone()
	resp, err := p.client.Do(req)
	if err != nil {
		return upstreamAnswer{}, false
	}
	defer resp.Body.Close()
	answer := upstreamAnswer{status: resp.StatusCode, header: resp.Header}
	if answer.body, err = io.ReadAll(resp.Body); err != nil {
		return upstreamAnswer{}, false
	}
	if doc != "" {
		rec := sendRecord{forwarded: true}
		if resp.StatusCode != http.StatusOK {
			rec.engineError = errorCode(answer.body)
		}
		p.record(doc, rec)
	}
	return answer, true
}

// documentOfSend is the documentId of the signature a SendTaskSuccess
// carries as its output, an envelope {"signer","statement","jws"}
// (internal/signature), or "" if none.
func documentOfSend(body []byte) string {
	var in struct{ Output string }
	var out struct {
		Statement struct {
			DocumentID string `json:"documentId"`
		} `json:"statement"`
	}
	if json.Unmarshal(body, &in) != nil || json.Unmarshal([]byte(in.Output), &out) != nil {
		return ""
	}
	return out.Statement.DocumentID
}

// documentOfPut is the documentId of the item a PutItem stores ("" if none).
func documentOfPut(body []byte) string {
	var in struct {
		Item struct {
			DocumentID struct{ S string } `json:"documentId"`
		}
	}
	if json.Unmarshal(body, &in) != nil {
		return ""
	}
	return in.Item.DocumentID.S
}

// errorCode is the __type of an AWS JSON error body, without its namespace.
func errorCode(body []byte) string {
	var e struct {
		Type string `json:"__type"`
	}
	json.Unmarshal(body, &e)
	if i := bytes.LastIndexByte([]byte(e.Type), '#'); i >= 0 {
		return e.Type[i+1:]
	}
	return e.Type
}

// writeAWSError answers as an AWS JSON 1.0 service answers an error.
func writeAWSError(w http.ResponseWriter, status int, code, msg string) {
	w.Header().Set("Content-Type", "application/x-amz-json-1.0")
	w.WriteHeader(status)
	json.NewEncoder(w).Encode(map[string]string{"__type": code, "message": msg})
}
