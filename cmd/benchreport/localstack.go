package main

import (
	"context"
	"errors"
	"os"
	"path/filepath"
	"strings"

	"github.com/hitl-go/docsign/local/cloudformation"
	"github.com/hitl-go/docsign/local/stack"
)

// Parts of the local stack, as the report names them.
const (
	partStack    = "stack process (engine, Lambda host, S3, KMS, HTTP)"
	partDynalite = "dynalite (node)"
	partOther    = "other child processes"
)

// functionInfo is what the report needs of a Lambda function.
type functionInfo struct {
	cloudformation.Function
	Label string // the Go package's last element, e.g. completesignature
}

// loadFunctions reads the assembly's functions.
func loadFunctions(cdkOut string) ([]functionInfo, error) {
	asm, err := cloudformation.Load(cdkOut, cloudformation.Options{})
	if err != nil {
		return nil, err
	}
	var fns []functionInfo
	for _, st := range asm.Stacks {
		for _, fn := range st.Functions {
			fns = append(fns, functionInfo{Function: fn, Label: filepath.Base(fn.GoPackage)})
		}
	}
	if len(fns) == 0 {
		return nil, errors.New(cdkOut + " has no Lambda functions")
	}
	return fns, nil
}

// localStack is a local stack this process runs, in memory, on a free port.
type localStack struct {
	*stack.Stack
	log    *os.File
	byName map[string]string // function name → label
}

// startLocalStack starts a fresh stack with its data and log under dir.
func startLocalStack(ctx context.Context, cdkOut, dir string, fns []functionInfo) (*localStack, error) {
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return nil, err
	}
	log, err := os.OpenFile(filepath.Join(dir, "stack.log"), os.O_CREATE|os.O_WRONLY|os.O_TRUNC, 0o644)
	if err != nil {
		return nil, err
	}
	st, err := stack.Start(ctx, stack.Options{CDKOut: cdkOut, Addr: "127.0.0.1:0", InMemory: true,
		OutputsFile: filepath.Join(dir, "cdk-outputs.json"), DataDir: dir, Stdout: log})
	if err != nil {
		log.Close()
		return nil, err
	}
	l := &localStack{Stack: st, log: log, byName: map[string]string{}}
	for _, fn := range fns {
		l.byName[fn.Name] = fn.Label
	}
	return l, nil
}

// label names the part of the stack a process is.
func (l *localStack) label(p proc) string {
	switch {
	case p.PID == os.Getpid():
		return partStack
	case p.Comm == "node":
		return partDynalite
	}
	// Function instances run <data dir>/bin/<function name>/bootstrap.
	if name, ok := l.byName[filepath.Base(filepath.Dir(p.Exe))]; ok && strings.HasSuffix(p.Exe, "/bootstrap") {
		return "function " + name
	}
	return partOther
}

// dynalitePort is the port dynalite listens on; 0 if not found.
func (l *localStack) dynalitePort() int {
	for _, p := range tree(os.Getpid(), 0) {
		if l.label(p) == partDynalite {
			if ports := listenPorts(p.PID); len(ports) > 0 {
				return ports[0]
			}
		}
	}
	return 0
}

// Close stops the stack and every process it started.
func (l *localStack) Close() error {
	return errors.Join(l.Stack.Close(), l.log.Close())
}
