package apigateway

import (
	"bytes"
	"context"
	"encoding/base64"
	"encoding/json"
	"errors"
	"net/http"
	"strconv"
)

// integrate invokes the route's function with the event and writes what it
// answers; failures are API Gateway's own 500 and 503.
func (s *Service) integrate(w http.ResponseWriter, ctx context.Context, t target, ev *Event, reqID string) error {
	payload, err := json.Marshal(ev)
	if err != nil {
		return errInternal
	}
	ctx, cancel := context.WithTimeout(ctx, t.timeout)
	defer cancel()
	type outcome struct {
		result []byte
		fnErr  string
		err    error
	}
	done := make(chan outcome, 1)
	go func() { // an invoker that ignores ctx still cannot hold the client past the timeout
		result, fnErr, err := s.invoker.Invoke(ctx, t.function, payload)
		done <- outcome{result, fnErr, err}
	}()
	var o outcome
	select {
	case o = <-done:
	case <-ctx.Done():
	}
	switch {
	case errors.Is(ctx.Err(), context.DeadlineExceeded):
		return errUnavailable
	case ctx.Err() != nil || o.err != nil || o.fnErr != "":
		return errInternal
	}
	resp, err := mapResponse(o.result)
	if err != nil {
		return errInternal
	}
	resp.write(w, reqID)
	return nil
}

// Response is the format 2.0 response a function may return.
type Response struct {
	StatusCode        int                 `json:"statusCode"`
	Headers           map[string]string   `json:"headers"`
	MultiValueHeaders map[string][]string `json:"multiValueHeaders"`
	Cookies           []string            `json:"cookies"`
	Body              string              `json:"body"`
	IsBase64Encoded   bool                `json:"isBase64Encoded"`
}

// reply is a mapped response, ready to write.
type reply struct {
	status int
	header http.Header
	body   []byte
}

var errBadResponse = errors.New("malformed Lambda proxy response")

// mapResponse interprets a function's result as format 2.0 does: a JSON
// object with a statusCode is a response; any other JSON value is the body
// of a 200 application/json response; anything else is an error.
func mapResponse(result []byte) (*reply, error) {
	if !json.Valid(result) {
		return nil, errBadResponse
	}
	var probe map[string]json.RawMessage
	if json.Unmarshal(result, &probe) != nil || probe["statusCode"] == nil {
		h := http.Header{}
		h.Set("Content-Type", "application/json")
		return &reply{status: http.StatusOK, header: h, body: bytes.TrimSpace(result)}, nil
	}
	var resp Response
	if err := json.Unmarshal(result, &resp); err != nil || resp.StatusCode < 100 || resp.StatusCode > 599 {
		return nil, errBadResponse
	}
	out := &reply{status: resp.StatusCode, header: http.Header{}, body: []byte(resp.Body)}
	if resp.IsBase64Encoded {
		b, err := base64.StdEncoding.DecodeString(resp.Body)
		if err != nil {
			return nil, errBadResponse
		}
		out.body = b
	}
	for k, vs := range resp.MultiValueHeaders {
		for _, v := range vs {
			out.header.Add(k, v)
		}
	}
	for k, v := range resp.Headers {
		out.header.Set(k, v)
	}
	for _, c := range resp.Cookies {
		out.header.Add("Set-Cookie", c)
	}
	for k, vs := range out.header {
		for _, v := range vs {
			if !validHeader(k, v) {
				return nil, errBadResponse
			}
		}
	}
	return out, nil
}

// validHeader refuses names and values net/http would mangle or split.
func validHeader(k, v string) bool {
	if k == "" {
		return false
	}
	for i := 0; i < len(k); i++ {
		if c := k[i]; c <= ' ' || c >= 0x7f || c == ':' {
			return false
		}
	}
	for i := 0; i < len(v); i++ {
		if c := v[i]; (c < ' ' && c != '\t') || c == 0x7f {
			return false
		}
	}
	return true
}

func (rp *reply) write(w http.ResponseWriter, reqID string) {
	h := w.Header()
	for k, vs := range rp.header {
		h[k] = vs
	}
	if _, ok := h["Content-Type"]; !ok {
		h["Content-Type"] = nil // no sniffing: API Gateway sends none it was not given
	}
	h.Set("Apigw-Requestid", reqID)
	h.Set("Content-Length", strconv.Itoa(len(rp.body)))
	w.WriteHeader(rp.status)
	_, _ = w.Write(rp.body)
}
