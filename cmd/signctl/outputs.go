package main

import (
	"encoding/json"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"slices"
	"strings"
)

// stackName is the stack whose outputs signctl reads (DESIGN.md contract).
const stackName = "DocumentSigningStack"

// Outputs files tried when --outputs-file is not given, in order: the one
// `make deploy` writes, then the one `signctl local` writes.
var defaultOutputsFiles = []string{"cdk-outputs.json", "cdk-outputs.local.json"}

// stackOutputs are the names signctl needs, from an outputs file shaped like
// `cdk deploy --outputs-file`: {"DocumentSigningStack":{"StateMachineArn":…}}.
type stackOutputs struct {
	File                          string // where they were read
	StateMachineARN               string `json:"StateMachineArn"`
	TableName                     string `json:"TableName"`
	CompleteSignatureFunctionName string `json:"CompleteSignatureFunctionName"`
}

// readOutputs reads path, or with path "" the first of defaultOutputsFiles
// that exists.
func readOutputs(path string) (stackOutputs, error) {
	if path == "" {
		for _, p := range defaultOutputsFiles {
			if _, err := os.Stat(p); err == nil {
				path = p
				break
			}
		}
		if path == "" {
			return stackOutputs{}, &cliError{Code: "NoOutputsFile", Exit: exitError, Msg: fmt.Sprintf(
				"no outputs file here: neither %s (written by `make deploy`) nor %s (written by `signctl local`) exists; "+
					"pass --outputs-file", defaultOutputsFiles[0], defaultOutputsFiles[1])}
		}
	}
	data, err := os.ReadFile(path)
	if errors.Is(err, fs.ErrNotExist) {
		return stackOutputs{}, &cliError{Code: "NoOutputsFile", Exit: exitError,
			Msg: fmt.Sprintf("outputs file %s does not exist", path), Err: err}
	}
	if err != nil {
		return stackOutputs{}, &cliError{Code: "NoOutputsFile", Exit: exitError, Msg: err.Error(), Err: err}
	}
	return parseOutputs(path, data)
}

func parseOutputs(path string, data []byte) (stackOutputs, error) {
	bad := func(format string, args ...any) (stackOutputs, error) {
		return stackOutputs{}, &cliError{Code: "BadOutputsFile", Exit: exitError,
			Msg: fmt.Sprintf("outputs file %s: ", path) + fmt.Sprintf(format, args...)}
	}
	var stacks map[string]json.RawMessage
	if err := json.Unmarshal(data, &stacks); err != nil {
		return bad("not a JSON object of stacks (%v)", err)
	}
	raw, ok := stacks[stackName]
	if !ok {
		names := make([]string, 0, len(stacks))
		for n := range stacks {
			names = append(names, n)
		}
		slices.Sort(names)
		return bad("no %s in it (it has: %s); was it written for this app?", stackName, orNone(names))
	}
	out := stackOutputs{File: path}
	if err := json.Unmarshal(raw, &out); err != nil {
		return bad("%s is not an object of outputs (%v)", stackName, err)
	}
	var missing []string
	for _, f := range []struct{ name, value string }{
		{"StateMachineArn", out.StateMachineARN},
		{"TableName", out.TableName},
		{"CompleteSignatureFunctionName", out.CompleteSignatureFunctionName},
	} {
		if f.value == "" {
			missing = append(missing, f.name)
		}
	}
	if len(missing) > 0 {
		return bad("%s lacks output(s) %s; redeploy, or restart `signctl local`", stackName, strings.Join(missing, ", "))
	}
	return out, nil
}

// runARN is the ARN of document id's run (its execution, named after it).
func (o stackOutputs) runARN(id string) (string, error) {
	arn, err := executionARN(o.StateMachineARN, id)
	if err != nil {
		return "", &cliError{Code: "BadOutputsFile", Exit: exitError, Msg: fmt.Sprintf("outputs file %s: StateMachineArn: %v", o.File, err)}
	}
	return arn, nil
}

func orNone(names []string) string {
	if len(names) == 0 {
		return "no stacks"
	}
	return strings.Join(names, ", ")
}
