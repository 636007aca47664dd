package console

import (
	"fmt"
	"os"
	"path/filepath"
)

// NodeModulesEnv names the environment variable that points at the
// node_modules directory, overriding the search (the same variable
// internal/dynalite honours).
const NodeModulesEnv = "DOCSIGN_NODE_MODULES"

// mermaidDist is where the browser build of Mermaid lives inside node_modules.
const mermaidDist = "mermaid/dist"

// MermaidMissingError reports that Mermaid's browser build was not found.
type MermaidMissingError struct {
	Searched string // where the search looked
}

func (e *MermaidMissingError) Error() string {
	return fmt.Sprintf("mermaid is not installed: %s/mermaid.min.js not found in %s; "+
		"run \"npm ci\" in the repository root (or set %s)", mermaidDist, e.Searched, NodeModulesEnv)
}

// findMermaid returns the directory holding mermaid.min.js: under nodeModules
// when set, else under $DOCSIGN_NODE_MODULES, else in the nearest node_modules
// walking up from the working directory.
func findMermaid(nodeModules string) (string, error) {
	if nodeModules == "" {
		nodeModules = os.Getenv(NodeModulesEnv)
	}
	if nodeModules != "" {
		dist := filepath.Join(nodeModules, mermaidDist)
		if isFile(filepath.Join(dist, "mermaid.min.js")) {
			return dist, nil
		}
		return "", &MermaidMissingError{Searched: nodeModules}
	}
	wd, err := os.Getwd()
	if err != nil {
		return "", fmt.Errorf("find mermaid: %w", err)
	}
	for dir := wd; ; dir = filepath.Dir(dir) {
		dist := filepath.Join(dir, "node_modules", mermaidDist)
		if isFile(filepath.Join(dist, "mermaid.min.js")) {
			return dist, nil
		}
		if filepath.Dir(dir) == dir {
			return "", &MermaidMissingError{Searched: "node_modules of " + wd + " or any parent directory"}
		}
	}
}

func isFile(path string) bool {
	fi, err := os.Stat(path)
	return err == nil && fi.Mode().IsRegular()
}
