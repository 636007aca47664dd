package graph

import (
	"errors"
	"fmt"
	"io"
	"slices"
	"strings"

	"github.com/spf13/cobra"

	"github.com/hitl-go/docsign/cmd/signctl/internal/cli"
	"github.com/hitl-go/docsign/internal/contract"
	"github.com/hitl-go/docsign/internal/flowchart"
)

// NewCmd is `signctl graph`.
func NewCmd() *cobra.Command {
	var cdkOut, stack string
	var asJSON bool
	cmd := &cobra.Command{
		Use:     "graph [--cdk-out DIR]",
		GroupID: cli.GroupInspect,
		Short:   "Print the state machine as a Mermaid flowchart",
		Long: `Print the state machine as a Mermaid flowchart, drawn from the synthesized
template in the cloud assembly (` + "`make synth` or `npx cdk synth`" + ` writes it to
cdk.out): the Parallel state is a box with one lane per signer. Paste it into a
Markdown file inside a ` + "```mermaid" + ` block and GitHub renders it. No AWS access
is needed.`,
		Example: `  signctl graph > docs/state-machine.mmd
  signctl graph --cdk-out /tmp/cdk.out --json`,
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			chart, err := stateMachineChart(cdkOut, stack)
			if err != nil {
				return err
			}
			if asJSON {
				return cli.WriteJSON(cmd.OutOrStdout(), chart)
			}
			_, err = io.WriteString(cmd.OutOrStdout(), strings.TrimRight(chart.Text, "\n")+"\n")
			return err
		},
	}
	cmd.Flags().StringVar(&cdkOut, "cdk-out", "cdk.out", "cloud assembly directory")
	cmd.Flags().StringVar(&stack, "stack", contract.StackName, "stack whose state machine to draw")
	cmd.Flags().BoolVar(&asJSON, "json", false, "print the chart as JSON: Mermaid text, node ids per state path, states")
	return cmd
}

// stateMachineChart draws the one state machine of the named stack in the
// cloud assembly at dir.
func stateMachineChart(dir, stack string) (*flowchart.Chart, error) {
	stacks, err := readAssembly(dir, 0)
	if errors.Is(err, errNoAssembly) {
		return nil, &cli.Error{Code: "NoAssembly", Exit: cli.ExitError, Err: err,
			Msg: fmt.Sprintf("no cloud assembly in %s: run `make synth` (or `npx cdk synth`) first, or pass --cdk-out", dir)}
	}
	if err != nil {
		return nil, &cli.Error{Code: "BadAssembly", Exit: cli.ExitError, Err: err, Msg: "read the cloud assembly: " + err.Error()}
	}
	var names []string
	for _, s := range stacks {
		names = append(names, s.Name)
		if s.Name != stack {
			continue
		}
		if n := len(s.Definitions); n != 1 {
			return nil, &cli.Error{Code: "BadAssembly", Exit: cli.ExitError,
				Msg: fmt.Sprintf("stack %s in %s has %d state machines; signctl graph draws a stack with exactly one", stack, dir, n)}
		}
		chart, err := flowchart.Mermaid([]byte(s.Definitions[0]))
		if err != nil {
			return nil, &cli.Error{Code: "BadDefinition", Exit: cli.ExitError, Err: err,
				Msg: fmt.Sprintf("draw %s's state machine: %v", stack, err)}
		}
		return chart, nil
	}
	slices.Sort(names)
	return nil, cli.NotFoundError(fmt.Sprintf("no stack %s in the cloud assembly %s (it has: %s); pass --stack", stack, dir, cli.OrNone(names)), nil)
}
