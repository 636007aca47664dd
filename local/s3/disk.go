package s3

import (
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"sort"
	"strings"
)

// disk keeps a store's versions under dir: <bucket>/<SHA-256 of the key in
// hex>/ holds one <version ID>.json record per version ("null.json" in an
// unversioned bucket) and one body file per version that has bytes. Hashing
// the key keeps any key — "..", control characters, 1,024 bytes — a safe,
// short file name. A record is written (to a temporary file, then renamed)
// only after its body is in place, so a crash leaves at worst an orphan
// body, which the next load removes. Nothing is fsynced: the store
// survives a restart of the process, not necessarily a power cut.
//
// A nil *disk is a store in memory: its methods do nothing.
type disk struct {
	dir string
}

const (
	dirMode     = 0o700
	recordExt   = ".json"
	bodyExt     = ".data"
	stagingName = ".staging" // not a hex digest, so never a key's folder
)

func (d *disk) keyDir(bucket, key string) string {
	h := sha256.Sum256([]byte(key))
	return filepath.Join(d.dir, bucket, hex.EncodeToString(h[:]))
}

func recordName(v *version) string {
	if v.ID == "" {
		return "null" + recordExt
	}
	return v.ID + recordExt
}

// stagedBody is a body being received, in a temporary file (mode 0600).
type stagedBody struct {
	f    *os.File
	done bool
}

func (d *disk) stage(bucket string) (*stagedBody, error) {
	dir := filepath.Join(d.dir, bucket, stagingName)
	if err := os.MkdirAll(dir, dirMode); err != nil {
		return nil, fmt.Errorf("staging folder: %w", err)
	}
	f, err := os.CreateTemp(dir, "put-")
	if err != nil {
		return nil, fmt.Errorf("staging file: %w", err)
	}
	return &stagedBody{f: f}, nil
}

// discard removes the staged file unless commit moved it into place.
func (b *stagedBody) discard() {
	if !b.done {
		b.f.Close()
		os.Remove(b.f.Name())
	}
}

// commit moves the staged body (if any) to fileID's body file and writes
// v's record.
func (d *disk) commit(bucket string, v *version, staged *stagedBody, fileID string) error {
	if d == nil {
		return nil
	}
	dir := d.keyDir(bucket, v.Key)
	if err := os.MkdirAll(dir, dirMode); err != nil {
		return err
	}
	if staged != nil {
		if err := staged.f.Close(); err != nil {
			return err
		}
		v.File = fileID + bodyExt
		if err := os.Rename(staged.f.Name(), filepath.Join(dir, v.File)); err != nil {
			return err
		}
		staged.done = true
	}
	rec, err := json.Marshal(v)
	if err != nil {
		return err
	}
	tmp, err := os.CreateTemp(dir, "record-")
	if err != nil {
		return err
	}
	_, err = tmp.Write(rec)
	if cerr := tmp.Close(); err == nil {
		err = cerr
	}
	if err == nil {
		err = os.Rename(tmp.Name(), filepath.Join(dir, recordName(v)))
	}
	if err != nil {
		os.Remove(tmp.Name())
		if v.File != "" {
			os.Remove(filepath.Join(dir, v.File))
		}
	}
	return err
}

// remove deletes v's record, then its body.
func (d *disk) remove(bucket string, v *version) error {
	if d == nil {
		return nil
	}
	dir := d.keyDir(bucket, v.Key)
	if err := os.Remove(filepath.Join(dir, recordName(v))); err != nil && !errors.Is(err, os.ErrNotExist) {
		return err
	}
	d.removeBody(bucket, v)
	os.Remove(dir) // only succeeds once the folder is empty
	return nil
}

// removeBody deletes v's body file; a failure leaves an orphan that the
// next load removes.
func (d *disk) removeBody(bucket string, v *version) {
	if d == nil || v.File == "" {
		return
	}
	os.Remove(filepath.Join(d.keyDir(bucket, v.Key), v.File))
}

// openBody opens n bytes of v's body from offset start.
func (d *disk) openBody(bucket string, v *version, start, n int64) (io.ReadCloser, error) {
	f, err := os.Open(filepath.Join(d.keyDir(bucket, v.Key), v.File))
	if err != nil {
		return nil, err
	}
	return struct {
		io.Reader
		io.Closer
	}{io.NewSectionReader(f, start, n), f}, nil
}

// load reads a bucket's records into b, newest version last, and removes
// staged and orphan bodies. It returns the largest version clock seen.
func (d *disk) load(b *bucket) (int64, error) {
	root := filepath.Join(d.dir, b.name)
	if err := os.MkdirAll(root, dirMode); err != nil {
		return 0, err
	}
	os.RemoveAll(filepath.Join(root, stagingName))
	dirs, err := os.ReadDir(root)
	if err != nil {
		return 0, err
	}
	var clock int64
	for _, e := range dirs {
		if !e.IsDir() {
			continue
		}
		c, err := d.loadKey(b, filepath.Join(root, e.Name()))
		if err != nil {
			return 0, fmt.Errorf("bucket %s: %w", b.name, err)
		}
		clock = max(clock, c)
	}
	for _, o := range b.objects {
		sort.Slice(o.versions, func(i, j int) bool { return o.versions[i].ID < o.versions[j].ID })
	}
	return clock, nil
}

func (d *disk) loadKey(b *bucket, dir string) (int64, error) {
	files, err := os.ReadDir(dir)
	if err != nil {
		return 0, err
	}
	var clock int64
	bodies := map[string]bool{}
	for _, f := range files {
		name := f.Name()
		if !strings.HasSuffix(name, recordExt) {
			continue
		}
		raw, err := os.ReadFile(filepath.Join(dir, name))
		if err != nil {
			return 0, err
		}
		v := &version{}
		if err := json.Unmarshal(raw, v); err != nil {
			return 0, fmt.Errorf("record %s: %w", filepath.Join(dir, name), err)
		}
		if v.Meta == nil {
			v.Meta = map[string]string{}
		}
		bodies[v.File] = true
		clock = max(clock, versionClock(v.ID))
		o := b.objects[v.Key]
		if o == nil {
			o = &object{}
			b.objects[v.Key] = o
		}
		o.versions = append(o.versions, v)
	}
	for _, f := range files {
		if name := f.Name(); !bodies[name] && !strings.HasSuffix(name, recordExt) {
			os.Remove(filepath.Join(dir, name)) // orphan body or temporary record
		}
	}
	return clock, nil
}
