package signpage

import (
	"context"
	"fmt"
	"log/slog"
	"time"

	"github.com/aws/aws-lambda-go/events"

	"github.com/hitl-go/docsign/internal/contract"
	"github.com/hitl-go/docsign/internal/signature"
)

// Completer is what the page needs of the completion logic.
type Completer interface {
	// Describe returns what the page shows; it never changes state. Errors:
	// *fault.SignatureRequestNotFound, *fault.SignatureServiceUnavailable.
	Describe(ctx context.Context, documentID, signer string) (Request, error)
	// CompleteByLink signs or declines with the link's code. Errors are the
	// *fault types: InvalidInput, SignatureLinkInvalid,
	// SignatureRequestNotFound, SignatureAlreadyCompleted,
	// SignatureRequestExpired, SignatureServiceUnavailable, DocumentChanged.
	CompleteByLink(ctx context.Context, in contract.CompleteInput, code string) (contract.CompleteResult, error)
}

// Request is what the page shows of a signature request.
type Request struct {
	DocumentID   string
	Signer       string
	Document     signature.Document // the pinned version
	ExecutionARN string
	RequestedBy  string // who asks, as shown to the signer
	Status       contract.Status
	ExpiresAt    time.Time // the run's deadline
}

// Handler answers the signing page's routes.
type Handler struct {
	completer Completer
	signers   map[string]bool // the callback signers: no one else has a page
	log       *slog.Logger
	now       func() time.Time
}

// New returns the handler for the workflow's callback signers. A nil logger
// logs to slog.Default().
func New(c Completer, callbackSigners []string, logger *slog.Logger) (*Handler, error) {
	if c == nil {
		return nil, fmt.Errorf("signpage: no completer")
	}
	if len(callbackSigners) == 0 {
		return nil, fmt.Errorf("signpage: no callback signers")
	}
	signers := make(map[string]bool, len(callbackSigners))
	for _, s := range callbackSigners {
		if err := contract.CheckSigner(s); err != nil {
			return nil, fmt.Errorf("signpage: callback signer %q: %w", s, err)
		}
		signers[s] = true
	}
	if logger == nil {
		logger = slog.Default()
	}
	return &Handler{completer: c, signers: signers, log: logger, now: time.Now}, nil
}

// Handle answers one HTTP API request (payload format 2.0). Every problem
// with the request is an HTTP answer; it never returns an error, so that
// every answer carries the security headers.
func (h *Handler) Handle(ctx context.Context, req events.APIGatewayV2HTTPRequest) (events.APIGatewayV2HTTPResponse, error) {
	var out reply
	switch req.RouteKey {
	case contract.RouteKeyGetSignPage:
		out = h.page(ctx, req.PathParameters)
	case contract.RouteKeyPostSign:
		out = h.answer(ctx, req)
	case contract.RouteKeyGetAsset:
		out = asset(req.PathParameters[contract.FilePathParameter])
	default:
		out = jsonError(404, errorNoRoute, "no such route")
	}
	h.logReply(ctx, req.RouteKey, out)
	return out.response(), nil
}

// logReply writes the request's one log line. It names its fields one by
// one, so that the body, the code and the headers can never slip in.
func (h *Handler) logReply(ctx context.Context, route string, out reply) {
	attrs := []slog.Attr{slog.String("route", clip(route)), slog.Int("status", out.status)}
	if out.errorType != "" {
		attrs = append(attrs, slog.String("errorType", out.errorType))
	}
	if out.detail != "" {
		attrs = append(attrs, slog.String("error", out.detail))
	}
	level := slog.LevelInfo
	switch {
	case out.status == 503: // transient: the signer is told to retry
		level = slog.LevelWarn
	case out.status >= 500:
		level = slog.LevelError
	}
	h.log.LogAttrs(ctx, level, "signpage request", attrs...)
}
