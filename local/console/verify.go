package console

import (
	"encoding/base64"
	"encoding/json"
	"errors"
	"net/http"

	"github.com/hitl-go/docsign/internal/jws"
	"github.com/hitl-go/docsign/internal/signature"
)

// maxVerify bounds a verify request: a run's envelopes and a public key.
const maxVerify = 1 << 20

// verifyRequest is what the page asks POST /console/verify to check: a
// run's envelopes, what they must say, and the public half of the stack's
// signing key as KMS GetPublicKey gave the page (base64 DER). The page
// fetches the key itself, on its own origin, as it calls every other AWS
// API; the server holds no AWS client.
type verifyRequest struct {
	KeyARN       string               `json:"keyArn"`
	PublicKey    string               `json:"publicKey"`
	DocumentID   string               `json:"documentId"`
	Document     signature.Document   `json:"document"`
	ExecutionARN string               `json:"executionArn"`
	Signatures   []signature.Envelope `json:"signatures"`
}

// verdict is one envelope's check: valid, or the problem signature.Verify
// found.
type verdict struct {
	Signer  string `json:"signer"`
	Valid   bool   `json:"valid"`
	Problem string `json:"problem,omitempty"`
	Detail  string `json:"detail,omitempty"`
}

// verify checks each envelope with package signature — the same check as
// `signctl verify` — rather than a second implementation in the page.
func (s *server) verify(w http.ResponseWriter, r *http.Request) {
	var req verifyRequest
	dec := json.NewDecoder(http.MaxBytesReader(w, r.Body, maxVerify))
	dec.DisallowUnknownFields()
	if err := dec.Decode(&req); err != nil {
		writeError(w, http.StatusBadRequest, "InvalidRequest", "verify request: "+err.Error())
		return
	}
	if req.KeyARN == "" || req.DocumentID == "" || req.ExecutionARN == "" {
		writeError(w, http.StatusBadRequest, "InvalidRequest", "verify request: keyArn, documentId and executionArn are required")
		return
	}
	der, err := base64.StdEncoding.DecodeString(req.PublicKey)
	if err != nil {
		writeError(w, http.StatusBadRequest, "InvalidRequest", "publicKey is not base64: "+err.Error())
		return
	}
	pub, err := jws.PublicKeyFromDER(der)
	if err != nil {
		writeError(w, http.StatusBadRequest, "InvalidPublicKey", err.Error())
		return
	}
	want := signature.Expected{KeyARN: req.KeyARN, DocumentID: req.DocumentID, Document: req.Document, ExecutionARN: req.ExecutionARN}
	out := make([]verdict, 0, len(req.Signatures))
	for _, env := range req.Signatures {
		v := verdict{Signer: env.Signer, Valid: true}
		if _, err := signature.Verify(env, pub, want); err != nil {
			v.Valid = false
			var ve *signature.VerifyError
			if errors.As(err, &ve) {
				v.Problem, v.Detail = string(ve.Problem), ve.Detail
			} else {
				v.Problem, v.Detail = string(signature.Malformed), err.Error()
			}
		}
		out = append(out, v)
	}
	w.Header().Set("Cache-Control", "no-store")
	writeJSON(w, http.StatusOK, map[string]any{"signatures": out})
}
