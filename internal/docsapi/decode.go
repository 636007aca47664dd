package docsapi

import (
	"encoding/base64"
	"net/http"

	"github.com/aws/aws-lambda-go/events"

	"github.com/hitl-go/docsign/internal/contract"
)

// MaxDocumentSize bounds a posted document: 4 MiB. API Gateway hands a
// binary body to Lambda base64-encoded, 4/3 larger, inside an event that a
// synchronous invocation caps at 6 MB; 4 MiB encodes to 5.6 MB, leaving room
// for the headers (API Gateway's own 10 MB limit is never the one reached).
const MaxDocumentSize = 4 << 20

// documentID is the request's {documentId}, or a 400 refusal.
func documentID(req events.APIGatewayV2HTTPRequest) (string, *refusal) {
	id := req.PathParameters[contract.DocumentIDPathParameter]
	if err := contract.CheckDocumentID(id); err != nil {
		return "", refuse(http.StatusBadRequest, contract.ErrorInvalidInput, "%v", err)
	}
	return id, nil
}

// decodePost reads a POST's document id and body (decoded when API Gateway
// base64-encoded it), or refuses them. Size is checked before decoding, so an
// oversized body costs no copy.
func decodePost(req events.APIGatewayV2HTTPRequest) (string, []byte, *refusal) {
	id, bad := documentID(req)
	if bad != nil {
		return "", nil, bad
	}
	tooLarge := refuse(http.StatusRequestEntityTooLarge, contract.ErrorDocumentTooLarge,
		"the document is over %d bytes (%d MiB), the most the documents API takes", MaxDocumentSize, MaxDocumentSize>>20)
	body := []byte(req.Body)
	if req.IsBase64Encoded {
		if len(req.Body) > base64.StdEncoding.EncodedLen(MaxDocumentSize) {
			return "", nil, tooLarge
		}
		var err error
		if body, err = base64.StdEncoding.DecodeString(req.Body); err != nil {
			return "", nil, refuse(http.StatusBadRequest, contract.ErrorInvalidInput, "the body is marked base64-encoded but is not valid base64")
		}
	}
	switch {
	case len(body) == 0:
		return "", nil, refuse(http.StatusBadRequest, contract.ErrorInvalidInput, "the body is empty: post the document's bytes")
	case len(body) > MaxDocumentSize:
		return "", nil, tooLarge
	}
	return id, body, nil
}
