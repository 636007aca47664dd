package fault_test

import (
	"reflect"
	"testing"

	"github.com/hitl-go/docsign/internal/contract"
	"github.com/hitl-go/docsign/internal/fault"
)

// TestTypeNamesAreTheContract pins the Go type names to the contract's error
// types: aws-lambda-go reports them as errorType, and callers match on them.
func TestTypeNamesAreTheContract(t *testing.T) {
	tests := []struct {
		err  error
		want string
	}{
		{fault.Invalid("m"), contract.ErrorInvalidInput},
		{fault.NotFound("m"), contract.ErrorSignatureRequestNotFound},
		{fault.AlreadyCompleted("m"), contract.ErrorSignatureAlreadyCompleted},
		{fault.Expired("m"), contract.ErrorSignatureRequestExpired},
		{fault.Unavailable("m"), contract.ErrorSignatureServiceUnavailable},
		{fault.Conflict("m"), contract.ErrorSignatureRequestConflict},
		{fault.DocumentMissing("m"), contract.ErrorDocumentNotFound},
		{fault.Changed("m"), contract.ErrorDocumentChanged},
		{fault.LinkInvalid("m"), contract.ErrorSignatureLinkInvalid},
	}
	for _, tt := range tests {
		// As aws-lambda-go does: the pointer's element type, not unwrapped.
		if got := reflect.TypeOf(tt.err).Elem().Name(); got != tt.want {
			t.Errorf("errorType = %q, want %q", got, tt.want)
		}
		if got := tt.err.Error(); got != "m" {
			t.Errorf("%s message = %q, want %q", tt.want, got, "m")
		}
	}
}

// TestOf: each contract errorType comes back as the same Go type, so a
// caller of a remote function maps it as it would the function's own.
func TestOf(t *testing.T) {
	for _, want := range []error{
		fault.Invalid("m"), fault.NotFound("m"), fault.AlreadyCompleted("m"), fault.Expired("m"), fault.Unavailable("m"),
		fault.Conflict("m"), fault.DocumentMissing("m"), fault.Changed("m"), fault.LinkInvalid("m"),
	} {
		name := reflect.TypeOf(want).Elem().Name()
		got, ok := fault.Of(name, "50% done")
		if !ok || reflect.TypeOf(got) != reflect.TypeOf(want) || got.Error() != "50% done" {
			t.Errorf("Of(%q) = %T %q, %v; want a %T with the message as it is", name, got, got, ok, want)
		}
	}
	if _, ok := fault.Of("Runtime.ExitError", "m"); ok {
		t.Error("Of(Runtime.ExitError) is a contract error")
	}
}
