package cloudformation

import (
	"errors"
	"fmt"
	"strings"
)

// Causes wrapped by a *TemplateError; check them with errors.Is.
var (
	// ErrNoAssembly means the directory has no manifest.json (run `cdk synth`).
	ErrNoAssembly = errors.New("no cloud assembly (manifest.json not found)")
	// ErrMalformed means a template or manifest does not have the expected shape.
	ErrMalformed = errors.New("malformed")
	// ErrUnknownIntrinsic means a "Fn::…" key that CloudFormation does not define.
	ErrUnknownIntrinsic = errors.New("unknown intrinsic function")
	// ErrMissingReference means a Ref, Fn::GetAtt, Fn::Sub variable, condition,
	// mapping or import names something the template (or assembly) does not have.
	ErrMissingReference = errors.New("no such resource, parameter, condition, mapping or export")
	// ErrUnsupported means something CloudFormation accepts but the local stack
	// cannot evaluate (a transform, Fn::Cidr, an unknown attribute of an emulated type…).
	ErrUnsupported = errors.New("not supported locally")
	// ErrCycle means a value depends on itself.
	ErrCycle = errors.New("circular reference")
	// ErrRuleFailed means an assertion of the template's Rules does not hold,
	// so CloudFormation would refuse the stack; the message has the rule's
	// AssertDescription.
	ErrRuleFailed = errors.New("rule assertion failed")
)

// TemplateError is a problem in one template (or in the assembly manifest),
// located by file and by the dotted path of the field, e.g.
// "Resources.SignFunction.Properties.Environment.Variables.TABLE_NAME".
type TemplateError struct {
	File string
	Path string
	Err  error
}

func (e *TemplateError) Error() string {
	if e.Path == "" {
		return fmt.Sprintf("%s: %v", e.File, e.Err)
	}
	return fmt.Sprintf("%s: %s: %v", e.File, e.Path, e.Err)
}

func (e *TemplateError) Unwrap() error { return e.Err }

// Resource is the logical ID of the resource the error is in, or "" when it
// is elsewhere (Outputs, Conditions, the manifest…).
func (e *TemplateError) Resource() string {
	rest, ok := strings.CutPrefix(e.Path, "Resources.")
	if !ok {
		return ""
	}
	id, _, _ := strings.Cut(rest, ".")
	return id
}
