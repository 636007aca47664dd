package main

import (
	"os/exec"
	"strings"
	"testing"
)

// TestOperatorCommandsImportNoLocalStack: the operator commands work
// against AWS as against the local stack, so they reach the local stack
// through its endpoint only (the AWS APIs, and its outbox route), never
// through its packages.
func TestOperatorCommandsImportNoLocalStack(t *testing.T) {
	pkgs := []string{"cli", "signing", "inspect", "graph", "verify", "outbox"}
	args := []string{"list", "-deps"}
	for _, p := range pkgs {
		args = append(args, "./internal/"+p)
	}
	out, err := exec.Command("go", args...).CombinedOutput()
	if err != nil {
		t.Fatalf("go list: %v\n%s", err, out)
	}
	for dep := range strings.Lines(string(out)) {
		if strings.HasPrefix(dep, "github.com/hitl-go/docsign/local/") {
			t.Errorf("an operator package (%s) depends on %s", strings.Join(pkgs, ", "), strings.TrimSpace(dep))
		}
	}
}
