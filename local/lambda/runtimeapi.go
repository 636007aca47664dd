package lambda

import (
	"encoding/base64"
	"encoding/json"
	"fmt"
	"io"
	"net"
	"net/http"
	"strconv"
	"strings"
)

// Runtime API limits and headers (API version 2018-06-01).
const (
	// maxResponse is the largest response Lambda accepts from a runtime.
	maxResponse          = 6*1024*1024 + 100
	headerRequestID      = "Lambda-Runtime-Aws-Request-Id"
	headerDeadline       = "Lambda-Runtime-Deadline-Ms"
	headerFunctionARN    = "Lambda-Runtime-Invoked-Function-Arn"
	headerTraceID        = "Lambda-Runtime-Trace-Id"
	headerClientContext  = "Lambda-Runtime-Client-Context"
	headerErrorType      = "Lambda-Runtime-Function-Error-Type"
	headerErrorBody      = "Lambda-Runtime-Function-Error-Body" // a trailer, base64
	runtimeAPIPathPrefix = "/2018-06-01/runtime"
)

// runtimeAPI serves the Runtime API for this instance alone, under its
// secret path and to its runtime alone (see onlyRuntime).
func (in *instance) runtimeAPI() http.Handler {
	mux := http.NewServeMux()
	prefix := in.path + runtimeAPIPathPrefix
	mux.HandleFunc("GET "+prefix+"/invocation/next", in.serveNext)
	mux.HandleFunc("POST "+prefix+"/invocation/{id}/response", in.serveResponse)
	mux.HandleFunc("POST "+prefix+"/invocation/{id}/error", in.serveError)
	mux.HandleFunc("POST "+prefix+"/init/error", in.serveInitError)
	mux.HandleFunc("/", func(w http.ResponseWriter, r *http.Request) {
		writeRuntimeError(w, http.StatusNotFound, "NotFound", "no such Runtime API path")
	})
	return onlyRuntime(mux)
}

// onlyRuntime refuses requests a browser could make: a Host other than the
// listener's own address (a DNS-rebinding page names its own host) and any
// Origin or Sec-Fetch-* header, which browsers send and runtimes do not.
// The secret path is what keeps out other processes and pages that cannot
// read the runtime's environment.
func onlyRuntime(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		local, _ := r.Context().Value(http.LocalAddrContextKey).(net.Addr)
		if local == nil || r.Host != local.String() || fromBrowser(r.Header) {
			writeRuntimeError(w, http.StatusForbidden, "AccessDeniedException",
				"the Runtime API serves its instance's runtime only")
			return
		}
		next.ServeHTTP(w, r)
	})
}

func fromBrowser(h http.Header) bool {
	if _, ok := h["Origin"]; ok {
		return true
	}
	for name := range h {
		if strings.HasPrefix(name, "Sec-Fetch-") {
			return true
		}
	}
	return false
}

// serveNext blocks until the instance is given an invocation.
func (in *instance) serveNext(w http.ResponseWriter, r *http.Request) {
	if in.busy() {
		writeRuntimeError(w, http.StatusForbidden, "InvalidStateTransition",
			"State transition from Invoke to Ready failed: the invocation has no response yet")
		return
	}
	for {
		if inv, deadline := in.take(); inv != nil {
			h := w.Header()
			h.Set(headerRequestID, inv.id)
			h.Set(headerDeadline, strconv.FormatInt(deadline.UnixMilli(), 10))
			h.Set(headerFunctionARN, inv.invokedARN)
			h.Set(headerTraceID, inv.traceID)
			if inv.clientContext != "" {
				h.Set(headerClientContext, inv.clientContext)
			}
			h.Set("Content-Type", "application/json")
			w.Write(inv.payload) // if the runtime is gone, its exit fails the invocation
			return
		}
		select {
		case <-in.wake:
		case <-r.Context().Done():
			return
		}
	}
}

// serveResponse takes the invocation's result, which may arrive chunked and
// may end with an error in trailers (a streamed response that failed).
func (in *instance) serveResponse(w http.ResponseWriter, r *http.Request) {
	body, err := io.ReadAll(io.LimitReader(r.Body, maxResponse+1))
	if err != nil {
		return // the runtime went away mid-body; its exit ends the invocation
	}
	in.logs.drain()
	id := r.PathValue("id")
	if len(body) > maxResponse {
		o := outcome{failed: true, payload: functionError("Function.ResponseSizeTooLarge",
			fmt.Sprintf("Response payload size exceeded maximum allowed payload size (%d bytes).", maxResponse))}
		if !in.finish(id, o, false) {
			writeRuntimeError(w, http.StatusBadRequest, "InvalidRequestID", "Invalid request ID")
			return
		}
		writeRuntimeError(w, http.StatusRequestEntityTooLarge, "RequestEntityTooLarge",
			fmt.Sprintf("Exceeded maximum allowed payload size (%d bytes).", maxResponse))
		return
	}
	o := outcome{payload: body}
	if t := r.Trailer.Get(headerErrorType); t != "" {
		o = outcome{failed: true, payload: trailerError(t, r.Trailer.Get(headerErrorBody))}
	}
	in.answer(w, id, o)
}

// serveError takes an error the runtime reports for the invocation.
func (in *instance) serveError(w http.ResponseWriter, r *http.Request) {
	body, err := io.ReadAll(io.LimitReader(r.Body, maxResponse))
	if err != nil {
		return
	}
	in.logs.drain()
	in.answer(w, r.PathValue("id"), outcome{failed: true, payload: errorPayload(r.Header.Get(headerErrorType), body)})
}

func (in *instance) answer(w http.ResponseWriter, id string, o outcome) {
	if !in.finish(id, o, true) {
		writeRuntimeError(w, http.StatusBadRequest, "InvalidRequestID", "Invalid request ID")
		return
	}
	w.Header().Set("Content-Type", "application/json")
	w.WriteHeader(http.StatusAccepted)
	io.WriteString(w, `{"status":"OK"}`)
}

// serveInitError fails the invocation that started the instance with the
// runtime's error, and retires the instance. The invocation is taken first:
// the runtime exits once answered, and its exit must not report instead.
func (in *instance) serveInitError(w http.ResponseWriter, r *http.Request) {
	body, _ := io.ReadAll(io.LimitReader(r.Body, maxResponse))
	in.logs.drain()
	inv := in.takeHeld()
	w.Header().Set("Content-Type", "application/json")
	w.WriteHeader(http.StatusAccepted)
	io.WriteString(w, `{"status":"OK"}`)
	in.kill()
	if inv != nil {
		inv.outcome <- outcome{failed: true, payload: errorPayload(r.Header.Get(headerErrorType), body)}
	}
}

// errorPayload is what Invoke returns for a runtime-reported error: the
// runtime's JSON as is, or one built from the error-type header.
func errorPayload(errorType string, body []byte) []byte {
	if json.Valid(body) && len(body) > 0 {
		return body
	}
	if errorType == "" {
		errorType = "Runtime.Unknown"
	}
	return functionError(errorType, string(body))
}

func trailerError(errorType, encodedBody string) []byte {
	body, err := base64.StdEncoding.DecodeString(encodedBody)
	if err != nil {
		body = nil
	}
	return errorPayload(errorType, body)
}

func writeRuntimeError(w http.ResponseWriter, status int, errorType, message string) {
	w.Header().Set("Content-Type", "application/json")
	w.WriteHeader(status)
	w.Write(functionError(errorType, message))
}
