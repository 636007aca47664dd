// Package contract holds the names every part of the product agrees on: the
// stack and its outputs, the Lambdas' environment variables, the token
// table's attributes and statuses, the error types callers see, the state
// names, the document-id and signer rules, and the shapes scripts read
// (complete-signature's event and answer, `signctl bench --json`).
//
// Each name is written here once and referred to everywhere else. The
// package imports nothing outside the standard library, so the CDK app, the
// Lambdas, signctl and the local stand-in can all depend on it cheaply.
// docs/design.md explains what the names mean.
package contract
