package dynalite

import (
	"fmt"

	"github.com/hitl-go/docsign/internal/nodemodules"
)

// findCLI returns the path of dynalite's cli.js in the project's node_modules.
func findCLI() (string, error) {
	cli, err := nodemodules.Find("", "dynalite/cli.js")
	if err != nil {
		return "", fmt.Errorf("%w: %w", ErrNotInstalled, err)
	}
	return cli, nil
}
