// Package cli is what every signctl command shares: the root command and
// its exit codes, errors in words (*Error), the --endpoint, --region and
// --outputs-file flags and the AWS clients they lead to (Session), the
// stack's outputs, the document-id rule in signctl's words, the text and
// JSON printers, and the output writer that escapes every non-printable
// character (escape.go) and the scrubbing of task-token-shaped text
// (redact.go).
//
// It imports nothing from the local stand-in (local/…): the operator
// commands built on it work against AWS as they do against the local stack.
package cli
