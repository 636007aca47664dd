package stack

import (
	"errors"
	"fmt"
	"net"
	"syscall"
)

// DefaultAddr is where the local stack listens unless told otherwise: the
// port LocalStack made the usual one for AWS_ENDPOINT_URL.
const DefaultAddr = "127.0.0.1:4566"

// listen binds addr, which must be a loopback address: the local stack has
// no authentication, so it must not be reachable from other machines.
func listen(addr string) (net.Listener, error) {
	host, port, err := net.SplitHostPort(addr)
	if err != nil {
		return nil, &SetupError{Problem: fmt.Sprintf("address %q is not host:port", addr),
			Fix: "use e.g. --addr " + DefaultAddr, Err: err}
	}
	if !isLoopback(host) {
		return nil, &SetupError{Problem: fmt.Sprintf("address %q is not a loopback address (the local stack has no authentication)", addr),
			Fix: "use 127.0.0.1, e.g. --addr " + DefaultAddr}
	}
	if host == "localhost" {
		addr = net.JoinHostPort("127.0.0.1", port) // not whatever else "localhost" resolves to
	}
	ln, err := net.Listen("tcp", addr)
	switch {
	case errors.Is(err, syscall.EADDRINUSE):
		return nil, &SetupError{Problem: "port " + port + " on " + host + " is in use (another `signctl local`?)",
			Fix: "stop what uses it, or pass --addr 127.0.0.1:<another port>", Err: err}
	case err != nil:
		return nil, &SetupError{Problem: "cannot listen on " + addr + ": " + err.Error(),
			Fix: "pass --addr 127.0.0.1:<free port>", Err: err}
	}
	return ln, nil
}

// isLoopback reports whether host names only this machine.
func isLoopback(host string) bool {
	if host == "localhost" {
		return true
	}
	ip := net.ParseIP(host)
	return ip != nil && ip.IsLoopback()
}
