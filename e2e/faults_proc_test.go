//go:build linux

package e2e_test

import (
	"bufio"
	"fmt"
	"net/netip"
	"os"
	"strings"
	"syscall"

	"github.com/hitl-go/docsign/internal/proctest"
)

// connOwner returns the child process of this test that owns the client end
// of a TCP connection to a server on serverPort, as the server saw it
// (remoteAddr, e.g. "127.0.0.1:40312"): the connection's socket inode from
// /proc/net/tcp, then the child holding a descriptor of it.
func connOwner(remoteAddr string, serverPort uint16) (proctest.Proc, error) {
	client, err := netip.ParseAddrPort(remoteAddr)
	if err != nil {
		return proctest.Proc{}, err
	}
	inode, err := socketInode(client.Port(), serverPort)
	if err != nil {
		return proctest.Proc{}, err
	}
	want := "socket:[" + inode + "]"
	for _, p := range proctest.Children(os.Getpid()) {
		fds, _ := os.ReadDir(fmt.Sprintf("/proc/%d/fd", p.PID))
		for _, fd := range fds {
			if link, _ := os.Readlink(fmt.Sprintf("/proc/%d/fd/%s", p.PID, fd.Name())); link == want {
				return p, nil
			}
		}
	}
	return proctest.Proc{}, fmt.Errorf("no child process holds the connection from port %d", client.Port())
}

// socketInode finds the IPv4 TCP socket from localPort to remotePort.
func socketInode(localPort, remotePort uint16) (string, error) {
	f, err := os.Open("/proc/net/tcp")
	if err != nil {
		return "", err
	}
	defer f.Close()
	local, remote := fmt.Sprintf(":%04X", localPort), fmt.Sprintf(":%04X", remotePort)
	sc := bufio.NewScanner(f)
	for sc.Scan() {
		// sl local_address rem_address st tx:rx tr:when retrnsmt uid timeout inode …
		fields := strings.Fields(sc.Text())
		if len(fields) > 9 && strings.HasSuffix(fields[1], local) && strings.HasSuffix(fields[2], remote) {
			return fields[9], nil
		}
	}
	if err := sc.Err(); err != nil {
		return "", err
	}
	return "", fmt.Errorf("no TCP socket from port %d to port %d", localPort, remotePort)
}

// kill9 sends SIGKILL to the process's group (function instances and
// dynalite lead their own).
func kill9(p proctest.Proc) error {
	if err := syscall.Kill(-p.PID, syscall.SIGKILL); err != nil {
		return syscall.Kill(p.PID, syscall.SIGKILL)
	}
	return nil
}
