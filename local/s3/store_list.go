package s3

import (
	"sort"
	"strconv"
	"strings"

	"github.com/johannesboyne/gofakes3"
)

// versionClock is the clock a version ID starts with (0 for "" or a
// malformed ID).
func versionClock(id string) int64 {
	if len(id) < 16 {
		return 0
	}
	c, _ := strconv.ParseInt(id[:16], 16, 64)
	return c
}

func (b *bucket) sortedKeys() []string {
	keys := make([]string, 0, len(b.objects))
	for k := range b.objects {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	return keys
}

// pastMarker reports whether key comes after a list marker; a marker that
// is a common prefix also covers every key under it.
func pastMarker(key, marker string, p *gofakes3.Prefix) bool {
	if marker == "" {
		return true
	}
	if p.HasDelimiter && strings.HasSuffix(marker, p.Delimiter) && strings.HasPrefix(key, marker) {
		return false
	}
	return key > marker
}

// ListBucket lists the current versions (not delete markers) in key order.
func (s *store) ListBucket(name string, prefix *gofakes3.Prefix, page gofakes3.ListBucketPage) (*gofakes3.ObjectList, error) {
	if prefix == nil {
		prefix = &gofakes3.Prefix{}
	}
	s.mu.RLock()
	defer s.mu.RUnlock()
	b, err := s.bucket(name)
	if err != nil {
		return nil, err
	}
	out := gofakes3.NewObjectList()
	var match gofakes3.PrefixMatch
	var n int64
	last := ""
	for _, key := range b.sortedKeys() {
		v := b.objects[key].current()
		if v.DeleteMarker || !pastMarker(key, page.Marker, prefix) || !prefix.Match(key, &match) {
			continue
		}
		if match.CommonPrefix && match.MatchedPart == last {
			continue
		}
		if page.MaxKeys > 0 && n >= page.MaxKeys {
			out.IsTruncated = true
			break
		}
		n++
		if match.CommonPrefix {
			last = match.MatchedPart
			out.AddPrefix(last)
			out.NextMarker = last
			continue
		}
		out.Add(&gofakes3.Content{
			Key: key, LastModified: gofakes3.NewContentTime(v.Modified),
			ETag: gofakes3.FormatETag(v.MD5), Size: v.Size, StorageClass: "STANDARD",
		})
		out.NextMarker = key
	}
	if !out.IsTruncated {
		out.NextMarker = ""
	}
	return out, nil
}

// ListBucketVersions lists versions and delete markers by key, newest
// version first, as S3 does.
func (s *store) ListBucketVersions(name string, prefix *gofakes3.Prefix, page *gofakes3.ListBucketVersionsPage) (*gofakes3.ListBucketVersionsResult, error) {
	if prefix == nil {
		prefix = &gofakes3.Prefix{}
	}
	if page == nil {
		page = &gofakes3.ListBucketVersionsPage{}
	}
	s.mu.RLock()
	defer s.mu.RUnlock()
	b, err := s.bucket(name)
	if err != nil {
		return nil, err
	}
	out := gofakes3.NewListBucketVersionsResult(name, prefix, page)
	var match gofakes3.PrefixMatch
	var n int64
	last := ""
	full := func() bool {
		if page.MaxKeys > 0 && n >= page.MaxKeys {
			out.IsTruncated = true
			return true
		}
		n++
		return false
	}
	for _, key := range b.sortedKeys() {
		resume := page.HasVersionIDMarker && key == page.KeyMarker
		if !resume && !pastMarker(key, page.KeyMarker, prefix) || !prefix.Match(key, &match) {
			continue
		}
		if match.CommonPrefix {
			if match.MatchedPart == last {
				continue
			}
			if full() {
				break
			}
			last = match.MatchedPart
			out.AddPrefix(last)
			out.NextKeyMarker, out.NextVersionIDMarker = last, ""
			continue
		}
		vs := b.objects[key].versions
		for i := len(vs) - 1; i >= 0; i-- {
			v := vs[i]
			if resume && v.ID >= string(page.VersionIDMarker) {
				continue // at or newer than the marker: listed on an earlier page
			}
			if full() {
				break
			}
			out.Versions = append(out.Versions, versionItem(v, i == len(vs)-1))
			out.NextKeyMarker, out.NextVersionIDMarker = key, gofakes3.VersionID(v.ID)
		}
		if out.IsTruncated {
			break
		}
	}
	if !out.IsTruncated {
		out.NextKeyMarker, out.NextVersionIDMarker = "", ""
	}
	return out, nil
}

func versionItem(v *version, latest bool) gofakes3.VersionItem {
	if v.DeleteMarker {
		return &gofakes3.DeleteMarker{Key: v.Key, VersionID: gofakes3.VersionID(v.ID), IsLatest: latest, LastModified: gofakes3.NewContentTime(v.Modified)}
	}
	return &gofakes3.Version{
		Key: v.Key, VersionID: gofakes3.VersionID(v.ID), IsLatest: latest, LastModified: gofakes3.NewContentTime(v.Modified),
		Size: v.Size, StorageClass: "STANDARD", ETag: gofakes3.FormatETag(v.MD5),
	}
}
