//go:build !linux

package procgroup

import (
	"os"
	"os/exec"
)

func start(cmd *exec.Cmd) error { return cmd.Start() }

func signal(p *os.Process, kill bool) error {
	if kill || p.Signal(os.Interrupt) != nil {
		return p.Kill()
	}
	return nil
}
