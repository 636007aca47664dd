package docsapi

import (
	"context"
	"errors"
	"log/slog"
	"strings"
	"time"

	"github.com/aws/aws-lambda-go/events"
	"github.com/aws/aws-sdk-go-v2/service/s3"
	"github.com/aws/aws-sdk-go-v2/service/sfn"

	"github.com/hitl-go/docsign/internal/contract"
	"github.com/hitl-go/docsign/internal/documents"
	"github.com/hitl-go/docsign/internal/runs"
	"github.com/hitl-go/docsign/internal/tokenstore"
)

// S3 lists the S3 call the handler makes.
type S3 interface {
	documents.Putter
	documents.S3 // GetObject: what an earlier upload of the id stored
}

// StepFunctions lists the Step Functions calls the handler makes.
type StepFunctions interface {
	runs.Starter
	runs.Describer
}

// Signers reads a document's signature requests from the token table.
type Signers interface {
	List(ctx context.Context, documentID string) ([]tokenstore.Request, error)
}

var (
	_ S3            = (*s3.Client)(nil)
	_ StepFunctions = (*sfn.Client)(nil)
	_ Signers       = (*tokenstore.Store)(nil)
)

// Config is what the handler is deployed with.
type Config struct {
	Bucket          string       // the document bucket (contract.EnvDocumentBucket)
	StateMachineARN string       // the signing workflow (contract.EnvStateMachineARN)
	Logger          *slog.Logger // nil: slog.Default()
}

// Handler answers the documents API's requests.
type Handler struct {
	s3              S3
	sfn             StepFunctions
	signers         Signers
	bucket          string
	stateMachineARN string
	log             *slog.Logger
}

// New returns a Handler, or an error naming what is wrong with cfg: a
// deployment mistake stops the function at start rather than on a request.
func New(s3c S3, states StepFunctions, signers Signers, cfg Config) (*Handler, error) {
	if cfg.Bucket == "" {
		return nil, errors.New("docsapi: no document bucket configured")
	}
	if _, err := runs.ExecutionARN(cfg.StateMachineARN, "x"); err != nil {
		return nil, errors.New("docsapi: state machine: " + err.Error())
	}
	log := cfg.Logger
	if log == nil {
		log = slog.Default()
	}
	return &Handler{s3: s3c, sfn: states, signers: signers, bucket: cfg.Bucket, stateMachineARN: cfg.StateMachineARN, log: log}, nil
}

// deadlineMargin is kept free before the function's deadline, so that a slow
// AWS call still ends in a 503 rather than a killed invocation.
const deadlineMargin = time.Second

// Handle answers one request; see the package documentation.
func (h *Handler) Handle(ctx context.Context, req events.APIGatewayV2HTTPRequest) (events.APIGatewayV2HTTPResponse, error) {
	if deadline, ok := ctx.Deadline(); ok {
		var cancel context.CancelFunc
		ctx, cancel = context.WithDeadline(ctx, deadline.Add(-deadlineMargin))
		defer cancel()
	}
	caller := callerARN(req)
	var r reply
	switch route := routeOf(req); {
	case caller == "":
		r = forbidden() // the route must be IAM-authorised: defence in depth
	case route == contract.RouteKeyPostDocument:
		r = h.post(ctx, req, caller)
	case route == contract.RouteKeyGetDocument:
		r = h.get(ctx, req)
	default:
		r = notFound()
	}
	h.logRequest(ctx, req.RouteKey, caller, r)
	if r.bug != nil {
		return events.APIGatewayV2HTTPResponse{}, r.bug
	}
	return r.response(), nil
}

// routeOf is the request's route key, or "" when the key and the request's
// method disagree (API Gateway never sends that; a stray invocation might).
func routeOf(req events.APIGatewayV2HTTPRequest) string {
	method, _, _ := strings.Cut(req.RouteKey, " ")
	if method != req.RequestContext.HTTP.Method {
		return ""
	}
	return req.RouteKey
}

// maxCallerARNLength bounds the principal ARN kept as S3 metadata, of which
// S3 keeps at most 2 KB per object; real IAM ARNs are far shorter.
const maxCallerARNLength = 1024

// callerARN is the IAM principal that signed the request
// (requestContext.authorizer.iam.userArn), or "" when there is none or it
// is not a plain ARN that could travel as an S3 metadata header.
func callerARN(req events.APIGatewayV2HTTPRequest) string {
	a := req.RequestContext.Authorizer
	if a == nil || a.IAM == nil {
		return ""
	}
	arn := a.IAM.UserARN
	if !strings.HasPrefix(arn, "arn:") || len(arn) > maxCallerARNLength {
		return ""
	}
	for i := range len(arn) {
		if arn[i] <= ' ' || arn[i] > '~' {
			return ""
		}
	}
	return arn
}

// runARN is the ARN of document id's run; the state machine's ARN was
// checked by New, so it cannot fail.
func (h *Handler) runARN(id string) string {
	arn, _ := runs.ExecutionARN(h.stateMachineARN, id)
	return arn
}

// logRequest writes the request's one log line: never the body.
func (h *Handler) logRequest(ctx context.Context, route, caller string, r reply) {
	attrs := []slog.Attr{
		slog.String("route", route),
		slog.Int("status", r.status),
		slog.String("errorType", r.errorType),
		slog.String("caller", caller),
	}
	if r.documentID != "" {
		attrs = append(attrs, slog.String("documentId", r.documentID))
	}
	level := slog.LevelInfo
	if r.cause != nil {
		attrs = append(attrs, slog.String("error", r.cause.Error()))
		level = slog.LevelWarn
	}
	if r.status >= 500 {
		level = slog.LevelError
	}
	h.log.LogAttrs(ctx, level, "documents API request", attrs...)
}
