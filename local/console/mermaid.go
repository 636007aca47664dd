package console

import (
	"os"
	"path/filepath"

	"github.com/hitl-go/docsign/internal/nodemodules"
)

// mermaidJS is Mermaid's browser build inside node_modules.
const mermaidJS = "mermaid/dist/mermaid.min.js"

// findMermaid returns the directory holding mermaid.min.js, in nodeModules
// when set, else where package nodemodules finds the project's node_modules.
func findMermaid(nodeModules string) (string, error) {
	js, err := nodemodules.Find(nodeModules, mermaidJS)
	if err != nil {
		return "", err
	}
	return filepath.Dir(js), nil
}

func isFile(path string) bool {
	fi, err := os.Stat(path)
	return err == nil && fi.Mode().IsRegular()
}
