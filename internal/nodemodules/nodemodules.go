// Package nodemodules finds files of the project's pinned npm packages
// (dynalite, Mermaid, …) in node_modules, the way Node itself resolves them:
// the nearest node_modules walking up from the working directory, unless
// $DOCSIGN_NODE_MODULES names the directory.
package nodemodules

import (
	"fmt"
	"os"
	"path/filepath"
)

// Env names the environment variable that points at a node_modules
// directory, overriding the search.
const Env = "DOCSIGN_NODE_MODULES"

// MissingError reports that a package file is not installed.
type MissingError struct {
	File     string // the file looked for, relative to node_modules
	Searched string // where the search looked
}

func (e *MissingError) Error() string {
	return fmt.Sprintf("node_modules/%s not found in %s: run \"npm ci\" in the repository root (or set %s)",
		e.File, e.Searched, Env)
}

// Find returns the path of node_modules/<file>, looking under dir when it is
// set, else under $DOCSIGN_NODE_MODULES, else in the nearest node_modules
// walking up from the working directory. A missing file is a *MissingError.
func Find(dir, file string) (string, error) {
	if dir == "" {
		dir = os.Getenv(Env)
	}
	if dir != "" {
		path := filepath.Join(dir, file)
		if isFile(path) {
			return path, nil
		}
		return "", &MissingError{File: file, Searched: dir}
	}
	wd, err := os.Getwd()
	if err != nil {
		return "", fmt.Errorf("find node_modules/%s: %w", file, err)
	}
	for d := wd; ; d = filepath.Dir(d) {
		path := filepath.Join(d, "node_modules", file)
		if isFile(path) {
			return path, nil
		}
		if filepath.Dir(d) == d {
			return "", &MissingError{File: file, Searched: wd + " or any parent directory"}
		}
	}
}

func isFile(path string) bool {
	fi, err := os.Stat(path)
	return err == nil && fi.Mode().IsRegular()
}
