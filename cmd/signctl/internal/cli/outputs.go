package cli

import (
	"encoding/json"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"slices"
	"strings"

	"github.com/hitl-go/docsign/internal/contract"
	"github.com/hitl-go/docsign/internal/runs"
)

// Outputs files tried when --outputs-file is not given, in order: the one
// `make deploy` writes, then the one `signctl local` writes.
var defaultOutputsFiles = []string{"cdk-outputs.json", "cdk-outputs.local.json"}

// Outputs are the names signctl needs, from an outputs file shaped like
// `cdk deploy --outputs-file`: {"<contract.StackName>":{"<output>":…}}.
type Outputs struct {
	File                          string // where they were read
	StateMachineARN               string
	TableName                     string
	CompleteSignatureFunctionName string
	// DocumentBucketName and SigningKeyARN are read when present and
	// required only by the commands that use them (Require).
	DocumentBucketName string
	SigningKeyARN      string
}

// ReadOutputs reads path, or with path "" the first of defaultOutputsFiles
// that exists.
func ReadOutputs(path string) (Outputs, error) {
	if path == "" {
		for _, p := range defaultOutputsFiles {
			if _, err := os.Stat(p); err == nil {
				path = p
				break
			}
		}
		if path == "" {
			return Outputs{}, &Error{Code: "NoOutputsFile", Exit: ExitError, Msg: fmt.Sprintf(
				"no outputs file here: neither %s (written by `make deploy`) nor %s (written by `signctl local`) exists; "+
					"pass --outputs-file", defaultOutputsFiles[0], defaultOutputsFiles[1])}
		}
	}
	data, err := os.ReadFile(path)
	if errors.Is(err, fs.ErrNotExist) {
		return Outputs{}, &Error{Code: "NoOutputsFile", Exit: ExitError,
			Msg: fmt.Sprintf("outputs file %s does not exist", path), Err: err}
	}
	if err != nil {
		return Outputs{}, &Error{Code: "NoOutputsFile", Exit: ExitError, Msg: err.Error(), Err: err}
	}
	return parseOutputs(path, data)
}

func parseOutputs(path string, data []byte) (Outputs, error) {
	bad := func(format string, args ...any) (Outputs, error) {
		return Outputs{}, &Error{Code: "BadOutputsFile", Exit: ExitError,
			Msg: fmt.Sprintf("outputs file %s: ", path) + fmt.Sprintf(format, args...)}
	}
	var stacks map[string]json.RawMessage
	if err := json.Unmarshal(data, &stacks); err != nil {
		return bad("not a JSON object of stacks (%v)", err)
	}
	stack := contract.StackName
	raw, ok := stacks[stack]
	if !ok {
		names := make([]string, 0, len(stacks))
		for n := range stacks {
			names = append(names, n)
		}
		slices.Sort(names)
		return bad("no %s in it (it has: %s); was it written for this app?", stack, OrNone(names))
	}
	var values map[string]any // other outputs may be anything
	if err := json.Unmarshal(raw, &values); err != nil {
		return bad("%s is not an object of outputs (%v)", stack, err)
	}
	text := func(name string) string { s, _ := values[name].(string); return s }
	out := Outputs{File: path, StateMachineARN: text(contract.OutputStateMachineARN), TableName: text(contract.OutputTableName),
		CompleteSignatureFunctionName: text(contract.OutputCompleteSignatureFunctionName),
		DocumentBucketName:            text(contract.OutputDocumentBucketName), SigningKeyARN: text(contract.OutputSigningKeyARN)}
	var missing []string
	for _, name := range []string{contract.OutputStateMachineARN, contract.OutputTableName, contract.OutputCompleteSignatureFunctionName} {
		if text(name) == "" {
			missing = append(missing, name)
		}
	}
	if len(missing) > 0 {
		return bad("%s lacks output(s) %s; redeploy, or restart `signctl local`", stack, strings.Join(missing, ", "))
	}
	return out, nil
}

// Require returns the value of the named output (contract.Output…) that a
// command needs but not every stack's outputs file has (written before the
// output existed), or an error saying to redeploy.
func (o Outputs) Require(name string) (string, error) {
	var v string
	switch name {
	case contract.OutputDocumentBucketName:
		v = o.DocumentBucketName
	case contract.OutputSigningKeyARN:
		v = o.SigningKeyARN
	default:
		panic("signctl: Outputs.Require of an output it does not read: " + name)
	}
	if v == "" {
		return "", &Error{Code: "BadOutputsFile", Exit: ExitError, Msg: fmt.Sprintf(
			"outputs file %s: %s lacks output %s; redeploy, or restart `signctl local`", o.File, contract.StackName, name)}
	}
	return v, nil
}

// RunARN is the ARN of document id's run (its execution, named after it).
func (o Outputs) RunARN(id string) (string, error) {
	arn, err := runs.ExecutionARN(o.StateMachineARN, id)
	if err != nil {
		return "", &Error{Code: "BadOutputsFile", Exit: ExitError,
			Msg: fmt.Sprintf("outputs file %s: %s: %v", o.File, contract.OutputStateMachineARN, err)}
	}
	return arn, nil
}

// OrNone lists names, or says there are no stacks.
func OrNone(names []string) string {
	if len(names) == 0 {
		return "no stacks"
	}
	return strings.Join(names, ", ")
}
