package sns

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"sync"
	"time"
)

// Entry is one message in the outbox: what a subscription was sent, or,
// with To empty, a message no subscription took.
type Entry struct {
	MessageID  string            `json:"messageId"`
	TopicARN   string            `json:"topicArn"`
	To         string            `json:"to"`
	Subject    string            `json:"subject"`
	Body       string            `json:"body"`
	Attributes map[string]string `json:"attributes"`
	SentAt     time.Time         `json:"sentAt"`
}

// The outbox lives in one JSON-lines file under a directory only the owner
// may enter: messages carry one-time signing links. Each Publish appends its
// entries in one write, so a reader never sees half a message's deliveries;
// a line cut short by a crash is dropped when the outbox is opened again.

const (
	dirMode    fs.FileMode = 0o700
	fileMode   fs.FileMode = 0o600
	outboxFile             = "outbox.jsonl"
)

// outbox keeps entries in order, in memory and, with a path, on disk.
type outbox struct {
	mu      sync.Mutex
	path    string // "" keeps entries in memory only
	entries []Entry
}

// openOutbox loads the outbox kept under dir ("" for memory only).
func openOutbox(dir string) (*outbox, error) {
	o := &outbox{}
	if dir == "" {
		return o, nil
	}
	if err := os.MkdirAll(dir, dirMode); err != nil {
		return nil, fmt.Errorf("create sns data directory: %w", err)
	}
	if err := os.Chmod(dir, dirMode); err != nil {
		return nil, fmt.Errorf("restrict sns data directory: %w", err)
	}
	o.path = filepath.Join(dir, outboxFile)
	info, err := os.Stat(o.path)
	if errors.Is(err, fs.ErrNotExist) {
		return o, nil
	}
	if err != nil {
		return nil, fmt.Errorf("sns outbox: %w", err)
	}
	if perm := info.Mode().Perm(); perm&0o077 != 0 {
		return nil, fmt.Errorf("sns outbox %s is open to others (mode %04o): chmod 600 it", o.path, perm)
	}
	data, err := os.ReadFile(o.path)
	if err != nil {
		return nil, fmt.Errorf("read sns outbox: %w", err)
	}
	if complete := bytes.LastIndexByte(data, '\n') + 1; complete < len(data) {
		if err := os.Truncate(o.path, int64(complete)); err != nil {
			return nil, fmt.Errorf("drop the cut last line of the sns outbox: %w", err)
		}
		data = data[:complete]
	}
	for i, line := range bytes.Split(bytes.TrimSuffix(data, []byte("\n")), []byte("\n")) {
		if len(line) == 0 {
			continue
		}
		var e Entry
		if err := json.Unmarshal(line, &e); err != nil {
			return nil, fmt.Errorf("sns outbox %s line %d: %w", o.path, i+1, err)
		}
		o.entries = append(o.entries, e)
	}
	return o, nil
}

// add appends entries, on disk first: an entry the API acknowledged is
// never only in memory.
func (o *outbox) add(entries []Entry) error {
	var buf bytes.Buffer
	for _, e := range entries {
		line, err := json.Marshal(e)
		if err != nil {
			return fmt.Errorf("encode outbox entry: %w", err)
		}
		buf.Write(line)
		buf.WriteByte('\n')
	}
	o.mu.Lock()
	defer o.mu.Unlock()
	if o.path != "" {
		if err := appendFile(o.path, buf.Bytes()); err != nil {
			return err
		}
	}
	o.entries = append(o.entries, entries...)
	return nil
}

func appendFile(path string, data []byte) error {
	f, err := os.OpenFile(path, os.O_WRONLY|os.O_APPEND|os.O_CREATE, fileMode)
	if err != nil {
		return fmt.Errorf("open sns outbox: %w", err)
	}
	_, err = f.Write(data)
	if cerr := f.Close(); err == nil {
		err = cerr
	}
	if err != nil {
		return fmt.Errorf("write sns outbox: %w", err)
	}
	return nil
}

// list returns a copy of the entries, in order.
func (o *outbox) list() []Entry {
	o.mu.Lock()
	defer o.mu.Unlock()
	out := make([]Entry, len(o.entries))
	for i, e := range o.entries {
		e.Attributes = cloneMap(e.Attributes)
		out[i] = e
	}
	return out
}

func cloneMap(m map[string]string) map[string]string {
	if m == nil {
		return nil
	}
	c := make(map[string]string, len(m))
	for k, v := range m {
		c[k] = v
	}
	return c
}
