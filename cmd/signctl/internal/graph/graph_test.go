package graph

import (
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/hitl-go/docsign/cmd/signctl/internal/cli"
	"github.com/hitl-go/docsign/internal/contract"
)

func TestStateMachineChart(t *testing.T) {
	chart, err := stateMachineChart("testdata/assembly", contract.StackName)
	if err != nil {
		t.Fatal(err)
	}
	if !strings.HasPrefix(chart.Text, "flowchart TD") {
		t.Errorf("chart does not start with flowchart TD:\n%s", chart.Text)
	}
	var names []string
	for _, s := range chart.States {
		names = append(names, s.Name)
	}
	if got, want := strings.Join(names, ","), "Collect signatures,Sign as Alice,Wait for Bob to sign"; got != want {
		t.Errorf("states = %s, want %s", got, want)
	}
	// The definition's Fn::Join was resolved: the task kinds come from
	// resources built with the partition.
	if !strings.Contains(chart.Text, "lambda:invoke.waitForTaskToken") {
		t.Errorf("chart lacks the callback task's kind:\n%s", chart.Text)
	}
}

func TestStateMachineChartErrors(t *testing.T) {
	empty := t.TempDir()
	twoMachines := t.TempDir()
	copyAssembly(t, twoMachines, func(template string) string {
		return strings.Replace(template, `"StateMachine": {`, `"Other": {"Type": "AWS::StepFunctions::StateMachine", "Properties": {"DefinitionString": "{}"}},
    "StateMachine": {`, 1)
	})
	tests := []struct {
		name, dir, stack string
		wantExit         int
		wantMsg          string
	}{
		{"no assembly", empty, contract.StackName, cli.ExitError, "no cloud assembly in " + empty + ": run `make synth`"},
		{"no such stack", "testdata/assembly", "Nope", cli.ExitNotFound, "no stack Nope in the cloud assembly testdata/assembly (it has: DocumentSigningStack)"},
		{"two state machines", twoMachines, contract.StackName, cli.ExitError, "has 2 state machines"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := stateMachineChart(tt.dir, tt.stack)
			var ce *cli.Error
			if !errors.As(err, &ce) || ce.Exit != tt.wantExit || !strings.Contains(ce.Msg, tt.wantMsg) {
				t.Errorf("err = %v, want exit %d and %q", err, tt.wantExit, tt.wantMsg)
			}
		})
	}
}

// copyAssembly copies testdata/assembly to dir, editing the template.
func copyAssembly(t *testing.T, dir string, edit func(string) string) {
	t.Helper()
	for _, name := range []string{"manifest.json", "DocumentSigningStack.template.json"} {
		data, err := os.ReadFile(filepath.Join("testdata/assembly", name))
		if err != nil {
			t.Fatal(err)
		}
		if strings.HasSuffix(name, ".template.json") {
			data = []byte(edit(string(data)))
		}
		if err := os.WriteFile(filepath.Join(dir, name), data, 0o644); err != nil {
			t.Fatal(err)
		}
	}
}
