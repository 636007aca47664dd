package stack

import (
	"bytes"
	"io"
	"sync"
)

// lockedWriter serialises writes from the services' goroutines, so lines
// from different services never interleave mid-line.
type lockedWriter struct {
	mu sync.Mutex
	w  io.Writer
}

func (l *lockedWriter) Write(p []byte) (int, error) {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.w.Write(p)
}

// prefixWriter writes each complete line it receives to w with a prefix,
// keeping a partial last line until its newline arrives (or Flush).
type prefixWriter struct {
	prefix []byte
	w      io.Writer

	mu      sync.Mutex
	pending []byte
}

func newPrefixWriter(w io.Writer, prefix string) *prefixWriter {
	return &prefixWriter{prefix: []byte(prefix), w: w}
}

func (p *prefixWriter) Write(b []byte) (int, error) {
	p.mu.Lock()
	defer p.mu.Unlock()
	p.pending = append(p.pending, b...)
	for {
		i := bytes.IndexByte(p.pending, '\n')
		if i < 0 {
			break
		}
		if err := p.writeLine(p.pending[:i+1]); err != nil {
			return len(b), err
		}
		p.pending = p.pending[i+1:]
	}
	return len(b), nil
}

// Flush writes a partial last line, if any.
func (p *prefixWriter) Flush() error {
	p.mu.Lock()
	defer p.mu.Unlock()
	if len(p.pending) == 0 {
		return nil
	}
	line := append(p.pending, '\n')
	p.pending = nil
	return p.writeLine(line)
}

func (p *prefixWriter) writeLine(line []byte) error {
	_, err := p.w.Write(append(append([]byte{}, p.prefix...), line...))
	return err
}
