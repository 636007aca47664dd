// Package signing holds the commands that act on a document's signing:
// `signctl start`, `sign` and `decline`.
package signing
