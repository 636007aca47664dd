package signpage

import (
	"encoding/json"
	"strconv"
	"strings"
	"unicode/utf8"

	"github.com/aws/aws-lambda-go/events"
)

// Error types of answers no completer gave: a route or asset that does not
// exist, and a completer that failed in a way it promised not to.
const (
	errorNoRoute  = "NotFound"
	errorInternal = "InternalError"
)

// retryAfterSeconds is the Retry-After of a 503: a completion in progress
// settles within a second or two; a failing dependency takes longer, and
// the page says to try again either way.
const retryAfterSeconds = 5

// contentSecurityPolicy allows the page only its own script, stylesheet and
// POST: no inline code, no framing, no form submission, no base rewriting.
const contentSecurityPolicy = "default-src 'none'; script-src 'self'; style-src 'self'; connect-src 'self'; " +
	"img-src 'self'; base-uri 'none'; form-action 'none'; frame-ancestors 'none'"

// Content types of the answers.
const (
	typeJSON = "application/json"
	typeHTML = "text/html; charset=utf-8"
	typeJS   = "text/javascript; charset=utf-8"
	typeCSS  = "text/css; charset=utf-8"
	typeSVG  = "image/svg+xml"
)

// reply is one answer before it becomes a response.
type reply struct {
	status      int
	contentType string
	body        string
	errorType   string // "" on success; logged
	retryAfter  bool
	detail      string // a 500's or 503's cause, for the log only (less the code)
}

func (r reply) response() events.APIGatewayV2HTTPResponse {
	h := map[string]string{
		"Content-Type":            r.contentType,
		"Content-Security-Policy": contentSecurityPolicy,
		"Referrer-Policy":         "no-referrer",
		"Cache-Control":           "no-store",
		"X-Content-Type-Options":  "nosniff",
		"X-Frame-Options":         "DENY",
	}
	if r.retryAfter {
		h["Retry-After"] = strconv.Itoa(retryAfterSeconds)
	}
	return events.APIGatewayV2HTTPResponse{StatusCode: r.status, Headers: h, Body: r.body}
}

// errorBody is every JSON error's shape.
type errorBody struct {
	ErrorType string `json:"errorType"`
	Message   string `json:"message"`
}

func jsonError(status int, errorType, message string) reply {
	return jsonReply(status, errorBody{ErrorType: errorType, Message: message}, errorType)
}

func jsonReply(status int, v any, errorType string) reply {
	b, err := json.Marshal(v)
	if err != nil { // only plain structs of strings reach here
		panic(err)
	}
	return reply{status: status, contentType: typeJSON, body: string(b), errorType: errorType,
		retryAfter: status == 503}
}

// redact removes the code from a message that came from elsewhere: a
// completer must not echo it, and this keeps it out even if one does.
func redact(msg, code string) string {
	if code != "" {
		msg = strings.ReplaceAll(msg, code, "[code]")
	}
	return clip(msg)
}

// clip bounds a message or log value at 500 bytes, on a rune boundary.
func clip(s string) string {
	const max = 500
	if len(s) <= max {
		return s
	}
	cut := max
	for cut > 0 && !utf8.RuneStart(s[cut]) {
		cut--
	}
	return s[:cut] + "…"
}
