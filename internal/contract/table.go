package contract

// Token table attributes. The key is (documentId, signer); expiresAt is the
// table's TTL attribute, set only while a request is pending.
const (
	AttrDocumentID   = "documentId"   // S, partition key
	AttrSigner       = "signer"       // S, sort key
	AttrTaskToken    = "taskToken"    // S, a secret: present only while pending
	AttrStatus       = "status"       // S, a Status
	AttrExecutionARN = "executionArn" // S
	AttrRequestedAt  = "requestedAt"  // N, epoch seconds
	AttrExpiresAt    = "expiresAt"    // N, epoch seconds; TTL
	AttrCompletedAt  = "completedAt"  // N, epoch seconds, once finished
	AttrDecision     = "decision"     // S, sign or decline, once finished
	AttrReason       = "reason"       // S, a decline's reason
	AttrDocument     = "document"     // M, the pinned document {bucket, key, versionId, sha256}
	AttrJWS          = "jws"          // S, the signed statement (JWS compact serialization), once SIGNED
	AttrCodeHash     = "codeHash"     // S, SHA-256 (hex) of the signing link's one-time code; gone once signed or declined
)

// Status is where a signature request stands.
type Status string

// The statuses of a request. PENDING is the only one a completion can claim.
const (
	StatusPending  Status = "PENDING"
	StatusSigned   Status = "SIGNED"
	StatusDeclined Status = "DECLINED"
	StatusExpired  Status = "EXPIRED"
)
