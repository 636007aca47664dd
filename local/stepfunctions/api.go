package stepfunctions

import (
	"bytes"
	"encoding/json"
	"errors"
	"io"
	"net/http"
	"strings"
	"unicode/utf8"

	"github.com/hitl-go/docsign/local/internal/apierror"
)

// The Step Functions API speaks AWS JSON 1.0: every request is a POST whose
// X-Amz-Target header is "AWSStepFunctions.<Operation>" and whose body is a
// JSON object; errors are {"__type": "<Code>", "message": "…"}.

const (
	targetPrefix    = "AWSStepFunctions."
	jsonContentType = "application/x-amz-json-1.0"
	// maxRequestSize is AWS's quota on one API request (1 MB).
	maxRequestSize = 1 << 20
)

// operation decodes a request body and runs it.
type operation func(s *Service, body []byte) (any, *APIError)

// handle adapts a typed operation to an operation.
func handle[In any](run func(*Service, *In) (any, *APIError)) operation {
	return func(s *Service, body []byte) (any, *APIError) {
		in := new(In)
		if err := decodeRequest(body, in); err != nil {
			return nil, err
		}
		return run(s, in)
	}
}

var operations = map[string]operation{
	"CreateStateMachine":   handle((*Service).apiCreateStateMachine),
	"DeleteStateMachine":   handle((*Service).apiDeleteStateMachine),
	"DescribeStateMachine": handle((*Service).apiDescribeStateMachine),
	"ListStateMachines":    handle((*Service).apiListStateMachines),
	"StartExecution":       handle((*Service).apiStartExecution),
	"DescribeExecution":    handle((*Service).apiDescribeExecution),
	"ListExecutions":       handle((*Service).apiListExecutions),
	"GetExecutionHistory":  handle((*Service).apiGetExecutionHistory),
	"StopExecution":        handle((*Service).apiStopExecution),
	"SendTaskSuccess":      handle((*Service).apiSendTaskSuccess),
	"SendTaskFailure":      handle((*Service).apiSendTaskFailure),
	"SendTaskHeartbeat":    handle((*Service).apiSendTaskHeartbeat),
}

// Handler serves the Step Functions API (AWS JSON 1.0) for requests whose
// X-Amz-Target is "AWSStepFunctions.<Operation>".
func (s *Service) Handler() http.Handler {
	return http.HandlerFunc(s.serveHTTP)
}

func (s *Service) serveHTTP(w http.ResponseWriter, r *http.Request) {
	op := strings.TrimPrefix(r.Header.Get("X-Amz-Target"), targetPrefix)
	out, err := s.serve(r, op)
	w.Header().Set("Content-Type", jsonContentType)
	w.Header().Set("x-amzn-RequestId", newUUID())
	if err != nil {
		s.log.Debug("stepfunctions request failed", "operation", op, "code", err.Code)
		w.WriteHeader(err.HTTPStatus())
		_ = json.NewEncoder(w).Encode(map[string]string{"__type": err.Code, "message": err.Message})
		return
	}
	s.log.Debug("stepfunctions request", "operation", op)
	enc := json.NewEncoder(w)
	enc.SetEscapeHTML(false)
	_ = enc.Encode(out)
}

func (s *Service) serve(r *http.Request, op string) (any, *APIError) {
	if r.Method != http.MethodPost {
		return nil, &APIError{Code: codeUnknownOperationException, Status: http.StatusMethodNotAllowed,
			Message: "The Step Functions API accepts POST requests only"}
	}
	if !strings.HasPrefix(r.Header.Get("X-Amz-Target"), targetPrefix) {
		return nil, apierror.New(codeUnknownOperationException, "Missing or unknown X-Amz-Target header")
	}
	run, ok := operations[op]
	if !ok {
		return nil, apierror.New(codeUnknownOperationException, "Operation %s is not supported by this local Step Functions engine", apierror.Clip(op))
	}
	body, rerr := io.ReadAll(io.LimitReader(r.Body, maxRequestSize+1))
	if rerr != nil {
		return nil, apierror.New(codeSerializationException, "Could not read the request body")
	}
	if len(body) > maxRequestSize {
		return nil, apierror.New(codeValidationException, "Request size exceeds the maximum of %d bytes", maxRequestSize)
	}
	return run(s, body)
}

// decodeRequest decodes a JSON 1.0 request body; an empty body is an
// empty request.
func decodeRequest(body []byte, v any) *APIError {
	if len(bytes.TrimSpace(body)) == 0 {
		return nil
	}
	// Go's decoder would turn invalid UTF-8 into U+FFFD; AWS refuses it.
	if !utf8.Valid(body) {
		return apierror.New(codeSerializationException, "Malformed request body: invalid UTF-8")
	}
	if err := decodeOne(body, v, false); err != nil {
		var typeErr *json.UnmarshalTypeError
		if errors.As(err, &typeErr) {
			return apierror.New(codeSerializationException, "Unexpected value type for field '%s': expected %s", typeErr.Field, typeErr.Type)
		}
		return apierror.New(codeSerializationException, "Malformed request body: %s", err.Error())
	}
	return nil
}

// required reports a missing required member as AWS's validation does.
func required(field, value string) *APIError {
	if value == "" {
		return validationError(field, "null", "Member must not be null")
	}
	return nil
}

// maxLen checks a member's length in characters, as AWS measures names,
// ARNs, tokens and error and cause strings.
func maxLen(field, value string, limit int, sensitive bool) *APIError {
	return lengthLimit(field, value, utf8.RuneCountInString(value), limit, sensitive)
}

// maxBytes checks a payload member's length in bytes of UTF-8: AWS's
// payload quota (execution input, task output) is "256 KiB of data as a
// string in UTF-8 encoding", so 100,000 CJK characters (300,000 bytes) are
// over it.
func maxBytes(field, value string, limit int, sensitive bool) *APIError {
	return lengthLimit(field, value, len(value), limit, sensitive)
}

func lengthLimit(field, value string, length, limit int, sensitive bool) *APIError {
	if length <= limit {
		return nil
	}
	shown := value
	if sensitive {
		shown = ""
	}
	return validationError(field, shown, "Member must have length less than or equal to "+itoa(limit))
}

// pageSize validates maxResults (0 means the default, 100).
func pageSize(maxResults int) (int, *APIError) {
	switch {
	case maxResults < 0:
		return 0, validationError("maxResults", itoa(maxResults), "Member must have value greater than or equal to 0")
	case maxResults > 1000:
		return 0, validationError("maxResults", itoa(maxResults), "Member must have value less than or equal to 1000")
	case maxResults == 0:
		return 100, nil
	}
	return maxResults, nil
}
