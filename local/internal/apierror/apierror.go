// Package apierror is the error every local AWS service answers with: an AWS
// error code, a message and an HTTP status. Each service writes it in its
// own wire format (JSON __type, or the query protocol's XML).
package apierror

import (
	"fmt"
	"net/http"
)

// Error is an error of an AWS API: Code is AWS's error code, Message its
// message.
type Error struct {
	Code    string
	Message string
	// Status is the HTTP status code; 0 means 400.
	Status int
}

func (e *Error) Error() string { return e.Code + ": " + e.Message }

// HTTPStatus is the status the error is answered with.
func (e *Error) HTTPStatus() int {
	if e.Status == 0 {
		return http.StatusBadRequest
	}
	return e.Status
}

// New returns an *Error with code, a formatted message and status 400.
func New(code, format string, args ...any) *Error {
	return &Error{Code: code, Message: fmt.Sprintf(format, args...)}
}

// MaxShown bounds how many characters of a caller's value a message quotes.
const MaxShown = 256

// Clip cuts s to MaxShown characters, marking a cut with "...".
func Clip(s string) string {
	n := 0
	for i := range s {
		if n == MaxShown {
			return s[:i] + "..."
		}
		n++
	}
	return s
}
