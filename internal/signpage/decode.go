package signpage

import (
	"encoding/base64"
	"mime"
	"strings"

	"github.com/hitl-go/docsign/internal/contract"
	"github.com/hitl-go/docsign/internal/event"
)

// maxBodyBytes bounds an answer's body: a code, a decision and a reason of
// contract.MaxReasonLength characters of up to 4 bytes each, escaped, fit.
const maxBodyBytes = 8 << 10

// answerBody is the POST body, {"code","decision","reason"?}. Pointers tell
// a missing (or null) member from an empty one.
type answerBody struct {
	Code     *string `json:"code"`
	Decision *string `json:"decision"`
	Reason   *string `json:"reason"`
}

// answer is a decoded and checked POST body.
type answer struct {
	code, decision, reason string
}

// decodeAnswer reads a POST: its Content-Type header, its body as the
// event carries it, and whether that is base64. A refusal is the reply to
// send; no refusal message holds the code.
func decodeAnswer(contentType, body string, isBase64 bool) (answer, *reply) {
	if r := checkContentType(contentType); r != nil {
		return answer{}, r
	}
	raw, r := readBody(body, isBase64)
	if r != nil {
		return answer{}, r
	}
	if len(raw) == 0 {
		return answer{}, invalid("invalid input: the body must be a JSON object {code, decision, reason?}")
	}
	var b answerBody
	if err := event.Decode(raw, &b); err != nil {
		return answer{}, invalid(err.Error())
	}
	switch {
	case b.Code == nil:
		return answer{}, invalid("invalid input: code is required")
	case b.Decision == nil:
		return answer{}, invalid("invalid input: decision is required (sign or decline)")
	case *b.Decision != contract.DecisionSign && *b.Decision != contract.DecisionDecline:
		return answer{}, invalid("invalid input: decision must be sign or decline")
	case b.Reason != nil && *b.Decision != contract.DecisionDecline:
		return answer{}, invalid("invalid input: a reason is for a decline only")
	}
	a := answer{code: *b.Code, decision: *b.Decision}
	if b.Reason != nil {
		if err := contract.CheckReason(*b.Reason); err != nil {
			return answer{}, invalid("invalid input: " + err.Error())
		}
		a.reason = *b.Reason
	}
	// Checked last, so a well-formed answer with a mangled link gets the
	// link's error, not a form's.
	if !contract.CheckCode(a.code) {
		r := jsonError(403, contract.ErrorSignatureLinkInvalid,
			"this signing link is incomplete or damaged: open the link from your notification exactly as it was sent")
		return answer{}, &r
	}
	return a, nil
}

// checkContentType accepts application/json, with no parameter but a
// UTF-8 charset: a browser cannot send that cross-site without asking first.
func checkContentType(contentType string) *reply {
	mt, params, err := mime.ParseMediaType(contentType)
	ok := err == nil && mt == "application/json"
	for k, v := range params {
		ok = ok && k == "charset" && strings.EqualFold(v, "utf-8")
	}
	if !ok {
		r := jsonError(415, contract.ErrorInvalidInput, "invalid input: Content-Type must be application/json")
		return &r
	}
	return nil
}

// readBody returns the body's bytes, refusing more than maxBodyBytes.
func readBody(body string, isBase64 bool) ([]byte, *reply) {
	tooLarge := func() *reply {
		r := jsonError(413, contract.ErrorInvalidInput, "invalid input: the body is larger than 8 KiB")
		return &r
	}
	if !isBase64 {
		if len(body) > maxBodyBytes {
			return nil, tooLarge()
		}
		return []byte(body), nil
	}
	if len(body) > base64.StdEncoding.EncodedLen(maxBodyBytes) {
		return nil, tooLarge()
	}
	raw, err := base64.StdEncoding.DecodeString(body)
	if err != nil {
		return nil, invalid("invalid input: the body is not valid base64")
	}
	if len(raw) > maxBodyBytes {
		return nil, tooLarge()
	}
	return raw, nil
}

func invalid(msg string) *reply {
	r := jsonError(400, contract.ErrorInvalidInput, msg)
	return &r
}
