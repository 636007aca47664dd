package s3

import (
	"bytes"
	"crypto/rand"
	"encoding/hex"
	"fmt"
	"io"
	"sort"
	"sync"
	"time"

	"github.com/johannesboyne/gofakes3"
)

// store is the gofakes3 backend: a fixed set of buckets, each object a list
// of versions, kept in memory and, when dir is set, on disk (see disk.go).
//
// gofakes3's own backends do not fit: s3mem keeps versions in memory only
// (and deleting the current version leaves no current version instead of
// promoting the previous one), and s3bolt persists but has no versioning.
type store struct {
	mu      sync.RWMutex
	buckets map[string]*bucket
	disk    *disk // nil keeps bodies in memory
	maxSize int64
	last    int64 // the newest version's clock, so IDs sort by age
}

// Both interfaces gofakes3 looks for; MultipartBackend is left to
// gofakes3's in-memory uploader, which calls PutObject when done.
var (
	_ gofakes3.Backend          = (*store)(nil)
	_ gofakes3.VersionedBackend = (*store)(nil)
)

type bucket struct {
	name      string
	versioned bool
	created   time.Time
	objects   map[string]*object
}

// object holds a key's versions, oldest first: the last is the current one.
type object struct {
	versions []*version
}

func (o *object) current() *version { return o.versions[len(o.versions)-1] }

// version is one stored version (or delete marker) of a key; the JSON form
// is its record on disk.
type version struct {
	Key          string            `json:"key"`
	ID           string            `json:"id"` // "" in an unversioned bucket (S3's "null")
	Size         int64             `json:"size"`
	MD5          []byte            `json:"md5"`
	Meta         map[string]string `json:"meta,omitempty"`
	Modified     time.Time         `json:"modified"`
	DeleteMarker bool              `json:"deleteMarker,omitempty"`
	File         string            `json:"file,omitempty"` // the body's file name in the key's folder

	body []byte // the bytes, when the store is in memory
}

func newStore(buckets []Bucket, d *disk, maxSize int64) *store {
	s := &store{buckets: map[string]*bucket{}, disk: d, maxSize: maxSize}
	for _, b := range buckets {
		s.buckets[b.Name] = &bucket{name: b.Name, versioned: b.Versioned, created: time.Now().UTC(), objects: map[string]*object{}}
	}
	return s
}

// newVersionID returns a 32-hex-digit ID: a strictly increasing clock in
// nanoseconds, then 64 random bits, so IDs sort by age and are not guessable
// from one another. Called with s.mu held.
func (s *store) newVersionID(now time.Time) string {
	t := now.UnixNano()
	if t <= s.last {
		t = s.last + 1
	}
	s.last = t
	var r [8]byte
	_, _ = rand.Read(r[:])
	return fmt.Sprintf("%016x%s", t, hex.EncodeToString(r[:]))
}

func (s *store) bucket(name string) (*bucket, error) {
	b := s.buckets[name]
	if b == nil {
		return nil, gofakes3.BucketNotFound(name)
	}
	return b, nil
}

// find returns a key's version: the current one for id "", else the one
// with that ID (gofakes3.ErrNoSuchVersion if there is none).
func (b *bucket) find(key, id string) (*version, error) {
	o := b.objects[key]
	if id == "" {
		if o == nil || o.current().DeleteMarker {
			return nil, gofakes3.KeyNotFound(key)
		}
		return o.current(), nil
	}
	if o != nil {
		for _, v := range o.versions {
			if v.ID == id {
				return v, nil
			}
		}
	}
	return nil, gofakes3.ErrNoSuchVersion
}

// ListBuckets lists the template's buckets.
func (s *store) ListBuckets() ([]gofakes3.BucketInfo, error) {
	s.mu.RLock()
	defer s.mu.RUnlock()
	var out []gofakes3.BucketInfo
	for _, b := range s.buckets {
		out = append(out, gofakes3.BucketInfo{Name: b.name, CreationDate: gofakes3.NewContentTime(b.created)})
	}
	sort.Slice(out, func(i, j int) bool { return out[i].Name < out[j].Name })
	return out, nil
}

// BucketExists reports whether the template declares the bucket.
func (s *store) BucketExists(name string) (bool, error) {
	s.mu.RLock()
	defer s.mu.RUnlock()
	return s.buckets[name] != nil, nil
}

// CreateBucket, DeleteBucket and ForceDeleteBucket are refused before they
// reach the store (the template owns the buckets); these answer the same
// should gofakes3 ever call them.
func (s *store) CreateBucket(string) error      { return errBucketOwned }
func (s *store) DeleteBucket(string) error      { return errBucketOwned }
func (s *store) ForceDeleteBucket(string) error { return errBucketOwned }

// VersioningConfiguration reports the template's setting.
func (s *store) VersioningConfiguration(name string) (gofakes3.VersioningConfiguration, error) {
	s.mu.RLock()
	defer s.mu.RUnlock()
	b, err := s.bucket(name)
	if err != nil {
		return gofakes3.VersioningConfiguration{}, err
	}
	var c gofakes3.VersioningConfiguration
	if b.versioned {
		c.Status = gofakes3.VersioningEnabled
	}
	return c, nil
}

// SetVersioningConfiguration is refused: the template decides versioning.
func (s *store) SetVersioningConfiguration(string, gofakes3.VersioningConfiguration) error {
	return errBucketOwned
}

// HeadObject returns the current version's metadata.
func (s *store) HeadObject(bucketName, key string) (*gofakes3.Object, error) {
	return s.open(bucketName, key, "", nil, false)
}

// HeadObjectVersion returns a version's metadata.
func (s *store) HeadObjectVersion(bucketName, key string, id gofakes3.VersionID) (*gofakes3.Object, error) {
	return s.open(bucketName, key, string(id), nil, false)
}

// GetObject returns the current version.
func (s *store) GetObject(bucketName, key string, rng *gofakes3.ObjectRangeRequest) (*gofakes3.Object, error) {
	return s.open(bucketName, key, "", rng, true)
}

// GetObjectVersion returns a version.
func (s *store) GetObjectVersion(bucketName, key string, id gofakes3.VersionID, rng *gofakes3.ObjectRangeRequest) (*gofakes3.Object, error) {
	return s.open(bucketName, key, string(id), rng, true)
}

func (s *store) open(bucketName, key, id string, rng *gofakes3.ObjectRangeRequest, withBody bool) (*gofakes3.Object, error) {
	s.mu.RLock()
	defer s.mu.RUnlock()
	b, err := s.bucket(bucketName)
	if err != nil {
		return nil, err
	}
	v, err := b.find(key, id)
	if err != nil {
		return nil, err
	}
	obj := &gofakes3.Object{
		Name: key, Metadata: copyMeta(v.Meta), Size: v.Size, Hash: v.MD5,
		VersionID: gofakes3.VersionID(v.ID), IsDeleteMarker: v.DeleteMarker,
		Contents: io.NopCloser(bytes.NewReader(nil)),
	}
	if !withBody || v.DeleteMarker {
		return obj, nil
	}
	r, err := rng.Range(v.Size)
	if err != nil {
		return nil, err
	}
	obj.Range = r
	start, n := int64(0), v.Size
	if r != nil {
		start, n = r.Start, r.Length
	}
	if s.disk == nil {
		obj.Contents = io.NopCloser(bytes.NewReader(v.body[start : start+n]))
		return obj, nil
	}
	// The file is opened under the lock: a later delete or overwrite
	// unlinks or replaces the name, not this open file.
	if obj.Contents, err = s.disk.openBody(bucketName, v, start, n); err != nil {
		return nil, fmt.Errorf("read %s/%s: %w", bucketName, key, err)
	}
	return obj, nil
}

func copyMeta(m map[string]string) map[string]string {
	out := make(map[string]string, len(m))
	for k, v := range m {
		out[k] = v
	}
	return out
}
