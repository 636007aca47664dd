package lambda

import (
	"bytes"
	"errors"
	"io"
	"os"
	"sync"
	"syscall"
)

// maxLogLine bounds a line kept in memory; a longer one is cut into pieces.
const maxLogLine = 256 << 10

// logSink writes whole lines to the host's log writer, one Write per line,
// so lines of concurrent instances never mix.
type logSink struct {
	mu sync.Mutex
	w  io.Writer
}

func (s *logSink) writeLine(prefix string, line []byte) {
	buf := make([]byte, 0, len(prefix)+len(line)+1)
	buf = append(append(append(buf, prefix...), line...), '\n')
	s.mu.Lock()
	defer s.mu.Unlock()
	s.w.Write(buf) // a failing log writer must not fail the function
}

// logPipe reads an instance's stdout and stderr (one pipe, as CloudWatch
// gets one stream) and hands each complete line to emit.
//
// Reads go through the pipe's RawConn under mu, so drain can consume what
// the process wrote before a Runtime API call, in order, before that call is
// answered: a response's log tail then holds every line printed before it.
type logPipe struct {
	r    *os.File
	rc   syscall.RawConn
	emit func(line []byte)
	done chan struct{} // closed at EOF

	mu      sync.Mutex
	partial []byte
	buf     []byte
}

// newLogPipe returns the pipe and its write end for the child.
func newLogPipe(emit func([]byte)) (*logPipe, *os.File, error) {
	r, w, err := os.Pipe()
	if err != nil {
		return nil, nil, err
	}
	rc, err := r.SyscallConn()
	if err != nil {
		r.Close()
		w.Close()
		return nil, nil, err
	}
	return &logPipe{r: r, rc: rc, emit: emit, done: make(chan struct{}), buf: make([]byte, 64<<10)}, w, nil
}

// run reads until EOF, then emits any unterminated last line.
func (p *logPipe) run() {
	defer close(p.done)
	defer p.r.Close()
	for {
		eof := false
		err := p.rc.Read(func(fd uintptr) bool {
			p.mu.Lock()
			defer p.mu.Unlock()
			n, err := p.readLocked(fd)
			if errors.Is(err, syscall.EAGAIN) {
				return false // wait until readable
			}
			eof = n == 0 || err != nil
			return true
		})
		if eof || err != nil {
			p.mu.Lock()
			p.flushLocked()
			p.mu.Unlock()
			return
		}
	}
}

// drain consumes everything already in the pipe without waiting.
func (p *logPipe) drain() {
	p.rc.Control(func(fd uintptr) {
		p.mu.Lock()
		defer p.mu.Unlock()
		for {
			if n, err := p.readLocked(fd); n == 0 || err != nil {
				return
			}
		}
	})
}

func (p *logPipe) readLocked(fd uintptr) (int, error) {
	for {
		n, err := syscall.Read(int(fd), p.buf)
		if errors.Is(err, syscall.EINTR) {
			continue
		}
		if n > 0 {
			p.consumeLocked(p.buf[:n])
		}
		return max(n, 0), err
	}
}

func (p *logPipe) consumeLocked(b []byte) {
	for len(b) > 0 {
		i := bytes.IndexByte(b, '\n')
		if i < 0 {
			p.partial = append(p.partial, b...)
			if len(p.partial) >= maxLogLine {
				p.flushLocked()
			}
			return
		}
		if len(p.partial) > 0 {
			p.partial = append(p.partial, b[:i]...)
			p.flushLocked()
		} else {
			p.emit(b[:i])
		}
		b = b[i+1:]
	}
}

func (p *logPipe) flushLocked() {
	if len(p.partial) > 0 {
		p.emit(p.partial)
		p.partial = p.partial[:0]
	}
}

// logTail keeps the last maxTail bytes of one invocation's log, for the
// Invoke API's LogType Tail.
type logTail struct {
	mu  sync.Mutex
	buf []byte
}

const maxTail = 4 << 10

func (t *logTail) add(line string) {
	t.mu.Lock()
	defer t.mu.Unlock()
	t.buf = append(t.buf, line...)
	t.buf = append(t.buf, '\n')
	if len(t.buf) > 2*maxTail {
		t.buf = append(t.buf[:0], t.buf[len(t.buf)-maxTail:]...)
	}
}

func (t *logTail) bytes() []byte {
	t.mu.Lock()
	defer t.mu.Unlock()
	return bytes.Clone(t.buf[max(0, len(t.buf)-maxTail):])
}
