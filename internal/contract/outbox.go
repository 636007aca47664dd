package contract

import "time"

// OutboxPath is where the local stack serves the mail its SNS kept instead
// of sending (GET, loopback and the stack's own origin only): a JSON list of
// OutboxEntry, oldest first. `signctl outbox` and the local console read it;
// it stands in for a signer's mailbox, so its links carry one-time codes.
const OutboxPath = "/_local/outbox"

// OutboxEntry is one message of the local outbox, and what
// `signctl outbox --json` prints for it.
type OutboxEntry struct {
	DocumentID string `json:"documentId"` // the message attribute MessageAttrDocumentID, "" if none
	Signer     string `json:"signer"`     // the message attribute MessageAttrSigner, "" if none
	// To is the email subscription's endpoint; "" for a message no
	// subscription took (kept all the same).
	To      string `json:"to"`
	Subject string `json:"subject"`
	Body    string `json:"body"`
	// Link is the signing link in Body (ApiUrl + SignRoutePrefix …, with its
	// one-time code), "" if it has none.
	Link   string    `json:"link"`
	SentAt time.Time `json:"sentAt"`
}
