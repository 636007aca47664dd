// Package logtest holds Buffer, the log a test reads while goroutines and
// child processes write to it.
package logtest

import (
	"bytes"
	"strings"
	"sync"
	"testing"
	"time"
)

// Buffer collects output written from several goroutines; each Write is
// kept whole.
type Buffer struct {
	mu  sync.Mutex
	buf bytes.Buffer
}

func (b *Buffer) Write(p []byte) (int, error) {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.buf.Write(p)
}

// String is everything written so far.
func (b *Buffer) String() string {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.buf.String()
}

// WaitFor polls the buffer until it contains want, failing the test after
// ten seconds.
func (b *Buffer) WaitFor(t testing.TB, want string) {
	t.Helper()
	deadline := time.Now().Add(10 * time.Second)
	for !strings.Contains(b.String(), want) {
		if time.Now().After(deadline) {
			t.Fatalf("log never contained %q; log:\n%s", want, b.String())
		}
		time.Sleep(10 * time.Millisecond)
	}
}
