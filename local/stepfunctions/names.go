package stepfunctions

import (
	"crypto/rand"
	"fmt"
	"strings"
	"unicode/utf8"

	"github.com/hitl-go/docsign/local/internal/apierror"
)

// Names of state machines and executions: 1–80 characters without
// whitespace, brackets, wildcards, the special characters " # % \ ^ | ~ ` $
// & , ; : / and control characters (U+0000–U+001F, U+007F–U+009F). Non-ASCII
// letters are allowed, as AWS allows them.
const maxNameLen = 80

func validName(name string) bool {
	if name == "" || !utf8.ValidString(name) || utf8.RuneCountInString(name) > maxNameLen {
		return false
	}
	for _, r := range name {
		switch {
		case r <= 0x20, r >= 0x7f && r <= 0x9f:
			return false
		case strings.ContainsRune("<>{}[]?*\"#%\\^|~`$&,;:/", r):
			return false
		case r == 0x85, r == 0xa0, r == 0x1680, r >= 0x2000 && r <= 0x200a,
			r == 0x2028, r == 0x2029, r == 0x202f, r == 0x205f, r == 0x3000:
			return false // Unicode whitespace
		}
	}
	return true
}

// checkName validates the name of a state machine or execution: over
// maxNameLen characters it breaks the API's length constraint
// (ValidationException), otherwise a bad name is InvalidName.
func checkName(name string) *APIError {
	if err := maxLen("name", name, maxNameLen, false); err != nil {
		return err
	}
	if !validName(name) {
		return apierror.New(codeInvalidName, "Invalid Name: '%s'", name)
	}
	return nil
}

// maxARNLen is the API's length constraint on every ARN member.
const maxARNLen = 256

// arnKind is the resource type of a Step Functions ARN.
type arnKind string

const (
	kindStateMachine arnKind = "stateMachine"
	kindExecution    arnKind = "execution"
)

func (s *Service) stateMachineARN(name string) string {
	return "arn:aws:states:" + s.region + ":" + s.account + ":stateMachine:" + name
}

func (s *Service) executionARN(machineName, execName string) string {
	return "arn:aws:states:" + s.region + ":" + s.account + ":execution:" + machineName + ":" + execName
}

// checkARNMember validates the required ARN member field: present, at
// most maxARNLen characters, and a Step Functions ARN of kind want.
func checkARNMember(field, arn string, want arnKind) *APIError {
	if err := required(field, arn); err != nil {
		return err
	}
	if err := maxLen(field, arn, maxARNLen, false); err != nil {
		return err
	}
	return checkARN(arn, want)
}

// checkRoleARN checks roleArn is an ARN ("arn:partition:service:region:
// account:resource"); whether the role exists and may be assumed is IAM's
// business, which this engine leaves alone.
func checkRoleARN(arn string) *APIError {
	if !strings.HasPrefix(arn, "arn:") {
		return apierror.New(codeInvalidArn, "Invalid Arn: 'Invalid ARN prefix: %s'", arn)
	}
	parts := strings.SplitN(arn, ":", 6)
	if len(parts) < 6 || parts[1] == "" || parts[2] == "" || parts[5] == "" {
		return apierror.New(codeInvalidArn, "Invalid Arn: '%s'", arn)
	}
	return nil
}

// checkARN validates arn as a Step Functions ARN of kind want, with AWS's
// InvalidArn messages.
func checkARN(arn string, want arnKind) *APIError {
	if !strings.HasPrefix(arn, "arn:") {
		return apierror.New(codeInvalidArn, "Invalid Arn: 'Invalid ARN prefix: %s'", arn)
	}
	parts := strings.SplitN(arn, ":", 7)
	if len(parts) < 7 || parts[2] != "states" || parts[1] == "" || parts[3] == "" || parts[4] == "" {
		return apierror.New(codeInvalidArn, "Invalid Arn: '%s'", arn)
	}
	if kind := arnKind(parts[5]); kind != want {
		return apierror.New(codeInvalidArn, "Invalid Arn: 'Resource type not valid in this context: %s'", strings.ToLower(string(kind)))
	}
	if parts[6] == "" {
		return apierror.New(codeInvalidArn, "Invalid Arn: '%s'", arn)
	}
	return nil
}

// lambdaFunctionARN expands a Lambda FunctionName parameter (a name, a name
// with a qualifier, a partial ARN "account:function:name" or a full ARN)
// into a full function ARN in this Service's region and account.
func (s *Service) lambdaFunctionARN(fn string) string {
	switch {
	case strings.HasPrefix(fn, "arn:"):
		return fn
	case strings.Contains(fn, ":function:"):
		return "arn:aws:lambda:" + s.region + ":" + fn
	default:
		return "arn:aws:lambda:" + s.region + ":" + s.account + ":function:" + fn
	}
}

// newUUID returns a random (version 4) UUID, used for execution names
// StartExecution generates and for Lambda request ids.
func newUUID() string {
	var b [16]byte
	if _, err := rand.Read(b[:]); err != nil {
		panic("stepfunctions: no randomness: " + err.Error())
	}
	b[6] = b[6]&0x0f | 0x40
	b[8] = b[8]&0x3f | 0x80
	return fmt.Sprintf("%x-%x-%x-%x-%x", b[0:4], b[4:6], b[6:8], b[8:10], b[10:16])
}
