package stack

import (
	"errors"
	"fmt"
	"strings"

	"github.com/hitl-go/docsign/internal/dynalite"
	"github.com/hitl-go/docsign/local/cloudformation"
	"github.com/hitl-go/docsign/local/dynamodb"
)

// SetupError is a problem with the project or the machine that stops the
// local stack from starting. Its message is one line naming the fix, e.g.
// "no cloud assembly at cdk.out: run `make synth`".
type SetupError struct {
	Problem string // what is wrong
	Fix     string // what to do about it
	Err     error
}

func (e *SetupError) Error() string {
	if e.Fix == "" {
		return e.Problem
	}
	return e.Problem + ": " + e.Fix
}

func (e *SetupError) Unwrap() error { return e.Err }

// BuildError reports a function whose Go package does not compile for this
// machine. Error is one line; Output holds everything the go command printed.
type BuildError struct {
	Function string // the function's name
	Package  string // its Go package, e.g. "./lambdas/signdocument"
	Output   string
	Err      error
}

func (e *BuildError) Error() string {
	msg := fmt.Sprintf("cannot build function %s from Go package %s", e.Function, e.Package)
	if line := firstCompilerLine(e.Output); line != "" {
		msg += ": " + line
	} else if e.Err != nil {
		msg += ": " + e.Err.Error()
	}
	return msg + ": fix the package (go build " + e.Package + ") and start again"
}

func (e *BuildError) Unwrap() error { return e.Err }

// firstCompilerLine is the first line of go build's output that is not a
// "# package" header: usually the first compile error.
func firstCompilerLine(out string) string {
	for line := range strings.Lines(out) {
		line = strings.TrimSpace(line)
		if line != "" && !strings.HasPrefix(line, "#") {
			return line
		}
	}
	return ""
}

// explainAssembly puts a cloud-assembly load error in words.
func explainAssembly(dir string, err error) error {
	var te *cloudformation.TemplateError
	switch {
	case errors.Is(err, cloudformation.ErrNoAssembly):
		return &SetupError{Problem: "no cloud assembly at " + dir, Fix: "run `make synth`", Err: err}
	case errors.Is(err, cloudformation.ErrRuleFailed):
		return &SetupError{Problem: "CloudFormation would refuse the stack: " + oneLine(err.Error()),
			Fix: "change what the rule checks (parameters, context) and run `make synth` again", Err: err}
	case errors.As(err, &te):
		return &SetupError{Problem: "malformed template " + oneLine(te.Error()),
			Fix: "fix the CDK app and run `make synth` again", Err: err}
	}
	return &SetupError{Problem: "cannot read the cloud assembly at " + dir + ": " + oneLine(err.Error()),
		Fix: "run `make synth`", Err: err}
}

// explainDynamoDB puts a DynamoDB start-up error in words.
func explainDynamoDB(err error) error {
	var locked *dynamodb.LockedError
	switch {
	case errors.Is(err, dynalite.ErrNotInstalled):
		e := &SetupError{Problem: oneLine(err.Error()), Err: err}
		if !strings.Contains(e.Problem, "npm ci") { // node itself is missing
			e.Fix = "install Node.js 20 or later, then run `npm ci`"
		}
		return e
	case errors.As(err, &locked):
		return &SetupError{Problem: fmt.Sprintf("the DynamoDB data in %s is in use by process %d", locked.Dir, locked.PID),
			Fix: "stop the other `signctl local`, or pass --data-dir or --in-memory", Err: err}
	}
	return &SetupError{Problem: "DynamoDB did not start: " + oneLine(err.Error()),
		Fix: "see the log above; `npm ci` reinstalls dynalite", Err: err}
}

// oneLine joins a multi-line message into one line.
func oneLine(s string) string {
	return strings.Join(strings.Fields(s), " ")
}
