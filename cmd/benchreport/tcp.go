package main

import (
	"os"
	"path/filepath"
	"strconv"
	"strings"
)

// TCP states in /proc/net/tcp.
const (
	tcpTimeWait = "06"
	tcpListen   = "0A"
)

// listenPorts returns the TCP ports process pid listens on.
func listenPorts(pid int) []int {
	fds, _ := filepath.Glob(filepath.Join("/proc", strconv.Itoa(pid), "fd", "*"))
	inodes := map[string]bool{}
	for _, fd := range fds {
		if link, err := os.Readlink(fd); err == nil && strings.HasPrefix(link, "socket:[") {
			inodes[strings.TrimSuffix(strings.TrimPrefix(link, "socket:["), "]")] = true
		}
	}
	var ports []int
	for _, s := range tcpSockets() {
		if s.state == tcpListen && inodes[s.inode] {
			ports = append(ports, s.localPort)
		}
	}
	return ports
}

// timeWaitTo counts the connections to or from port in TIME_WAIT: each is
// a connection closed in the last minute.
func timeWaitTo(port int) int {
	n := 0
	for _, s := range tcpSockets() {
		if s.state == tcpTimeWait && (s.localPort == port || s.remotePort == port) {
			n++
		}
	}
	return n
}

type tcpSocket struct {
	localPort, remotePort int
	state, inode          string
}

// tcpSockets reads the IPv4 and IPv6 TCP sockets of this network namespace.
func tcpSockets() []tcpSocket {
	var out []tcpSocket
	for _, file := range []string{"/proc/net/tcp", "/proc/net/tcp6"} {
		data, err := os.ReadFile(file)
		if err != nil {
			continue
		}
		lines := strings.Split(string(data), "\n")
		for _, line := range lines[1:] {
			f := strings.Fields(line) // sl local rem st tx:rx tr:when retrnsmt uid timeout inode
			if len(f) < 10 {
				continue
			}
			out = append(out, tcpSocket{localPort: hexPort(f[1]), remotePort: hexPort(f[2]), state: f[3], inode: f[9]})
		}
	}
	return out
}

// hexPort reads the port of an address such as 0100007F:1F90.
func hexPort(addr string) int {
	_, port, _ := strings.Cut(addr, ":")
	n, _ := strconv.ParseInt(port, 16, 32)
	return int(n)
}
