package contract

// Error types callers see: complete-signature's and request-signature's
// Lambda errorType values (the Go type names in package fault), the error a
// decline fails the run with, and the documents API's errorType values (its
// refusals' JSON; it also answers InvalidInput and SignatureServiceUnavailable).
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

	// The documents API's own refusals.
	ErrorDocumentAlreadyStarted = "DocumentAlreadyStarted" // 409: the id has a run; a document is signed once, so sign again under a new id
	ErrorDocumentNotStarted     = "DocumentNotStarted"     // 404: no run of that id (never started, or 90 days past its end)
	ErrorDocumentTooLarge       = "DocumentTooLarge"       // 413: the body is over the documents API's limit
)
