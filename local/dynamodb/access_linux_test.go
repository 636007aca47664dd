//go:build linux

package dynamodb

import (
	"bufio"
	"context"
	"fmt"
	"io"
	"net/http"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	ddb "github.com/aws/aws-sdk-go-v2/service/dynamodb"
)

// TestDynaliteUnreachableFromBrowsers plays a browser page against every
// TCP port dynalite listens on: a cross-origin Scan (Origin null, as from a
// file:// page) and a DNS-rebinding one (a foreign Host) must not read data,
// and a body with a JSON null, which the guard refuses because it crashes
// dynalite, must not reach it. dynalite must listen on no TCP port at all,
// and stay up.
func TestDynaliteUnreachableFromBrowsers(t *testing.T) {
	s := start(t, Options{Dir: filepath.Join(t.TempDir(), "dynamodb")})
	if _, err := s.CreateTables(testContext(t), templateTables(t)); err != nil {
		t.Fatal(err)
	}
	name := tokens(t, templateTables(t)).Name
	put(t, s.Client(), name, "secret-doc")
	ports := listeningPorts(t, s.server.Pid())
	if len(ports) > 0 {
		t.Errorf("dynalite listens on TCP ports %v, want none", ports)
	}
	for _, port := range ports {
		url := "http://127.0.0.1:" + strconv.Itoa(port) + "/"
		attacks := []struct{ name, host, origin, target, body string }{
			{"cross-origin Scan", "", "null", "Scan", `{"TableName":"` + name + `"}`},
			{"rebound Scan", "rebind.evil.example:" + strconv.Itoa(port), "", "Scan", `{"TableName":"` + name + `"}`},
			{"null attribute", "", "null", "PutItem",
				`{"TableName":"` + name + `","Item":{"documentId":{"S":"x"},"signer":null}}`},
		}
		for _, a := range attacks {
			status, body := browserRequest(t, url, a.host, a.origin, a.target, a.body)
			if status == http.StatusOK || strings.Contains(body, "secret-doc") {
				t.Errorf("%s on port %d = %d %s, want it refused", a.name, port, status, body)
			}
		}
	}
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	if _, err := s.Client().ListTables(ctx, &ddb.ListTablesInput{Limit: aws.Int32(1)}); err != nil {
		t.Errorf("dynalite after the attempts: %v, want it up", err)
	}
}

// browserRequest sends what a page's fetch() could: a signed-looking
// DynamoDB request (dynalite checks only that the headers are there).
func browserRequest(t *testing.T, url, host, origin, target, body string) (int, string) {
	t.Helper()
	req, err := http.NewRequest(http.MethodPost, url, strings.NewReader(body))
	if err != nil {
		t.Fatal(err)
	}
	if host != "" {
		req.Host = host
	}
	if origin != "" {
		req.Header.Set("Origin", origin)
		req.Header.Set("Sec-Fetch-Site", "cross-site")
	}
	req.Header.Set("X-Amz-Target", TargetPrefix+target)
	req.Header.Set("Content-Type", "application/x-amz-json-1.0")
	req.Header.Set("X-Amz-Date", time.Now().UTC().Format("20060102T150405Z"))
	req.Header.Set("Authorization", "AWS4-HMAC-SHA256 Credential=a/20240101/us-east-1/dynamodb/aws4_request, SignedHeaders=host, Signature=00")
	client := &http.Client{Timeout: 5 * time.Second}
	resp, err := client.Do(req)
	if err != nil {
		return 0, err.Error()
	}
	defer resp.Body.Close()
	b, _ := io.ReadAll(resp.Body)
	return resp.StatusCode, string(b)
}

// listeningPorts lists the TCP ports process pid listens on, from its
// socket descriptors and /proc/net/tcp{,6}.
func listeningPorts(t *testing.T, pid int) []int {
	t.Helper()
	fds, err := os.ReadDir(fmt.Sprintf("/proc/%d/fd", pid))
	if err != nil {
		t.Fatal(err)
	}
	inodes := map[string]bool{}
	for _, fd := range fds {
		link, err := os.Readlink(fmt.Sprintf("/proc/%d/fd/%s", pid, fd.Name()))
		if inode, ok := strings.CutPrefix(link, "socket:["); ok && err == nil {
			inodes[strings.TrimSuffix(inode, "]")] = true
		}
	}
	var ports []int
	for _, table := range []string{"/proc/net/tcp", "/proc/net/tcp6"} {
		f, err := os.Open(table)
		if err != nil {
			continue
		}
		sc := bufio.NewScanner(f)
		for sc.Scan() {
			// sl local_address rem_address st tx:rx tr:when retrnsmt uid timeout inode
			fields := strings.Fields(sc.Text())
			if len(fields) < 10 || fields[3] != "0A" || !inodes[fields[9]] {
				continue
			}
			_, portHex, _ := strings.Cut(fields[1], ":")
			if port, err := strconv.ParseInt(portHex, 16, 32); err == nil {
				ports = append(ports, int(port))
			}
		}
		f.Close()
	}
	return ports
}
