package dynalite

import (
	"fmt"
	"os"
	"path/filepath"
)

// NodeModulesEnv names the environment variable that points at a
// node_modules directory holding dynalite, overriding the search.
const NodeModulesEnv = "DOCSIGN_NODE_MODULES"

const cliPath = "dynalite/cli.js" // inside node_modules

// findCLI returns the path of dynalite's cli.js: under $DOCSIGN_NODE_MODULES
// if set, else in the nearest node_modules walking up from the working directory.
func findCLI() (string, error) {
	if dir := os.Getenv(NodeModulesEnv); dir != "" {
		cli := filepath.Join(dir, cliPath)
		if isFile(cli) {
			return cli, nil
		}
		return "", fmt.Errorf("%w: %s not found (%s=%s); run \"npm ci\" in the repository root",
			ErrNotInstalled, cli, NodeModulesEnv, dir)
	}
	wd, err := os.Getwd()
	if err != nil {
		return "", fmt.Errorf("find dynalite: %w", err)
	}
	for dir := wd; ; {
		cli := filepath.Join(dir, "node_modules", cliPath)
		if isFile(cli) {
			return cli, nil
		}
		parent := filepath.Dir(dir)
		if parent == dir {
			return "", fmt.Errorf("%w: no node_modules/%s in %s or any parent directory; "+
				"run \"npm ci\" in the repository root (or set %s)", ErrNotInstalled, cliPath, wd, NodeModulesEnv)
		}
		dir = parent
	}
}

func isFile(path string) bool {
	fi, err := os.Stat(path)
	return err == nil && fi.Mode().IsRegular()
}
