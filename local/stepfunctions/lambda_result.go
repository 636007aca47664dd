package stepfunctions

import (
	"errors"
	"fmt"
	"net/http"

	"github.com/hitl-go/docsign/local/stepfunctions/asl"
)

// How Step Functions turns a Lambda call into a task result or error.

// unknownCause prefixes the payload of a function error without an
// errorType, in AWS's words.
const unknownCause = "The cause could not be determined because Lambda did not return an error type. Returned payload: "

// functionError turns a Lambda function error payload into the task's
// error, as Step Functions does: Error is its errorType and Cause the payload
// itself. A payload without an errorType (a runtime that died without saying
// why, or a timeout on some runtimes) is Lambda.Unknown, its Cause saying so;
// the local Lambda reports a died invocation with Lambda's own errorTypes
// (Runtime.ExitError, Sandbox.Timedout), which pass through unchanged.
func functionError(payload []byte) *asl.Error {
	if v, err := decodeJSON(payload); err == nil {
		if m, ok := v.(map[string]any); ok {
			if t, ok := m["errorType"].(string); ok && t != "" {
				return &asl.Error{Name: t, Cause: string(payload)}
			}
		}
	}
	return &asl.Error{Name: "Lambda.Unknown", Cause: unknownCause + string(payload)}
}

// lambdaCallError names a failed Invoke call "Lambda.<ErrorCode>", as
// Step Functions names Lambda service exceptions.
func lambdaCallError(err error) *asl.Error {
	var coded interface{ ErrorCode() string }
	if errors.As(err, &coded) && coded.ErrorCode() != "" {
		return &asl.Error{Name: "Lambda." + coded.ErrorCode(), Cause: err.Error()}
	}
	return &asl.Error{Name: "Lambda.SdkClientException", Cause: err.Error()}
}

// lambdaPayload parses a function's response; a response that is not JSON
// is kept as a string.
func lambdaPayload(out []byte) any {
	if len(out) == 0 {
		return nil
	}
	v, err := decodeJSON(out)
	if err != nil {
		return string(out)
	}
	return v
}

// invokeResult shapes a lambda:invoke result as AWS does, so that
// ResultSelector on "$.Payload" behaves the same.
func (r *taskRun) invokeResult(payload any, size int) map[string]any {
	x := r.f.t.x
	rid := newUUID()
	date := x.svc.clock.Now().UTC().Format(http.TimeFormat)
	headers := map[string]string{
		"Connection":                     "keep-alive",
		"Content-Length":                 fmt.Sprint(size),
		"Content-Type":                   "application/json",
		"Date":                           date,
		"X-Amz-Executed-Version":         r.version,
		"x-amzn-Remapped-Content-Length": "0",
		"x-amzn-RequestId":               rid,
	}
	all := make(map[string]any, len(headers))
	single := make(map[string]any, len(headers))
	for k, v := range headers {
		all[k] = []any{v}
		single[k] = v
	}
	return map[string]any{
		"ExecutedVersion": r.version,
		"Payload":         payload,
		"SdkHttpMetadata": map[string]any{
			"AllHttpHeaders": all,
			"HttpHeaders":    single,
			"HttpStatusCode": 200,
		},
		"SdkResponseMetadata": map[string]any{"RequestId": rid},
		"StatusCode":          200,
	}
}
