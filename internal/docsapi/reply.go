package docsapi

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"net/http"
	"strconv"

	"github.com/aws/aws-lambda-go/events"
	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/aws/retry"
	sfntypes "github.com/aws/aws-sdk-go-v2/service/sfn/types"
	"github.com/aws/smithy-go"

	"github.com/hitl-go/docsign/internal/contract"
)

// reply is a request's outcome: the response and what its log line says.
type reply struct {
	status     int
	body       any    // encoded as JSON
	errorType  string // a refusal's
	documentID string // once the id is known to be valid
	cause      error  // logged: what failed behind a 5xx, or a problem behind a 200
	bug        error  // returned to the runtime instead of a response
}

// retryAfterSeconds is the Retry-After of a 503: long enough for a throttle
// to ease, short enough for a person waiting on an upload.
const retryAfterSeconds = 2

func (r reply) response() events.APIGatewayV2HTTPResponse {
	body, err := json.Marshal(r.body)
	if err != nil {
		panic(fmt.Sprintf("docsapi: encode %T: %v", r.body, err)) // strings, times and structs of them: cannot fail
	}
	headers := map[string]string{"Content-Type": "application/json", "Cache-Control": "no-store"}
	if r.status == http.StatusServiceUnavailable {
		headers["Retry-After"] = strconv.Itoa(retryAfterSeconds)
	}
	return events.APIGatewayV2HTTPResponse{StatusCode: r.status, Headers: headers, Body: string(body)}
}

// refusal is a request problem: its status and body.
type refusal struct {
	status int
	Refusal
}

func refuse(status int, errorType, format string, args ...any) *refusal {
	return &refusal{status: status, Refusal: Refusal{ErrorType: errorType, Message: fmt.Sprintf(format, args...)}}
}

func (r reply) refused(e *refusal) reply {
	r.status, r.body, r.errorType = e.status, e.Refusal, e.ErrorType
	return r
}

func forbidden() reply {
	return reply{status: http.StatusForbidden, body: gatewayRefusal{Message: "Forbidden"}}
}

func notFound() reply {
	return reply{status: http.StatusNotFound, body: gatewayRefusal{Message: "Not Found"}}
}

// failed answers an AWS call that failed: 503 when a retry may succeed, a
// bug (API Gateway's 500) otherwise — a missing permission or resource is a
// deployment mistake no retry fixes.
func (r reply) failed(ctx context.Context, err error) reply {
	if !transient(ctx, err) {
		r.status, r.bug, r.cause = http.StatusInternalServerError, err, err
		return r
	}
	r = r.refused(refuse(http.StatusServiceUnavailable, contract.ErrorSignatureServiceUnavailable,
		"the signing service could not answer just now; retry in %d seconds", retryAfterSeconds))
	r.cause = err
	return r
}

// transient reports whether err is worth retrying: what the SDK itself
// retries (throttles, 5xx, broken connections) once its retries ran out, a
// fault the service owns, the deadline reached, or Step Functions' limit on
// open runs.
func transient(ctx context.Context, err error) bool {
	var limit *sfntypes.ExecutionLimitExceeded
	var api smithy.APIError
	switch {
	case ctx.Err() != nil, errors.Is(err, context.DeadlineExceeded), errors.Is(err, context.Canceled), errors.As(err, &limit):
		return true
	case errors.As(err, &api) && api.ErrorFault() == smithy.FaultServer:
		return true
	}
	return retry.IsErrorRetryables(retry.DefaultRetryables).IsErrorRetryable(err) == aws.TrueTernary
}
