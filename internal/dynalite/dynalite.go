// Package dynalite starts and stops a dynalite process: the DynamoDB API on
// LevelDB (npm package dynalite), used by tests and by the local stack.
//
// The server binds a loopback address only, or a Unix socket (Options.Socket),
// which no browser page can reach whatever its origin or DNS. Its data
// directory is created 0700 and its files 0600. The child process runs in its own
// process group and, on Linux, is killed by the kernel when this process dies,
// so no dynalite outlives its parent (see package procgroup).
package dynalite

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"net"
	"net/http"
	"os"
	"os/exec"
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/hitl-go/docsign/internal/procgroup"
)

// Options configure Start.
type Options struct {
	// Dir is the LevelDB directory (created if missing); "" keeps the data in memory.
	Dir string
	// Addr is the loopback host:port to listen on; "" (or port 0) picks a free
	// port on 127.0.0.1.
	Addr string
	// Socket, if set, is a Unix socket path to listen on instead of a TCP
	// port (Addr must be ""); a stale socket file there is replaced. Only
	// processes that may open the path reach the server: put it in a
	// directory of mode 0700. Clients dial it through Transport.
	Socket string
	// Stderr receives the process's output; nil discards it.
	Stderr io.Writer
}

// Server is a running dynalite process.
type Server struct {
	endpoint string
	socket   string // "" for a TCP server
	cmd      *exec.Cmd
	output   *tail
	done     chan struct{} // closed when the process has exited
	waitErr  error         // set before done is closed

	stopOnce sync.Once
	stopErr  error
}

// ErrNotInstalled reports that node or the dynalite package is missing.
var ErrNotInstalled = errors.New("dynalite is not installed")

const (
	startAttempts = 5               // when a picked free port is taken before dynalite binds it
	stopGrace     = 5 * time.Second // between SIGTERM and SIGKILL
	probeEvery    = 20 * time.Millisecond
	probeTimeout  = 500 * time.Millisecond
)

// Start launches dynalite and returns once it answers HTTP requests. ctx bounds
// the start-up only; the server runs until Stop.
func Start(ctx context.Context, opts Options) (*Server, error) {
	cli, err := findCLI()
	if err != nil {
		return nil, err
	}
	node, err := exec.LookPath("node")
	if err != nil {
		return nil, fmt.Errorf("%w: node not found on PATH (dynalite needs Node.js ≥ 20)", ErrNotInstalled)
	}
	if opts.Dir != "" {
		if err := os.MkdirAll(opts.Dir, 0o700); err != nil {
			return nil, fmt.Errorf("dynalite data directory: %w", err)
		}
	}
	if opts.Socket != "" {
		if opts.Addr != "" {
			return nil, fmt.Errorf("dynalite: both a socket and an address (%q) given", opts.Addr)
		}
		if err := removeStaleSocket(opts.Socket); err != nil {
			return nil, err
		}
		return launch(ctx, node, cli, "", 0, opts)
	}
	host, port, err := parseAddr(opts.Addr)
	if err != nil {
		return nil, err
	}
	pick := port == 0
	for attempt := 1; ; attempt++ {
		if pick {
			if port, err = freePort(host); err != nil {
				return nil, err
			}
		}
		s, err := launch(ctx, node, cli, host, port, opts)
		if err == nil || !pick || !errors.Is(err, errAddrInUse) || attempt == startAttempts {
			return s, err
		}
	}
}

// Endpoint is the server's base URL, e.g. "http://127.0.0.1:45678"; for a
// socket server it is "http://dynalite", reachable through Transport only.
func (s *Server) Endpoint() string { return s.endpoint }

// Socket is the Unix socket the server listens on, or "" for a TCP server.
func (s *Server) Socket() string { return s.socket }

// Transport returns a new HTTP transport that reaches the server: through
// its socket, or its loopback port. It never uses a proxy.
func (s *Server) Transport() *http.Transport { return SocketTransport(s.socket) }

// SocketTransport returns a new HTTP transport, without a proxy, that dials
// the Unix socket at path whatever a request's URL names (its host is only
// the Host header); "" dials TCP as usual. A server restarted on the same
// socket is reached by the same transport.
func SocketTransport(path string) *http.Transport {
	tr := http.DefaultTransport.(*http.Transport).Clone()
	tr.Proxy = nil
	if path != "" {
		var d net.Dialer
		tr.DialContext = func(ctx context.Context, _, _ string) (net.Conn, error) {
			return d.DialContext(ctx, "unix", path)
		}
	}
	return tr
}

// Pid is the dynalite process's ID (also its process group's ID on Linux).
func (s *Server) Pid() int { return s.cmd.Process.Pid }

// Done is closed when the process has exited, whether by Stop or on its own.
func (s *Server) Done() <-chan struct{} { return s.done }

// Stop ends the process group: SIGTERM, then SIGKILL after a grace period.
// It waits for the process to exit and is safe to call more than once. It
// returns an error only if dynalite had already exited on its own.
func (s *Server) Stop() error {
	s.stopOnce.Do(func() {
		select {
		case <-s.done:
			s.stopErr = s.exitError("exited before Stop")
			return
		default:
		}
		procgroup.Terminate(s.cmd)
		select {
		case <-s.done:
		case <-time.After(stopGrace):
			procgroup.Kill(s.cmd)
			<-s.done
		}
	})
	return s.stopErr
}

var errAddrInUse = errors.New("address in use")

// umaskThenCLI runs dynalite's cli.js (process.argv[1], with its own
// arguments after it) under umask 077, so that LevelDB's files and the
// socket are the owner's only.
const umaskThenCLI = "process.umask(0o077); require(process.argv[1])"

func launch(ctx context.Context, node, cli, host string, port int, opts Options) (*Server, error) {
	endpoint := "http://" + net.JoinHostPort(host, strconv.Itoa(port))
	args := []string{"-e", umaskThenCLI, cli, "--host", host, "--port", strconv.Itoa(port)}
	if opts.Socket != "" {
		// cli.js hands --port to server.listen, which takes a path that is
		// not a number as a Unix socket.
		endpoint = "http://dynalite"
		args = []string{"-e", umaskThenCLI, cli, "--port", opts.Socket}
	}
	if opts.Dir != "" {
		args = append(args, "--path", opts.Dir)
	}
	cmd := exec.Command(node, args...)
	out := &tail{}
	var w io.Writer = out
	if opts.Stderr != nil {
		w = io.MultiWriter(out, opts.Stderr)
	}
	cmd.Stdout, cmd.Stderr = w, w
	if err := procgroup.Start(cmd); err != nil {
		return nil, fmt.Errorf("start dynalite: %w", err)
	}
	s := &Server{
		endpoint: endpoint,
		socket:   opts.Socket,
		cmd:      cmd,
		output:   out,
		done:     make(chan struct{}),
	}
	go func() {
		s.waitErr = cmd.Wait()
		close(s.done)
	}()
	if err := s.waitReady(ctx); err != nil {
		s.Stop()
		return nil, err
	}
	return s, nil
}

// waitReady polls the endpoint until any HTTP answer arrives, the process
// exits, or ctx ends.
func (s *Server) waitReady(ctx context.Context) error {
	client := &http.Client{Timeout: probeTimeout, Transport: s.Transport()}
	defer client.CloseIdleConnections()
	tick := time.NewTicker(probeEvery)
	defer tick.Stop()
	for {
		req, err := http.NewRequestWithContext(ctx, http.MethodGet, s.endpoint, nil)
		if err != nil {
			return err
		}
		if resp, err := client.Do(req); err == nil {
			resp.Body.Close()
			return nil
		}
		select {
		case <-s.done:
			err := s.exitError("exited during start-up")
			if strings.Contains(s.output.String(), "EADDRINUSE") {
				err = fmt.Errorf("%w: %w", errAddrInUse, err)
			}
			return err
		case <-ctx.Done():
			return fmt.Errorf("dynalite at %s not ready: %w", s.endpoint, ctx.Err())
		case <-tick.C:
		}
	}
}

func (s *Server) exitError(what string) error {
	return fmt.Errorf("dynalite at %s %s (%v): %s", s.endpoint, what, s.waitErr, s.output.String())
}

// parseAddr splits addr into a loopback IP and a port (0 = pick one).
func parseAddr(addr string) (string, int, error) {
	if addr == "" {
		return "127.0.0.1", 0, nil
	}
	host, portText, err := net.SplitHostPort(addr)
	if err != nil {
		return "", 0, fmt.Errorf("dynalite address %q: %w", addr, err)
	}
	port, err := strconv.Atoi(portText)
	if err != nil || port < 0 || port > 65535 {
		return "", 0, fmt.Errorf("dynalite address %q: bad port", addr)
	}
	if host == "" || host == "localhost" {
		host = "127.0.0.1"
	}
	if ip := net.ParseIP(host); ip == nil || !ip.IsLoopback() {
		return "", 0, fmt.Errorf("dynalite address %q: host must be a loopback IP", addr)
	}
	return host, port, nil
}

// removeStaleSocket removes a socket file left at path by a server that was
// killed; anything else there is an error.
func removeStaleSocket(path string) error {
	fi, err := os.Lstat(path)
	switch {
	case errors.Is(err, fs.ErrNotExist):
		return nil
	case err != nil:
		return fmt.Errorf("dynalite socket: %w", err)
	case fi.Mode().Type() != fs.ModeSocket:
		return fmt.Errorf("dynalite socket %s: a file that is not a socket is in the way", path)
	}
	if err := os.Remove(path); err != nil {
		return fmt.Errorf("dynalite socket: %w", err)
	}
	return nil
}

func freePort(host string) (int, error) {
	l, err := net.Listen("tcp", net.JoinHostPort(host, "0"))
	if err != nil {
		return 0, fmt.Errorf("find a free port on %s: %w", host, err)
	}
	defer l.Close()
	return l.Addr().(*net.TCPAddr).Port, nil
}

// tail keeps the last few KiB of the process's output for error messages.
type tail struct {
	mu  sync.Mutex
	buf []byte
}

const tailSize = 4 << 10

func (t *tail) Write(p []byte) (int, error) {
	t.mu.Lock()
	defer t.mu.Unlock()
	t.buf = append(t.buf, p...)
	if len(t.buf) > tailSize {
		t.buf = t.buf[len(t.buf)-tailSize:]
	}
	return len(p), nil
}

func (t *tail) String() string {
	t.mu.Lock()
	defer t.mu.Unlock()
	return string(bytes.TrimSpace(t.buf))
}
