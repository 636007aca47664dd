//go:build !linux

package dynalite

import (
	"os"
	"os/exec"
	"syscall"
)

// sysProcAttr: outside Linux there is no parent-death signal; Stop ends the process.
func sysProcAttr() *syscall.SysProcAttr { return nil }

func startProcess(cmd *exec.Cmd) error { return cmd.Start() }

// signalGroup ends the process (gracefully where the platform allows it unless kill).
func signalGroup(p *os.Process, kill bool) {
	if kill || p.Signal(os.Interrupt) != nil {
		p.Kill()
	}
}
