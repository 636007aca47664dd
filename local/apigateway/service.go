// Package apigateway mirrors Amazon API Gateway HTTP APIs (ProtocolType
// HTTP) for Lambda proxy integrations with payload format version 2.0:
// route selection, the 2.0 event and response mapping, AWS_IAM (SigV4)
// authorization, API Gateway's own error answers ({"message":"Not Found"}
// and the like), the 10 MB payload limit, the integration timeout and stage
// throttling. Each API is served under a path prefix, so one loopback
// endpoint can serve several; functions run through an Invoker.
package apigateway

import (
	"context"
	"crypto/rand"
	"encoding/base64"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"strings"
	"time"
)

// Invoker runs a Lambda function synchronously. functionError is "" or
// Lambda's X-Amz-Function-Error ("Unhandled"); err is a failure to invoke
// at all. local/lambda's Host fits it through InvokerFunc.
type Invoker interface {
	Invoke(ctx context.Context, function string, payload []byte) (result []byte, functionError string, err error)
}

// InvokerFunc adapts a function to Invoker.
type InvokerFunc func(ctx context.Context, function string, payload []byte) ([]byte, string, error)

// Invoke calls f.
func (f InvokerFunc) Invoke(ctx context.Context, function string, payload []byte) ([]byte, string, error) {
	return f(ctx, function, payload)
}

// MaxBodySize is API Gateway's payload limit for HTTP APIs (10 MB).
const MaxBodySize = 10 * 1024 * 1024

// DefaultPrefix is where APIs are mounted when Options.Prefix is empty.
const DefaultPrefix = "/_api/"

// Options configure a Service.
type Options struct {
	APIs    []API
	Invoker Invoker
	// Prefix is the path under which API <id> is served as
	// Prefix + id + "/"; "" means DefaultPrefix. The Service must see the
	// whole path (no http.StripPrefix): SigV4 signs it.
	Prefix string
	// Region is the region SigV4 credential scopes must name.
	Region string
	// AccountID owns the APIs and the callers of AWS_IAM routes.
	AccountID string
	// Keys, when not nil, are the only access keys accepted on AWS_IAM
	// routes (access key id → secret access key), and signatures are
	// checked against them; nil accepts any well-formed signature, as the
	// other local services accept any credentials.
	Keys map[string]string
	// Now is the clock; nil means time.Now.
	Now func() time.Time
	// Logger receives a line per request (method, API, route, status; never
	// headers or bodies); nil discards them.
	Logger *slog.Logger
}

// Service serves HTTP APIs. It is safe for concurrent use.
type Service struct {
	apis    map[string]*api
	invoker Invoker
	prefix  string
	region  string
	account string
	keys    map[string]string
	now     func() time.Time
	log     *slog.Logger
}

// New checks the APIs and returns a Service for them.
func New(opts Options) (*Service, error) {
	if opts.Invoker == nil {
		return nil, errors.New("apigateway: no Invoker")
	}
	if opts.Region == "" || opts.AccountID == "" {
		return nil, errors.New("apigateway: Region and AccountID are required")
	}
	s := &Service{apis: map[string]*api{}, invoker: opts.Invoker, prefix: opts.Prefix,
		region: opts.Region, account: opts.AccountID, keys: opts.Keys, now: opts.Now, log: opts.Logger}
	if s.prefix == "" {
		s.prefix = DefaultPrefix
	}
	if !strings.HasPrefix(s.prefix, "/") || !strings.HasSuffix(s.prefix, "/") {
		return nil, fmt.Errorf("apigateway: prefix %q must start and end with /", s.prefix)
	}
	if s.now == nil {
		s.now = time.Now
	}
	if s.log == nil {
		s.log = slog.New(slog.DiscardHandler)
	}
	for _, a := range opts.APIs {
		c, err := compileAPI(a)
		if err != nil {
			return nil, err
		}
		if s.apis[a.ID] != nil {
			return nil, fmt.Errorf("apigateway: api %s is defined twice", a.ID)
		}
		s.apis[a.ID] = c
	}
	return s, nil
}

// URL returns the base URL of API id on endpoint ("http://127.0.0.1:4566"),
// ending in "/" like an HTTP API's $default stage URL.
func (s *Service) URL(endpoint, id string) string { return URL(endpoint, s.prefix, id) }

// URL is the base URL of API id served under prefix ("" means
// DefaultPrefix) on endpoint, ending in "/": what Service.URL answers, for
// callers that need it before the Service exists (a template's
// ApiEndpoint is resolved before its APIs are served).
func URL(endpoint, prefix, id string) string {
	if prefix == "" {
		prefix = DefaultPrefix
	}
	return strings.TrimSuffix(endpoint, "/") + prefix + id + "/"
}

// Matches reports whether r is for one of the Service's paths, for routing.
func (s *Service) Matches(r *http.Request) bool {
	return strings.HasPrefix(r.URL.Path, s.prefix)
}

// API Gateway's own answers.
var (
	errNotFound    = &gatewayError{http.StatusNotFound, "Not Found"}
	errForbidden   = &gatewayError{http.StatusForbidden, "Forbidden"}
	errBadRequest  = &gatewayError{http.StatusBadRequest, "Bad Request"}
	errTooLarge    = &gatewayError{http.StatusRequestEntityTooLarge, "Request Entity Too Large"}
	errTooMany     = &gatewayError{http.StatusTooManyRequests, "Too Many Requests"}
	errInternal    = &gatewayError{http.StatusInternalServerError, "Internal Server Error"}
	errUnavailable = &gatewayError{http.StatusServiceUnavailable, "Service Unavailable"}
)

type gatewayError struct {
	status  int
	message string
}

func (e *gatewayError) Error() string { return e.message }

func (e *gatewayError) write(w http.ResponseWriter, requestID string) {
	w.Header().Set("Content-Type", "application/json")
	w.Header().Set("Apigw-Requestid", requestID)
	w.WriteHeader(e.status)
	_, _ = io.WriteString(w, `{"message":"`+e.message+`"}`)
}

// ServeHTTP serves one request to an API.
func (s *Service) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	reqID := newRequestID()
	start := s.now()
	sw := &statusWriter{ResponseWriter: w, status: http.StatusOK}
	a, rawPath := s.lookupAPI(r)
	if a == nil {
		s.finish(sw, r, reqID, "", "", errNotFound)
		return
	}
	key, err := s.serve(sw, r, a, rawPath, reqID, start)
	s.finish(sw, r, reqID, a.id, key, err)
}

// statusWriter remembers the status a response was written with, for the
// request's log line.
type statusWriter struct {
	http.ResponseWriter
	status int
}

func (w *statusWriter) WriteHeader(status int) {
	w.status = status
	w.ResponseWriter.WriteHeader(status)
}

// lookupAPI finds the API a request is for and the path within it
// (escaped, starting with "/").
func (s *Service) lookupAPI(r *http.Request) (*api, string) {
	rest, ok := strings.CutPrefix(r.URL.EscapedPath(), s.prefix)
	if !ok {
		return nil, ""
	}
	id, path, _ := strings.Cut(rest, "/")
	return s.apis[id], "/" + path
}

// finish writes a gateway error, if any, and logs the request: never its
// headers, query or body (they carry signatures and signing codes).
func (s *Service) finish(w *statusWriter, r *http.Request, reqID, apiID, key string, err error) {
	status := w.status
	var ge *gatewayError
	if errors.As(err, &ge) {
		ge.write(w, reqID)
		status = ge.status
	} else if err != nil {
		status = -1 // the response was under way
	}
	s.log.Info("apigateway request", "requestId", reqID, "apiId", apiID, "method", clip(r.Method),
		"routeKey", key, "status", status)
}

// serve runs the request through route selection, authorization and the
// integration; it returns the route key and a gatewayError for API
// Gateway's own answers.
func (s *Service) serve(w http.ResponseWriter, r *http.Request, a *api, rawPath, reqID string, start time.Time) (string, error) {
	if err := checkPath(rawPath); err != nil {
		return "", err
	}
	rt, params := a.find(r.Method, rawPath)
	if rt == nil {
		return "", errNotFound
	}
	if !a.limiter.allow(s.now()) {
		return rt.key, errTooMany
	}
	body, err := readBody(r)
	if err != nil {
		return rt.key, err
	}
	var caller *iamCaller
	if rt.iam {
		if caller, err = s.authorize(r, body); err != nil {
			return rt.key, err
		}
	}
	ev := s.event(r, eventInput{api: a, route: rt, rawPath: rawPath, params: params, body: body,
		requestID: reqID, start: start, caller: caller})
	return rt.key, s.integrate(w, r.Context(), rt.target, ev, reqID)
}

// checkPath refuses paths whose meaning depends on who decodes them: dot
// segments, encoded slashes and backslashes, NUL and control characters.
// They can never name a route literally, and a path parameter holding
// "../" or "/" would reach a function as a traversal.
func checkPath(escaped string) error {
	lower := strings.ToLower(escaped)
	if strings.Contains(lower, "%2f") || strings.Contains(lower, "%5c") || strings.Contains(lower, "%00") {
		return errBadRequest
	}
	for _, seg := range splitPath(escaped) {
		if seg == "." || seg == ".." || strings.EqualFold(seg, "%2e") || strings.EqualFold(seg, "%2e%2e") ||
			strings.EqualFold(seg, ".%2e") || strings.EqualFold(seg, "%2e.") {
			return errBadRequest
		}
	}
	for i := 0; i < len(escaped); i++ {
		if c := escaped[i]; c < 0x20 || c == 0x7f || c == '\\' {
			return errBadRequest
		}
	}
	return nil
}

// readBody reads the body up to MaxBodySize.
func readBody(r *http.Request) ([]byte, error) {
	if r.ContentLength > MaxBodySize {
		return nil, errTooLarge
	}
	if r.Body == nil { // a client request handed to ServeHTTP directly
		return nil, nil
	}
	body, err := io.ReadAll(io.LimitReader(r.Body, MaxBodySize+1))
	if err != nil {
		return nil, errBadRequest
	}
	if len(body) > MaxBodySize {
		return nil, errTooLarge
	}
	return body, nil
}

// newRequestID makes an id shaped like HTTP API's (16 base64 characters).
func newRequestID() string {
	var b [10]byte
	_, _ = rand.Read(b[:])
	return base64.StdEncoding.EncodeToString(b[:])
}

// clip bounds a request value before it is logged.
func clip(s string) string {
	if len(s) > 32 {
		return s[:32] + "..."
	}
	return s
}
