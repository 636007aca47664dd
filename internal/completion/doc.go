// Package completion completes a callback signer's pending request exactly
// once: it claims the request in the token table, seals the signer's
// statement with KMS, resumes the run with SendTaskSuccess (sign) or
// SendTaskFailure (decline) and records the outcome. The complete-signature
// Lambda (a direct invocation; IAM decides who may) and the signing page (a
// one-time link's code) both complete through it.
package completion
