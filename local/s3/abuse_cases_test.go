package s3

import (
	"net/http"
	"strings"
)

const (
	doc        = "/" + docBucket + "/documents/doc-1"
	missingVer = "0000000000000000deadbeefdeadbeef"
)

// abuseCases lists the matrix; env supplies the stored version IDs.
func abuseCases(env *abuseEnv) []abuseCase {
	tooMany := "<Delete>" + strings.Repeat("<Object><Key>documents/doc-1</Key></Object>", maxDeleteObjects+1) + "</Delete>"
	huge := "<Delete><Object><Key>" + strings.Repeat("x", int(maxRequestBody)) + "</Key></Object></Delete>"
	longKey := "/" + docBucket + "/" + strings.Repeat("k", 1025)
	return []abuseCase{
		// Buckets the template does not declare, and bucket life cycle.
		{name: "get from unknown bucket", target: "/no-such-bucket/documents/doc-1", status: 404, code: "NoSuchBucket"},
		{name: "put to unknown bucket", method: "PUT", target: "/no-such-bucket/x", body: "x", status: 404, code: "NoSuchBucket"},
		{name: "list unknown bucket", target: "/no-such-bucket?list-type=2", status: 404, code: "NoSuchBucket"},
		{name: "dot-dot as bucket", target: "/../" + docBucket + "/documents/doc-1", status: 404, code: "NoSuchBucket"},
		{name: "create new bucket", method: "PUT", target: "/new-bucket", status: 403, code: "AccessDenied"},
		{name: "create existing bucket", method: "PUT", target: "/" + docBucket, status: 403, code: "AccessDenied"},
		{name: "delete bucket", method: "DELETE", target: "/" + docBucket, status: 403, code: "AccessDenied"},
		{name: "delete unknown bucket", method: "DELETE", target: "/no-such-bucket", status: 403, code: "AccessDenied"},
		{name: "suspend versioning", method: "PUT", target: "/" + docBucket + "?versioning",
			body: `<VersioningConfiguration><Status>Suspended</Status></VersioningConfiguration>`, status: 403, code: "AccessDenied"},
		{name: "versioning on a key", method: "PUT", target: doc + "?versioning", body: "x", status: 403, code: "AccessDenied"},
		{name: "delete at root", method: "DELETE", target: "/", status: 405, code: "MethodNotAllowed"},

		// Methods and subresources.
		{name: "PATCH", method: "PATCH", target: doc, body: "x", status: 405, code: "MethodNotAllowed"},
		{name: "PROPFIND", method: "PROPFIND", target: doc, status: 405, code: "MethodNotAllowed"},
		{name: "put tagging", method: "PUT", target: doc + "?tagging", body: "<Tagging/>", status: 501, code: "NotImplemented"},
		{name: "get attributes", target: doc + "?attributes", header: map[string]string{"X-Amz-Object-Attributes": "Checksum"}, status: 501, code: "NotImplemented"},
		{name: "put acl", method: "PUT", target: doc + "?acl", status: 501, code: "NotImplemented"},

		// Version IDs.
		{name: "malformed version id", target: doc + "?versionId=not-a-version", status: 400, code: "InvalidArgument"},
		{name: "empty version id", target: doc + "?versionId=", status: 400, code: "InvalidArgument"},
		{name: "two version ids", target: doc + "?versionId=" + env.v1 + "&versionId=" + env.v2, status: 400, code: "InvalidArgument"},
		{name: "null version in versioned bucket", target: doc + "?versionId=null", status: 404, code: "NoSuchVersion"},
		{name: "missing version", target: doc + "?versionId=" + missingVer, status: 404, code: "NoSuchVersion"},
		{name: "version of another key", target: "/" + docBucket + "/documents/doc-2?versionId=" + env.v1, status: 404, code: "NoSuchVersion"},
		{name: "head malformed version", method: "HEAD", target: doc + "?versionId=zz", status: 400},
		{name: "head missing version", method: "HEAD", target: doc + "?versionId=" + missingVer, status: 404},
		{name: "delete malformed version", method: "DELETE", target: doc + "?versionId=..%2F..", status: 400, code: "InvalidArgument"},
		{name: "delete missing version", method: "DELETE", target: doc + "?versionId=" + missingVer, status: 204},
		{name: "delete null version in versioned bucket", method: "DELETE", target: doc + "?versionId=null", status: 204},
		{name: "list with malformed version marker", target: "/" + docBucket + "?versions&key-marker=a&version-id-marker=bad", status: 400, code: "InvalidArgument"},
		{name: "list with version marker but no key marker", target: "/" + docBucket + "?versions&version-id-marker=" + env.v1, status: 400, code: "InvalidArgument"},

		// Keys.
		{name: "missing key", target: "/" + docBucket + "/documents/none", status: 404, code: "NoSuchKey"},
		{name: "head missing key", method: "HEAD", target: "/" + docBucket + "/documents/none", status: 404},
		{name: "dot-dot key", target: "/" + docBucket + "/..", status: 404, code: "NoSuchKey"},
		{name: "traversal key", target: "/" + docBucket + "/../../etc/passwd", status: 404, code: "NoSuchKey"},
		{name: "control character in key", method: "PUT", target: "/" + docBucket + "/a%01b", body: "x", status: 400, code: "InvalidArgument"},
		{name: "newline in key", method: "PUT", target: "/" + docBucket + "/a%0Ab", body: "x", status: 400, code: "InvalidArgument"},
		{name: "invalid UTF-8 key", method: "PUT", target: "/" + docBucket + "/a%FFb", body: "x", status: 400, code: "InvalidURI"},
		{name: "put overlong key", method: "PUT", target: longKey, body: "x", status: 400, code: "KeyTooLongError"},
		{name: "get overlong key", target: longKey, status: 400, code: "KeyTooLongError"},

		// Bodies.
		{name: "oversize put", method: "PUT", target: doc, body: strings.Repeat("x", 1<<20+1), status: 400, code: "EntityTooLarge"},
		{name: "oversize decoded length", method: "PUT", target: doc, body: "x",
			header: map[string]string{"X-Amz-Decoded-Content-Length": "99999999999"}, status: 400, code: "EntityTooLarge"},
		{name: "missing content length", method: "PUT", target: doc, body: "x", header: map[string]string{"Content-Length": ""}, status: 411, code: "MissingContentLength"},
		{name: "short body", method: "PUT", target: doc, body: "short", header: map[string]string{"Content-Length": "10"}, status: 400, code: "IncompleteBody"},
		{name: "wrong Content-MD5", method: "PUT", target: doc, body: "tampered",
			header: map[string]string{"Content-MD5": "1B2M2Y8AsgTpgAmY7PhCfg=="}, status: 400, code: "BadDigest"},
		{name: "metadata too large", method: "PUT", target: doc, body: "x",
			header: map[string]string{"X-Amz-Meta-Big": strings.Repeat("m", 2100)}, status: 400, code: "MetadataTooLarge"},
		{name: "if-none-match on existing", method: "PUT", target: doc, body: "x", header: map[string]string{"If-None-Match": "*"}, status: 412, code: "PreconditionFailed"},
		{name: "copy from unknown bucket", method: "PUT", target: doc, header: map[string]string{"X-Amz-Copy-Source": "/no-such-bucket/x"}, status: 404, code: "NoSuchBucket"},

		// Multi-object delete.
		{name: "multi-delete unclosed XML", method: "POST", target: "/" + docBucket + "?delete", body: "<Delete><Object>", status: 400, code: "MalformedXML"},
		{name: "multi-delete not XML", method: "POST", target: "/" + docBucket + "?delete", body: "documents/doc-1", status: 400, code: "MalformedXML"},
		{name: "multi-delete empty body", method: "POST", target: "/" + docBucket + "?delete", status: 400, code: "MalformedXML"},
		{name: "multi-delete no objects", method: "POST", target: "/" + docBucket + "?delete", body: "<Delete></Delete>", status: 400, code: "MalformedXML"},
		{name: "multi-delete too many objects", method: "POST", target: "/" + docBucket + "?delete", body: tooMany, status: 400, code: "MalformedXML"},
		{name: "multi-delete over 1 MiB", method: "POST", target: "/" + docBucket + "?delete", body: huge, status: 400, code: "MalformedXML"},

		// Ranges and list parameters.
		{name: "unparsable range is ignored", target: doc, header: map[string]string{"Range": "bytes=abc"}, status: 200},
		{name: "multiple ranges are ignored", target: doc, header: map[string]string{"Range": "bytes=0-1,3-4"}, status: 200},
		{name: "range past the end", target: doc, header: map[string]string{"Range": "bytes=100-200"}, status: http.StatusRequestedRangeNotSatisfiable, code: "InvalidRange"},
		{name: "non-numeric max-keys", target: "/" + docBucket + "?list-type=2&max-keys=abc", status: 400, code: "InvalidArgument"},
		{name: "bad continuation token", target: "/" + docBucket + "?list-type=2&continuation-token=%21%21", status: 400, code: "InvalidToken"},
	}
}
