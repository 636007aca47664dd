package signature

import (
	"crypto/ecdsa"
	"fmt"

	"github.com/hitl-go/docsign/internal/contract"
	"github.com/hitl-go/docsign/internal/jws"
)

// Problem names why an envelope does not verify.
type Problem string

// The problems Verify reports.
const (
	Malformed       Problem = "malformed"        // not a JWS of a statement
	BadSignature    Problem = "bad signature"    // the signature does not match the key
	OtherKey        Problem = "other key"        // signed by another key than the expected one
	OtherDocument   Problem = "other document"   // about another document or pinned version
	OtherRun        Problem = "other run"        // made in another run
	Mismatch        Problem = "mismatch"         // the envelope's readable parts differ from what is signed
	MissingSigner   Problem = "missing signer"   // a signer of the run has no envelope
	DocumentAltered Problem = "document altered" // a file's SHA-256 is not the pinned one
)

// VerifyError reports an envelope that does not verify.
type VerifyError struct {
	Signer  string
	Problem Problem
	Detail  string
}

func (e *VerifyError) Error() string {
	return fmt.Sprintf("signature of %q: %s: %s", e.Signer, e.Problem, e.Detail)
}

// Expected is what a run's envelopes must say.
type Expected struct {
	KeyARN       string // the signing key; "" accepts any kid (offline, with the key given)
	DocumentID   string
	Document     Document
	ExecutionARN string // "" when the run is not known
}

var knownAuthentication = map[string]bool{
	contract.AuthenticatedByService: true, contract.AuthenticatedByLink: true, contract.AuthenticatedByLambdaInvoke: true,
}

// Verify checks env against pub and want and returns its statement: the JWS
// verifies with pub, its kid is want.KeyARN, its statement is env's and
// names want's document, pinned version and run. Failures are *VerifyError.
func Verify(env Envelope, pub *ecdsa.PublicKey, want Expected) (Statement, error) {
	fail := func(p Problem, format string, args ...any) (Statement, error) {
		return Statement{}, &VerifyError{Signer: env.Signer, Problem: p, Detail: fmt.Sprintf(format, args...)}
	}
	opened, kid, err := Open(env.JWS)
	if err != nil {
		return fail(Malformed, "%v", err)
	}
	if want.KeyARN != "" && kid != want.KeyARN {
		return fail(OtherKey, "signed by %s, not %s", kid, want.KeyARN)
	}
	if _, err := jws.Verify(env.JWS, pub); err != nil {
		return fail(BadSignature, "%v", err)
	}
	st := opened.Statement
	switch {
	case env.Statement != st || env.Signer != st.Signer:
		return fail(Mismatch, "the envelope's signer or statement is not what the JWS signs")
	case st.DocumentID != want.DocumentID || st.Document != want.Document:
		return fail(OtherDocument, "signs %s version %s (sha256 %s), not %s version %s (sha256 %s)",
			st.DocumentID, st.Document.VersionID, st.Document.SHA256, want.DocumentID, want.Document.VersionID, want.Document.SHA256)
	case want.ExecutionARN != "" && st.ExecutionARN != want.ExecutionARN:
		return fail(OtherRun, "made in %s, not %s", st.ExecutionARN, want.ExecutionARN)
	case st.Decision != contract.DecisionSign || !knownAuthentication[st.AuthenticatedBy]:
		return fail(Malformed, "decision %q authenticated by %q is not a signature", st.Decision, st.AuthenticatedBy)
	}
	return st, nil
}
