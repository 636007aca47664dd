package contract

// Error types callers see: complete-signature's and request-signature's
// Lambda errorType values (the Go type names in package fault), and the
// error a decline fails the run with.
const (
	ErrorInvalidInput                = "InvalidInput"
	ErrorSignatureRequestNotFound    = "SignatureRequestNotFound"
	ErrorSignatureAlreadyCompleted   = "SignatureAlreadyCompleted"
	ErrorSignatureRequestExpired     = "SignatureRequestExpired"
	ErrorSignatureServiceUnavailable = "SignatureServiceUnavailable" // transient: retry
	ErrorSignatureRequestConflict    = "SignatureRequestConflict"
	ErrorSignatureDeclined           = "SignatureDeclined"    // the run's error after a decline
	ErrorDocumentNotFound            = "DocumentNotFound"     // no documents/<documentId> when the run starts
	ErrorDocumentChanged             = "DocumentChanged"      // the pinned version is gone or its bytes differ
	ErrorSignatureLinkInvalid        = "SignatureLinkInvalid" // a signing link's code is wrong, replaced or used
)
