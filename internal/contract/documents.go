package contract

// DocumentKeyPrefix is where documents live in the document bucket: the
// document with id 3 is the object documents/3.
const DocumentKeyPrefix = "documents/"

// DocumentKey is the object key of the document with the given id.
func DocumentKey(documentID string) string { return DocumentKeyPrefix + documentID }

// MetadataUploadedBy is the S3 user metadata key (x-amz-meta-uploaded-by)
// that records who stored a document through the documents API: the
// caller's IAM principal ARN.
const MetadataUploadedBy = "uploaded-by"

// How a signer was authenticated, as a signed statement records it.
const (
	AuthenticatedByService      = "service"       // an auto signer, sealed by the stack
	AuthenticatedByLink         = "link"          // the one-time link sent to the signer
	AuthenticatedByLambdaInvoke = "lambda:Invoke" // a direct invocation of complete-signature; IAM decides who may
)
