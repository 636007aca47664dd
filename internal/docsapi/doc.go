// Package docsapi is the documents API's handler. An API Gateway HTTP API
// (payload format 2.0, Lambda proxy integration, routes authorised with
// AWS_IAM) sends two routes to one Lambda:
//
//   - POST /documents/{documentId}: the body is the document. It is stored
//     as documents/<documentId> in the document bucket, recording the
//     caller's principal ARN as metadata uploaded-by, and the document's run
//     starts (202). A document is signed once: an id that already has a run
//     is refused (409) before anything is stored, so a re-post can never
//     replace what a run pinned.
//   - GET /documents/{documentId}: the run's status, the pinned document and
//     where each signer stands, with the envelopes of those who signed.
//
// Request problems are answered as HTTP responses, never as Go errors: a
// refusal is {"errorType","message"} and changes nothing. A transient AWS
// failure is 503 with Retry-After, safe to retry. Handle returns a Go error
// only for a bug (a permanent AWS failure such as a missing permission), which
// API Gateway answers as 500.
package docsapi
