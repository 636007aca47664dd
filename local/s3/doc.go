// Package s3 is the local stack's S3: the S3 REST API, path-style
// (/<bucket>/<key>), for the buckets a template declares, served by the
// gofakes3 library (github.com/johannesboyne/gofakes3) over a store of this
// package.
//
// # Use
//
//	svc, err := s3.New(s3.Options{Buckets: []s3.Bucket{{LogicalID: "Documents", Name: name, Versioned: true}}, Dir: dir})
//	// route requests for which s3.Matches(r) is true to svc (an http.Handler)
//
// The buckets exist from New on, with the template's versioning; requests
// for any other bucket get NoSuchBucket, and creating, deleting or
// reconfiguring a bucket gets AccessDenied. Objects live under Dir and
// survive a restart, or in memory when Dir is "". Like the other local
// services it accepts any credentials and does not check signatures.
//
// # Why a store of its own
//
// gofakes3 parses and answers the protocol; its storage is pluggable. Of
// its own backends, s3mem has versions but only in memory (and deleting the
// current version leaves the key with no current version), and s3bolt
// persists but has no versioning. The store here keeps versions on disk and
// promotes the previous version when the current one is deleted, as S3 does.
//
// # Limits
//
// An object is at most Options.MaxObjectSize (DefaultMaxObjectSize, 64 MiB;
// S3 allows 5 GiB per PUT): a larger declared length is refused with
// EntityTooLarge before its body is read, and so is a multipart upload that
// completes larger. Bodies that carry no object bytes are bounded to 1 MiB.
// Keys are at most 1,024 bytes, as in S3.
//
// # Differences from S3
//
//   - No additional checksums: gofakes3 v1.2.0 neither verifies nor stores
//     x-amz-checksum-* (SHA-256, CRC32, …), answers ChecksumMode ENABLED
//     with no checksum, and has no GetObjectAttributes. The headers are
//     dropped rather than echoed unverified; ?attributes and the other
//     unimplemented subresources (tagging, acl, …) get 501 NotImplemented.
//     Content-MD5 is verified (BadDigest).
//   - Keys with control characters or invalid UTF-8 are refused
//     (InvalidArgument, InvalidURI): listings are XML 1.0 and
//     encoding-type=url is ignored.
//   - GET of a delete marker's version answers 404 NoSuchKey (S3: 405);
//     a well-formed but unknown version ID in an unversioned bucket answers
//     404 NoSuchVersion (S3: 400 InvalidArgument).
//   - CopyObject copies the source's current version (a versionId in
//     x-amz-copy-source is ignored) and reports the source's version ID.
//   - Parts of unfinished multipart uploads are held in memory by gofakes3
//     (each part bounded by the object size limit) and lost on restart.
//   - Nothing is fsynced: data survives a restart of the process, not
//     necessarily a power cut. Two Services must not share a Dir.
package s3
