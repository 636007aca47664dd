// Package inspect holds the commands that read how signings are going:
// `signctl status`, `watch` and `pending`. They read run histories without
// execution data and the token table without its task-token attribute, so
// they never hold a task token.
package inspect
