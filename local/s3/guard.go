package s3

import (
	"bytes"
	"errors"
	"net/http"
	"net/url"
	"regexp"
	"strconv"
	"strings"
	"unicode/utf8"

	"github.com/johannesboyne/gofakes3"
)

// versionIDForm is the form of the version IDs this store issues.
var versionIDForm = regexp.MustCompile(`^[0-9a-f]{32}$`)

// validRange is the one byte range form S3 honours; S3 ignores any other
// Range header and returns the whole object (RFC 9110 lets it), where
// gofakes3 would answer 416.
var validRange = regexp.MustCompile(`^bytes=(\d+-\d*|-\d+)$`)

// ServeHTTP refuses what the template forbids or gofakes3 mishandles, then
// hands the request to gofakes3.
func (s *Service) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	if !s.check(w, r) {
		return
	}
	if rng := r.Header.Get("Range"); rng != "" && !validRange.MatchString(strings.ReplaceAll(rng, " ", "")) {
		r.Header.Del("Range")
	}
	if r.Method == http.MethodHead && r.URL.Query().Get("versionId") != "" {
		// gofakes3 answers HEAD with the current version whatever the
		// versionId: answer it as a GET of that version, without the body.
		get := r.Clone(r.Context())
		get.Method = http.MethodGet
		s.s3.ServeHTTP(&headWriter{ResponseWriter: w}, get)
		return
	}
	if r.Method == http.MethodPost {
		fixStatus(s.s3, w, r)
		return
	}
	s.s3.ServeHTTP(w, r)
}

// check answers requests that must not reach gofakes3 and bounds the body
// of the rest; it returns false when it answered.
func (s *Service) check(w http.ResponseWriter, r *http.Request) bool {
	bucket, key, _ := strings.Cut(strings.TrimPrefix(r.URL.Path, "/"), "/")
	q := r.URL.Query()
	fail := func(status int, code, msg string) bool {
		writeError(w, r, status, code, msg)
		return false
	}
	switch r.Method {
	case http.MethodGet, http.MethodHead, http.MethodPut, http.MethodPost, http.MethodDelete:
	default:
		w.Header().Set("Allow", "GET, HEAD, PUT, POST, DELETE")
		return fail(http.StatusMethodNotAllowed, "MethodNotAllowed", "The specified method is not allowed against this resource.")
	}
	switch {
	case bucket == "" && r.Method != http.MethodGet:
		return fail(http.StatusMethodNotAllowed, "MethodNotAllowed", "The specified method is not allowed against this resource.")
	case bucket == "":
		return true // ListBuckets
	case key == "" && (r.Method == http.MethodPut || r.Method == http.MethodDelete), has(q, "versioning") && r.Method != http.MethodGet:
		return fail(http.StatusForbidden, "AccessDenied", errBucketOwned.(*gofakes3.ErrorResponse).Message)
	case s.store.buckets[bucket] == nil:
		return fail(http.StatusNotFound, "NoSuchBucket", "The specified bucket does not exist")
	case len(key) > gofakes3.KeySizeLimit:
		return fail(http.StatusBadRequest, "KeyTooLongError", "Your key is too long")
	case !utf8.ValidString(key):
		return fail(http.StatusBadRequest, "InvalidURI", "Couldn't parse the specified URI.")
	case strings.IndexFunc(key, isControl) >= 0:
		// S3 stores such keys, but XML 1.0 cannot carry them in a listing
		// (gofakes3 has no encoding-type=url): refuse rather than list a
		// different key.
		return fail(http.StatusBadRequest, "InvalidArgument", "object keys with control characters are not supported by the local S3")
	}
	for name := range q {
		if unsupported[name] {
			// gofakes3 would route these as plain object or bucket
			// requests: a GET ?attributes would return the body, a PUT
			// ?tagging would overwrite the object with the tagging XML.
			return fail(http.StatusNotImplemented, "NotImplemented", "The local S3 does not implement the "+name+" subresource")
		}
	}
	if msg := badVersion(q, s.store.buckets[bucket].versioned); msg != "" {
		if msg == noSuchVersion {
			if r.Method == http.MethodDelete {
				w.WriteHeader(http.StatusNoContent) // S3 deletes a missing version silently
				return false
			}
			return fail(http.StatusNotFound, "NoSuchVersion", "The specified version does not exist.")
		}
		return fail(http.StatusBadRequest, "InvalidArgument", msg)
	}
	return s.limitBody(w, r, key, q)
}

// unsupported are the S3 subresources gofakes3 does not implement.
var unsupported = map[string]bool{}

func init() {
	for _, name := range strings.Fields(`accelerate acl analytics attributes cors encryption
		intelligent-tiering inventory legal-hold lifecycle logging metadataConfiguration metrics
		notification object-lock ownershipControls policy policyStatus publicAccessBlock
		renameObject replication requestPayment restore retention select session tagging
		torrent website`) {
		unsupported[name] = true
	}
}

func has(q url.Values, name string) bool {
	_, ok := q[name]
	return ok
}

func isControl(r rune) bool { return r < 0x20 || r == 0x7f }

// noSuchVersion is badVersion's answer for "null" in a versioned bucket:
// the bucket was versioned from its creation, so it has no null version.
const noSuchVersion = "no such version"

// badVersion checks the version ID parameters as S3 does: "" is refused,
// "null" names the null version, anything else must be an ID this store
// could have issued.
func badVersion(q url.Values, versioned bool) string {
	for _, p := range []string{"versionId", "version-id-marker"} {
		vs, ok := q[p]
		if !ok {
			continue
		}
		switch v := vs[0]; {
		case len(vs) > 1:
			return "Multiple " + p + " parameters"
		case v == "" && p == "versionId":
			return "Version id cannot be the empty string"
		case v == "null" && versioned && p == "versionId":
			return noSuchVersion
		case v != "null" && !versionIDForm.MatchString(v):
			return "Invalid version id specified"
		}
	}
	return ""
}

// limitBody bounds the request body: object bytes by the object size limit
// (checked up front from the declared length), anything else by
// maxRequestBody.
func (s *Service) limitBody(w http.ResponseWriter, r *http.Request, key string, q url.Values) bool {
	limit := maxRequestBody
	carriesObject := r.Method == http.MethodPut && key != "" ||
		r.Method == http.MethodPost && strings.HasPrefix(r.Header.Get("Content-Type"), "multipart/form-data")
	if carriesObject {
		for _, h := range []string{"Content-Length", "X-Amz-Decoded-Content-Length"} {
			if n, err := strconv.ParseInt(r.Header.Get(h), 10, 64); err == nil && n > s.maxSize {
				writeError(w, r, http.StatusBadRequest, string(codeEntityTooLarge), errEntityTooLarge(s.maxSize).(*gofakes3.ErrorResponse).Message)
				return false
			}
		}
		// Room for aws-chunked framing (about 90 bytes per chunk of at
		// least 8 KiB) and a form's fields; the store bounds the bytes.
		limit = s.maxSize + s.maxSize/64 + maxRequestBody
	}
	r.Body = http.MaxBytesReader(w, r.Body, limit)
	return true
}

// headWriter answers a HEAD served as a GET: headers and status pass,
// the body does not, and the failing Write stops gofakes3 reading it.
type headWriter struct {
	http.ResponseWriter
	wrote bool
}

func (h *headWriter) WriteHeader(status int) {
	if !h.wrote {
		h.wrote = true
		h.ResponseWriter.WriteHeader(status)
	}
}

// errHeadBody ends gofakes3's copy of a body nobody will receive.
var errHeadBody = errors.New("HEAD has no body")

func (h *headWriter) Write([]byte) (int, error) {
	h.WriteHeader(http.StatusOK)
	return 0, errHeadBody
}

// fixStatus serves a POST (small XML answers) through a buffer, to give
// an error gofakes3 does not know the status S3 gives it: EntityTooLarge,
// from completing a multipart upload over the size limit, is 400, not 500.
func fixStatus(h http.Handler, w http.ResponseWriter, r *http.Request) {
	rec := &bufferWriter{header: w.Header(), status: http.StatusOK}
	h.ServeHTTP(rec, r)
	if rec.status == http.StatusInternalServerError && bytes.Contains(rec.body.Bytes(), []byte("<Code>"+codeEntityTooLarge+"</Code>")) {
		rec.status = http.StatusBadRequest
	}
	w.WriteHeader(rec.status)
	_, _ = w.Write(rec.body.Bytes())
}

type bufferWriter struct {
	header http.Header
	status int
	wrote  bool
	body   bytes.Buffer
}

func (b *bufferWriter) Header() http.Header { return b.header }

func (b *bufferWriter) WriteHeader(status int) {
	if !b.wrote {
		b.wrote, b.status = true, status
	}
}

func (b *bufferWriter) Write(p []byte) (int, error) {
	b.WriteHeader(http.StatusOK)
	return b.body.Write(p)
}
