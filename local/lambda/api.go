package lambda

import (
	"context"
	"encoding/base64"
	"encoding/json"
	"errors"
	"io"
	"net/http"
	"time"
)

// apiPrefix is the path prefix of Lambda's REST API (version 2015-03-31).
const apiPrefix = "/2015-03-31/functions"

// Handler serves Lambda's REST API for the registered functions: Invoke,
// GetFunction, GetFunctionConfiguration and ListFunctions.
func (h *Host) Handler() http.Handler {
	mux := http.NewServeMux()
	mux.HandleFunc("POST "+apiPrefix+"/{name}/invocations", h.serveInvoke)
	mux.HandleFunc("GET "+apiPrefix+"/{name}", h.serveGetFunction)
	mux.HandleFunc("GET "+apiPrefix+"/{name}/configuration", h.serveGetFunctionConfiguration)
	mux.HandleFunc("GET "+apiPrefix+"/{$}", h.serveListFunctions)
	mux.HandleFunc("GET "+apiPrefix, h.serveListFunctions)
	mux.HandleFunc("/", func(w http.ResponseWriter, r *http.Request) {
		writeAPIError(w, &unknownOperationError{method: r.Method, path: r.URL.Path})
	})
	return mux
}

// decodeInvokeRequest reads an Invoke request: path, Qualifier, headers and
// payload. Payload size and JSON are checked with the function (prepare).
func decodeInvokeRequest(r *http.Request) (invokeRequest, error) {
	req := invokeRequest{function: r.PathValue("name"), invocationType: r.Header.Get("X-Amz-Invocation-Type")}
	if q := r.URL.Query().Get("Qualifier"); q != "" {
		ref, err := parseFunctionRef(req.function)
		if err != nil {
			return req, err
		}
		if ref.Qualifier != "" && ref.Qualifier != q {
			return req, &InvalidParameterValueError{
				Message: "The derived qualifier from the function name does not match the specified qualifier."}
		}
		if ref.Qualifier == "" {
			req.function += ":" + q
		}
	}
	switch req.invocationType {
	case "", "RequestResponse", "Event", "DryRun":
	default:
		return req, &InvalidParameterValueError{Message: "Unsupported invocation type: " + req.invocationType}
	}
	switch logType := r.Header.Get("X-Amz-Log-Type"); logType {
	case "", "None":
	case "Tail":
		req.tail = req.invocationType == "" || req.invocationType == "RequestResponse"
	default:
		return req, &InvalidParameterValueError{Message: "Unsupported log type: " + logType}
	}
	if cc := r.Header.Get("X-Amz-Client-Context"); cc != "" {
		decoded, err := base64.StdEncoding.DecodeString(cc)
		var obj map[string]any
		if err != nil || json.Unmarshal(decoded, &obj) != nil {
			return req, &InvalidRequestContentError{Message: "Client context must be a valid Base64-encoded JSON object."}
		}
		req.clientContext = string(decoded)
	}
	payload, err := io.ReadAll(io.LimitReader(r.Body, MaxSyncPayload+1))
	if err != nil {
		return req, err
	}
	req.payload = payload
	return req, nil
}

func (h *Host) serveInvoke(w http.ResponseWriter, r *http.Request) {
	req, err := decodeInvokeRequest(r)
	if err != nil {
		writeAPIError(w, err)
		return
	}
	switch req.invocationType {
	case "DryRun":
		if _, _, err := h.prepare(req); err != nil {
			writeAPIError(w, err)
			return
		}
		w.WriteHeader(http.StatusNoContent)
	case "Event":
		f, inv, err := h.prepare(req)
		if err != nil {
			writeAPIError(w, err)
			return
		}
		if err := h.invokeAsync(f, inv); err != nil {
			writeAPIError(w, err)
			return
		}
		w.Header().Set("X-Amzn-RequestId", inv.id)
		w.WriteHeader(http.StatusAccepted)
	default:
		h.serveSyncInvoke(r.Context(), w, req)
	}
}

func (h *Host) serveSyncInvoke(ctx context.Context, w http.ResponseWriter, req invokeRequest) {
	out, tail, err := h.invoke(ctx, req)
	if err != nil {
		if ctx.Err() == nil { // else the caller is gone and there is no one to answer
			writeAPIError(w, err)
		}
		return
	}
	hdr := w.Header()
	hdr.Set("Content-Type", "application/json")
	hdr.Set("X-Amzn-RequestId", out.RequestID)
	hdr.Set("X-Amz-Executed-Version", out.ExecutedVersion)
	if out.FunctionError != "" {
		hdr.Set("X-Amz-Function-Error", out.FunctionError)
	}
	if req.tail {
		hdr.Set("X-Amz-Log-Result", base64.StdEncoding.EncodeToString(tail))
	}
	w.WriteHeader(http.StatusOK)
	w.Write(out.Payload)
}

// invokeAsync runs an Event invocation in the background, retrying a
// function error as Lambda does (twice by default), until the host closes.
func (h *Host) invokeAsync(f *function, inv *invocation) error {
	h.mu.RLock()
	defer h.mu.RUnlock()
	if h.closed() {
		return ErrHostClosed
	}
	h.async.Add(1)
	go func() {
		defer h.async.Done()
		for attempt := 0; ; attempt++ {
			o, err := f.invoke(context.Background(), inv)
			if err != nil || !o.failed || attempt >= len(h.opts.AsyncRetryDelays) {
				return
			}
			select {
			case <-time.After(h.opts.AsyncRetryDelays[attempt]):
			case <-h.done:
				return
			}
		}
	}()
	return nil
}

// apiErrorShapes gives each error code its HTTP status and the member name
// of its message, which differs between Lambda's error shapes.
var apiErrorShapes = map[string]struct {
	status     int
	messageKey string
}{
	"ResourceNotFoundException":      {http.StatusNotFound, "Message"},
	"InvalidRequestContentException": {http.StatusBadRequest, "message"},
	"InvalidParameterValueException": {http.StatusBadRequest, "message"},
	"ValidationException":            {http.StatusBadRequest, "message"},
	"RequestTooLargeException":       {http.StatusRequestEntityTooLarge, "message"},
	"TooManyRequestsException":       {http.StatusTooManyRequests, "message"},
	"UnknownOperationException":      {http.StatusNotFound, "message"},
	"ServiceException":               {http.StatusInternalServerError, "Message"},
}

// unknownOperationError answers a path or method Lambda does not serve here.
type unknownOperationError struct{ method, path string }

func (e *unknownOperationError) Error() string {
	return "Unknown operation " + e.method + " " + e.path
}

func (e *unknownOperationError) ErrorCode() string { return "UnknownOperationException" }

// writeAPIError answers err in Lambda's REST-JSON error shape: the code in
// X-Amzn-ErrorType and a body with Type and the message.
func writeAPIError(w http.ResponseWriter, err error) {
	code, kind := "ServiceException", "Service"
	var coded interface{ ErrorCode() string }
	if errors.As(err, &coded) {
		code, kind = coded.ErrorCode(), "User"
	}
	shape, ok := apiErrorShapes[code]
	if !ok {
		shape = apiErrorShapes["ServiceException"]
	}
	body := map[string]string{"Type": kind, shape.messageKey: err.Error()}
	var throttled *TooManyRequestsError
	if errors.As(err, &throttled) {
		body["Reason"] = throttled.Reason
	}
	w.Header().Set("Content-Type", "application/json")
	w.Header().Set("X-Amzn-ErrorType", code)
	w.WriteHeader(shape.status)
	json.NewEncoder(w).Encode(body)
}
