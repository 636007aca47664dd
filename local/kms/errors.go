package kms

import (
	"net/http"
	"strconv"
	"strings"

	"github.com/hitl-go/docsign/local/internal/apierror"
)

// APIError is an error of the KMS API: Code is AWS's error code (the
// "__type" of the JSON 1.1 error body), Message its message.
type APIError = apierror.Error

// AWS's error codes used here (the errors of Sign, Verify, GetPublicKey and
// DescribeKey in the KMS API model, plus the protocol's own).
const (
	codeNotFound                 = "NotFoundException"
	codeInvalidKeyUsage          = "InvalidKeyUsageException"
	codeInvalidSignature         = "KMSInvalidSignatureException"
	codeInvalidGrantToken        = "InvalidGrantTokenException"
	codeDryRunOperation          = "DryRunOperationException"
	codeValidation               = "ValidationException"
	codeSerialization            = "SerializationException"
	codeUnknownOperation         = "UnknownOperationException"
	codeInternal                 = "KMSInternalException"
	statusDryRunOperation        = http.StatusPreconditionFailed
	statusUnknownOperationMethod = http.StatusMethodNotAllowed
)

// validation gathers the constraint failures of one request, in member
// order, and reports them as AWS does: "N validation error(s) detected:
// …; …".
type validation []string

// fail records that member breaks constraint. Sensitive values (messages,
// signatures) and absent ones are left out of the message, as AWS does;
// others are shown cut to apierror.MaxShown characters.
func (v *validation) fail(member, value string, shown bool, constraint string) {
	at := "Value at '" + member + "'"
	if shown {
		at = "Value '" + apierror.Clip(value) + "' at '" + member + "'"
	}
	*v = append(*v, at+" failed to satisfy constraint: "+constraint)
}

// null records a missing required member.
func (v *validation) null(member string) {
	*v = append(*v, "Value null at '"+member+"' failed to satisfy constraint: Member must not be null")
}

func (v validation) err() *APIError {
	switch len(v) {
	case 0:
		return nil
	case 1:
		return apierror.New(codeValidation, "1 validation error detected: %s", v[0])
	}
	return apierror.New(codeValidation, "%d validation errors detected: %s", len(v), strings.Join(v, "; "))
}

// length checks a member's length (characters of a string, bytes of a
// blob) against the model's bounds.
func (v *validation) length(member, value string, n, min, max int, shown bool) {
	switch {
	case n < min:
		v.fail(member, value, shown, "Member must have length greater than or equal to "+strconv.Itoa(min))
	case n > max:
		v.fail(member, value, shown, "Member must have length less than or equal to "+strconv.Itoa(max))
	}
}

// enum checks a member against its enum value set.
func (v *validation) enum(member, value string, set []string) {
	for _, s := range set {
		if value == s {
			return
		}
	}
	v.fail(member, value, true, "Member must satisfy enum value set: ["+strings.Join(set, ", ")+"]")
}
