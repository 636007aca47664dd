package s3

import (
	"bytes"
	"crypto/md5"
	"errors"
	"fmt"
	"io"
	"net/http"
	"strings"
	"time"

	"github.com/johannesboyne/gofakes3"
)

// maxDeleteObjects is S3's limit on the keys of one DeleteObjects request.
const maxDeleteObjects = 1000

// PutObject stores a new version (or, in an unversioned bucket, replaces
// the object). The body is read to its end first, so a short body, a bad
// Content-MD5 or a body over the size limit stores nothing.
func (s *store) PutObject(bucketName, key string, meta map[string]string, input io.Reader, size int64, cond *gofakes3.PutConditions) (gofakes3.PutObjectResult, error) {
	var res gofakes3.PutObjectResult
	if size > s.maxSize {
		return res, errEntityTooLarge(s.maxSize)
	}
	if ok, _ := s.BucketExists(bucketName); !ok {
		return res, gofakes3.BucketNotFound(bucketName)
	}
	v := &version{Key: key, Size: size, Meta: storedMeta(meta)}
	var sink io.Writer
	var staged *stagedBody
	if s.disk != nil {
		var err error
		if staged, err = s.disk.stage(bucketName); err != nil {
			return res, fmt.Errorf("put %s/%s: %w", bucketName, key, err)
		}
		defer staged.discard()
		sink = staged.f
	} else {
		sink = &bytes.Buffer{}
	}
	sum, err := readBody(input, size, sink)
	if err != nil {
		return res, err
	}
	v.MD5 = sum
	if buf, ok := sink.(*bytes.Buffer); ok {
		v.body = buf.Bytes()
	}

	s.mu.Lock()
	defer s.mu.Unlock()
	b := s.buckets[bucketName]
	if err := checkConditions(b, key, cond); err != nil {
		return res, err
	}
	now := time.Now().UTC()
	v.Modified = now
	v.Meta["Last-Modified"] = now.Format(http.TimeFormat)
	if b.versioned {
		v.ID = s.newVersionID(now)
	}
	if staged != nil {
		if err := s.disk.commit(bucketName, v, staged, s.newVersionID(now)); err != nil {
			return res, fmt.Errorf("put %s/%s: %w", bucketName, key, err)
		}
	}
	if old := b.objects[key]; old != nil && !b.versioned {
		// The record was replaced by commit; only the old body is left.
		s.disk.removeBody(bucketName, old.current())
	}
	s.add(b, v)
	res.VersionID = gofakes3.VersionID(v.ID)
	return res, nil
}

// readBody copies exactly size bytes to w and returns their MD5. It reads
// the input to its end, so gofakes3's hashing reader checks Content-MD5.
func readBody(input io.Reader, size int64, w io.Writer) ([]byte, error) {
	h := md5.New()
	n, err := io.Copy(io.MultiWriter(w, h), io.LimitReader(input, size+1))
	var tooBig *http.MaxBytesError
	switch {
	case errors.As(err, &tooBig):
		return nil, errEntityTooLarge(tooBig.Limit)
	case err != nil:
		return nil, err
	case n != size:
		return nil, gofakes3.ErrIncompleteBody
	}
	return h.Sum(nil), nil
}

func checkConditions(b *bucket, key string, cond *gofakes3.PutConditions) error {
	if cond == nil {
		return nil
	}
	info := &gofakes3.ConditionalObjectInfo{}
	if v, err := b.find(key, ""); err == nil {
		info.Exists, info.Hash = true, v.MD5
	}
	return gofakes3.CheckPutConditions(cond, info)
}

// add makes v the key's current version; in an unversioned bucket it is
// the only one. Called with s.mu held, after v is on disk.
func (s *store) add(b *bucket, v *version) {
	o := b.objects[v.Key]
	if o == nil || !b.versioned {
		o = &object{}
		b.objects[v.Key] = o
	}
	o.versions = append(o.versions, v)
}

// storedMeta keeps the headers S3 stores with an object. gofakes3 passes
// every X-Amz-* request header: echoing x-amz-checksum-* back on GET would
// claim a checksum nobody verified, and x-amz-date, x-amz-content-sha256 and
// the like describe the request, not the object.
func storedMeta(in map[string]string) map[string]string {
	out := map[string]string{}
	for k, v := range in {
		switch {
		case strings.HasPrefix(k, "X-Amz-Meta-"), k == "Content-Type", k == "Content-Disposition":
			out[k] = v
		case k == "Content-Encoding":
			// aws-chunked is the request's transfer framing, not the object's encoding.
			if enc := withoutAWSChunked(v); enc != "" {
				out[k] = enc
			}
		}
	}
	return out
}

func withoutAWSChunked(enc string) string {
	var keep []string
	for _, e := range strings.Split(enc, ",") {
		if e = strings.TrimSpace(e); e != "" && !strings.EqualFold(e, "aws-chunked") {
			keep = append(keep, e)
		}
	}
	return strings.Join(keep, ",")
}

// CopyObject copies the source's current version to a new version of the
// destination.
func (s *store) CopyObject(srcBucket, srcKey, dstBucket, dstKey string, meta map[string]string) (gofakes3.CopyObjectResult, error) {
	return gofakes3.CopyObject(s, srcBucket, srcKey, dstBucket, dstKey, meta)
}

// DeleteObject adds a delete marker in a versioned bucket (as S3 does,
// whether or not the key exists) and removes the object in an unversioned one.
func (s *store) DeleteObject(bucketName, key string) (gofakes3.ObjectDeleteResult, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.deleteObject(bucketName, key)
}

func (s *store) deleteObject(bucketName, key string) (gofakes3.ObjectDeleteResult, error) {
	var res gofakes3.ObjectDeleteResult
	b, err := s.bucket(bucketName)
	if err != nil {
		return res, err
	}
	if !b.versioned {
		o := b.objects[key]
		if o == nil {
			return res, nil
		}
		if err := s.disk.remove(bucketName, o.current()); err != nil {
			return res, fmt.Errorf("delete %s/%s: %w", bucketName, key, err)
		}
		delete(b.objects, key)
		return res, nil
	}
	now := time.Now().UTC()
	m := &version{Key: key, ID: s.newVersionID(now), Modified: now, DeleteMarker: true}
	if err := s.disk.commit(bucketName, m, nil, ""); err != nil {
		return res, fmt.Errorf("delete %s/%s: %w", bucketName, key, err)
	}
	s.add(b, m)
	return gofakes3.ObjectDeleteResult{IsDeleteMarker: true, VersionID: gofakes3.VersionID(m.ID)}, nil
}

// DeleteObjectVersion removes one version for good; when it was the
// current one, the previous version becomes current, as in S3. A version
// that does not exist is no error.
func (s *store) DeleteObjectVersion(bucketName, key string, id gofakes3.VersionID) (gofakes3.ObjectDeleteResult, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.deleteVersion(bucketName, key, string(id))
}

func (s *store) deleteVersion(bucketName, key, id string) (gofakes3.ObjectDeleteResult, error) {
	var res gofakes3.ObjectDeleteResult
	b, err := s.bucket(bucketName)
	if err != nil {
		return res, err
	}
	o := b.objects[key]
	if o == nil || id == "" {
		return res, nil
	}
	for i, v := range o.versions {
		if v.ID != id {
			continue
		}
		if err := s.disk.remove(bucketName, v); err != nil {
			return res, fmt.Errorf("delete %s/%s version %s: %w", bucketName, key, id, err)
		}
		o.versions = append(o.versions[:i:i], o.versions[i+1:]...)
		if len(o.versions) == 0 {
			delete(b.objects, key)
		}
		return gofakes3.ObjectDeleteResult{IsDeleteMarker: v.DeleteMarker, VersionID: gofakes3.VersionID(id)}, nil
	}
	return res, nil
}

// DeleteMulti deletes the keys' current versions.
func (s *store) DeleteMulti(bucketName string, keys ...string) (gofakes3.MultiDeleteResult, error) {
	ids := make([]gofakes3.ObjectID, len(keys))
	for i, k := range keys {
		ids[i].Key = k
	}
	return s.DeleteMultiVersions(bucketName, ids...)
}

// DeleteMultiVersions deletes each object (a version when one is named).
func (s *store) DeleteMultiVersions(bucketName string, objects ...gofakes3.ObjectID) (gofakes3.MultiDeleteResult, error) {
	var res gofakes3.MultiDeleteResult
	if len(objects) == 0 || len(objects) > maxDeleteObjects {
		return res, gofakes3.ErrorMessagef(gofakes3.ErrMalformedXML, "a Delete request names 1 to %d objects, not %d", maxDeleteObjects, len(objects))
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	b, err := s.bucket(bucketName)
	if err != nil {
		return res, err
	}
	for _, o := range objects {
		var err error
		if o.VersionID == "" || (o.VersionID == "null" && !b.versioned) {
			_, err = s.deleteObject(bucketName, o.Key)
		} else {
			_, err = s.deleteVersion(bucketName, o.Key, o.VersionID)
		}
		if err != nil {
			e := gofakes3.ErrorResultFromError(err)
			e.Key = o.Key
			res.Error = append(res.Error, e)
			continue
		}
		res.Deleted = append(res.Deleted, o)
	}
	return res, nil
}
