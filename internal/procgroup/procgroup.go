// Package procgroup starts child processes that do not outlive this one.
//
// Start puts the child in its own process group, so Kill and Terminate reach
// whatever it starts in turn. On Linux the kernel also sends the child SIGKILL
// when its parent dies, even by SIGKILL (a parent-death signal). That signal
// fires when the parent *thread* exits, not the process, and Go ends a thread
// when a goroutine locked to it returns; so children are started from one
// goroutine locked to a thread that lives as long as the process. Elsewhere
// Start is a plain start and only Kill or Terminate end the child.
package procgroup

import (
	"errors"
	"os/exec"
)

// ErrNotStarted reports a signal for a command that has no process.
var ErrNotStarted = errors.New("procgroup: command not started")

// Start starts cmd as described in the package comment, keeping any other
// SysProcAttr fields it has.
func Start(cmd *exec.Cmd) error { return start(cmd) }

// Kill sends SIGKILL to cmd's process group (on Linux; elsewhere it kills the
// process). Without a group, as once every member has exited, it signals the
// process itself.
func Kill(cmd *exec.Cmd) error {
	if cmd.Process == nil {
		return ErrNotStarted
	}
	return signal(cmd.Process, true)
}

// Terminate asks cmd's process group to end: SIGTERM on Linux, an interrupt
// or else a kill elsewhere.
func Terminate(cmd *exec.Cmd) error {
	if cmd.Process == nil {
		return ErrNotStarted
	}
	return signal(cmd.Process, false)
}
