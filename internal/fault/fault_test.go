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
