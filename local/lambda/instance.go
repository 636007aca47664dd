package lambda

import (
	"crypto/rand"
	"encoding/hex"
	"fmt"
	"net"
	"net/http"
	"os/exec"
	"path/filepath"
	"sync"
	"sync/atomic"
	"time"

	"github.com/hitl-go/docsign/internal/procgroup"
)

// instance is one execution environment: a process of the function's binary
// and the Runtime API listener it alone talks to.
type instance struct {
	fn    *function
	path  string // "/" and a random secret, the start of every Runtime API path
	cmd   *exec.Cmd
	srv   *http.Server
	logs  *logPipe
	logTo atomic.Pointer[invocation] // last delivered invocation: its tail gets the lines

	mu      sync.Mutex
	pending *invocation // assigned, not yet taken by /next
	current *invocation // taken by /next, not yet answered
	timer   *time.Timer // the pending or current invocation's deadline
	wake    chan struct{}
	ready   bool // it has asked for an invocation: its init is done
	dead    bool
}

// startInstance starts a process for f and assigns it inv.
func startInstance(f *function, inv *invocation) (*instance, error) {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return nil, fmt.Errorf("runtime API listener: %w", err)
	}
	in := &instance{fn: f, path: "/" + randomHex(16), wake: make(chan struct{}, 1)}
	logs, w, err := newLogPipe(in.emitLine)
	if err != nil {
		ln.Close()
		return nil, fmt.Errorf("log pipe: %w", err)
	}
	in.logs = logs
	in.srv = &http.Server{Handler: in.runtimeAPI(), ReadHeaderTimeout: 10 * time.Second}
	cmd := exec.Command(f.cfg.Executable)
	cmd.Dir = filepath.Dir(f.cfg.Executable)
	// aws-lambda-go and other runtimes append /2018-06-01/runtime/… to
	// this address, so the secret path rides in it: a page or process that
	// finds the port cannot guess it.
	cmd.Env = f.cfg.environ(f.host.opts, ln.Addr().String()+in.path, logStreamName())
	cmd.Stdout, cmd.Stderr = w, w
	// Its own process group, so a kill reaches whatever it started, and
	// SIGKILL when the host dies, even by SIGKILL: no orphan outlives it.
	err = procgroup.Start(cmd)
	w.Close()
	if err != nil {
		ln.Close()
		logs.r.Close()
		return nil, err
	}
	in.cmd = cmd
	if !f.adopt(in) { // the host is closing
		in.kill()
		cmd.Wait()
		ln.Close()
		logs.r.Close()
		return nil, ErrHostClosed
	}
	in.assign(inv)
	go in.srv.Serve(ln)
	go logs.run()
	go in.wait()
	return in, nil
}

// logStreamName is a CloudWatch-style stream name for a new instance.
func logStreamName() string {
	return time.Now().UTC().Format("2006/01/02") + "/[$LATEST]" + randomHex(16)
}

// randomHex returns n random bytes in hex.
func randomHex(n int) string {
	b := make([]byte, n)
	rand.Read(b)
	return hex.EncodeToString(b)
}

func (in *instance) emitLine(line []byte) {
	in.fn.host.logs.writeLine(in.fn.prefix, line)
	if inv := in.logTo.Load(); inv != nil && inv.tail != nil {
		inv.tail.add(string(line))
	}
}

// assign makes inv the instance's next invocation, reporting false when the
// instance is dead or busy. Until it is delivered, its deadline is the
// function's timeout plus, for an instance still starting, the init limit.
func (in *instance) assign(inv *invocation) bool {
	in.mu.Lock()
	defer in.mu.Unlock()
	if in.dead || in.pending != nil || in.current != nil {
		return false
	}
	in.pending = inv
	limit := in.fn.cfg.Timeout
	if !in.ready {
		limit += in.fn.host.opts.InitTimeout
	}
	in.timer = time.AfterFunc(limit, func() { in.expire(inv) })
	select {
	case in.wake <- struct{}{}:
	default:
	}
	return true
}

// take hands the pending invocation to the runtime; nil when there is none.
func (in *instance) take() (inv *invocation, deadline time.Time) {
	in.mu.Lock()
	defer in.mu.Unlock()
	in.ready = true
	inv = in.pending
	if inv == nil {
		return nil, time.Time{}
	}
	in.timer.Stop()
	in.pending, in.current = nil, inv
	inv.start = time.Now()
	deadline = inv.start.Add(in.fn.cfg.Timeout)
	in.timer = time.AfterFunc(in.fn.cfg.Timeout, func() { in.expire(inv) })
	in.logTo.Store(inv)
	if inv.tail != nil {
		inv.tail.add("START RequestId: " + inv.id + " Version: $LATEST")
	}
	return inv, deadline
}

// busy reports whether the runtime holds an unanswered invocation.
func (in *instance) busy() bool {
	in.mu.Lock()
	defer in.mu.Unlock()
	return in.current != nil
}

// finish ends the current invocation with o if its id matches; release
// returns the instance to the idle pool first, so a caller invoking again at
// once finds it warm.
func (in *instance) finish(id string, o outcome, release bool) bool {
	in.mu.Lock()
	inv := in.current
	if inv == nil || inv.id != id {
		in.mu.Unlock()
		return false
	}
	in.current = nil
	in.timer.Stop()
	in.mu.Unlock()
	if release {
		in.fn.release(in)
	}
	inv.outcome <- o
	return true
}

// takeHeld takes whatever invocation the instance holds away from it, so
// that its exit no longer reports on it.
func (in *instance) takeHeld() *invocation {
	in.mu.Lock()
	defer in.mu.Unlock()
	inv := in.pending
	if inv == nil {
		inv = in.current
	}
	in.pending, in.current = nil, nil
	return inv
}

// expire times inv out if the instance still holds it, killing the instance.
func (in *instance) expire(inv *invocation) {
	in.mu.Lock()
	if in.pending != inv && in.current != inv {
		in.mu.Unlock()
		return
	}
	in.pending, in.current = nil, nil
	in.mu.Unlock()
	in.kill()
	in.logs.drain()
	timeout := in.fn.cfg.Timeout
	in.emitLine(fmt.Appendf(nil, "%s %s Task timed out after %.2f seconds",
		time.Now().UTC().Format("2006-01-02T15:04:05.000Z"), inv.id, timeout.Seconds()))
	inv.outcome <- timedOut(inv.id, timeout)
}

// kill ends the process and its group.
func (in *instance) kill() {
	procgroup.Kill(in.cmd)
}

// wait reaps the process, fails what it held, and retires the instance.
func (in *instance) wait() {
	waitErr := in.cmd.Wait()
	in.kill() // what the runtime started goes with it, freeing the log pipe
	select {
	case <-in.logs.done:
	case <-time.After(time.Second): // a descendant escaped the group and holds the pipe
	}
	in.srv.Close()
	in.mu.Lock()
	in.dead = true
	cur, pend, ready := in.current, in.pending, in.ready
	in.current, in.pending = nil, nil
	if in.timer != nil {
		in.timer.Stop()
	}
	in.mu.Unlock()
	if cur != nil {
		in.reportExit(cur, waitErr)
	}
	if pend != nil && ready {
		pend.outcome <- outcome{requeue: true} // it was idle: another instance takes it
	} else if pend != nil {
		in.reportExit(pend, waitErr) // its init failed
	}
	in.fn.gone(in)
	in.fn.host.procs.Done()
}

func (in *instance) reportExit(inv *invocation, waitErr error) {
	in.logTo.Store(inv)
	in.emitLine([]byte(exitMessage(inv.id, waitErr)))
	in.emitLine([]byte("Runtime.ExitError"))
	inv.outcome <- exited(inv.id, waitErr)
}
