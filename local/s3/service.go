package s3

import (
	"fmt"
	"net/http"
	"os"
	"regexp"
	"strings"

	"github.com/hitl-go/docsign/local/internal/sigv4"
	"github.com/johannesboyne/gofakes3"
)

// DefaultMaxObjectSize bounds one object in the local stand-in (S3's own
// limit is 5 GiB per PUT): documents to sign are far smaller, and a body
// is staged whole before it is stored.
const DefaultMaxObjectSize int64 = 64 << 20

// maxRequestBody bounds the body of every request that does not carry
// object bytes (multi-object delete, completing a multipart upload).
const maxRequestBody int64 = 1 << 20

// Bucket is one AWS::S3::Bucket of the template.
type Bucket struct {
	LogicalID string // the resource's logical ID, for error messages
	Name      string // the physical bucket name clients use
	Versioned bool   // VersioningConfiguration.Status is Enabled
}

// Options configure New.
type Options struct {
	// Buckets are the only buckets served; each must have a valid, distinct name.
	Buckets []Bucket
	// Dir holds the objects (created with mode 0700) so they survive a
	// restart; "" keeps them in memory.
	Dir string
	// MaxObjectSize bounds one object's bytes; 0 is DefaultMaxObjectSize.
	MaxObjectSize int64
}

// Service serves the S3 REST API (path-style: /<bucket>/<key>) for the
// template's buckets. It is an http.Handler.
type Service struct {
	s3      http.Handler
	store   *store
	maxSize int64
}

// bucketName is S3's general purpose bucket naming rule (3–63 characters of
// lowercase letters, digits, dots and hyphens, starting and ending with a
// letter or digit); the rule also keeps a name safe as a folder name.
var bucketName = regexp.MustCompile(`^[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]$`)

// New creates the buckets (with their versioning) and, with a Dir, loads
// the objects stored there.
func New(opts Options) (*Service, error) {
	maxSize := opts.MaxObjectSize
	if maxSize <= 0 {
		maxSize = DefaultMaxObjectSize
	}
	seen := map[string]bool{}
	for _, b := range opts.Buckets {
		if !bucketName.MatchString(b.Name) || strings.Contains(b.Name, "..") {
			return nil, fmt.Errorf("bucket %s: invalid S3 bucket name %q", b.LogicalID, b.Name)
		}
		if seen[b.Name] {
			return nil, fmt.Errorf("bucket %s: name %q used twice", b.LogicalID, b.Name)
		}
		seen[b.Name] = true
	}
	var d *disk
	if opts.Dir != "" {
		if err := os.MkdirAll(opts.Dir, dirMode); err != nil {
			return nil, fmt.Errorf("S3 data directory: %w", err)
		}
		d = &disk{dir: opts.Dir}
	}
	st := newStore(opts.Buckets, d, maxSize)
	if d != nil {
		for _, b := range st.buckets {
			clock, err := d.load(b)
			if err != nil {
				return nil, fmt.Errorf("load S3 data from %s: %w", opts.Dir, err)
			}
			st.last = max(st.last, clock)
		}
	}
	fake := gofakes3.New(st, gofakes3.WithMetadataSizeLimit(gofakes3.DefaultMetadataSizeLimit))
	return &Service{s3: fake.Server(), store: st, maxSize: maxSize}, nil
}

// Matches reports whether r is an S3 request: its SigV4 credential scope
// (in the Authorization header, or a presigned URL's X-Amz-Credential)
// names the service s3. Unsigned requests do not match.
func Matches(r *http.Request) bool {
	_, service := sigv4.CredentialScope(r)
	return service == "s3"
}
