package inspect

import (
	sfntypes "github.com/aws/aws-sdk-go-v2/service/sfn/types"

	"github.com/hitl-go/docsign/cmd/signctl/internal/cli"
	"github.com/hitl-go/docsign/internal/contract"
	"github.com/hitl-go/docsign/internal/tokenstore"
)

// Statuses of a signer in a document's signing.
const (
	signerInProgress = "IN_PROGRESS"                  // the signer's task runs (signing, or storing the request)
	signerPending    = string(contract.StatusPending) // waiting for the signer (sign or decline)
	signerSigned     = string(contract.StatusSigned)
	signerDeclined   = string(contract.StatusDeclined)
	signerExpired    = string(contract.StatusExpired) // the run timed out first
	signerFailed     = "FAILED"                       // the signer's task failed for another reason
	signerStopped    = "STOPPED"                      // the run ended (failed or was stopped) first
)

// Signer modes (the stack's `signers` context).
const (
	modeAuto     = "auto"
	modeCallback = "callback"
)

// signerStatus is one signer's part in a document's signing.
type signerStatus struct {
	Signer      string   `json:"signer"`
	Mode        string   `json:"mode"`
	State       string   `json:"state,omitempty"` // the state that acts for the signer
	Status      string   `json:"status"`
	RequestedAt cli.Time `json:"requestedAt,omitzero"`
	CompletedAt cli.Time `json:"completedAt,omitzero"`
	ExpiresAt   cli.Time `json:"expiresAt,omitzero"`
	Reason      string   `json:"reason,omitempty"` // of a decline
	Error       string   `json:"error,omitempty"`  // of a failure
}

func (s *signerStatus) open() bool { return s.Status == signerInProgress || s.Status == signerPending }

// deriveSigners combines the run's states (read from its history and
// settled by finishRuns) with the token table's items for the document.
// Signers come in branch order (as the history entered them), then any only
// the table knows. The history decides an outcome it has seen; the table
// fills in times, reasons, and outcomes the history does not show yet.
func deriveSigners(runs []*stateRun, items []tokenstore.Request, execARN string, execStatus sfntypes.ExecutionStatus) []signerStatus {
	var order []string
	by := map[string]*signerStatus{}
	get := func(name, mode string) *signerStatus {
		if s := by[name]; s != nil {
			return s
		}
		order = append(order, name)
		by[name] = &signerStatus{Signer: name, Mode: mode}
		return by[name]
	}
	for _, r := range runs {
		if r.Signer == "" {
			continue
		}
		mode := modeAuto
		if r.waitsForCallback() {
			mode = modeCallback
		}
		fromRun(get(r.Signer, mode), r)
	}
	for _, it := range items {
		if it.ExecutionARN != "" && execARN != "" && it.ExecutionARN != execARN {
			continue // a request of another run of the same document id (e.g. an older stack)
		}
		fromItem(get(it.Signer, modeCallback), it)
	}
	out := make([]signerStatus, 0, len(order))
	for _, name := range order {
		s := by[name]
		if s.open() && execStatus != "" && execStatus != sfntypes.ExecutionStatusRunning {
			s.Status = signerStopped // the table still says PENDING, but the run is over
			if execStatus == sfntypes.ExecutionStatusTimedOut {
				s.Status = signerExpired
			}
		}
		out = append(out, *s)
	}
	return out
}

// fromRun sets the signer's status and times from their state's (latest) run.
func fromRun(s *signerStatus, r *stateRun) {
	s.State = r.Name
	s.RequestedAt = cli.Time(r.Scheduled)
	s.CompletedAt = cli.Time{}
	s.Reason, s.Error = "", ""
	switch r.Status {
	case stateSucceeded:
		s.Status, s.CompletedAt = signerSigned, cli.Time(r.Closed)
	case stateFailed, stateCaught:
		s.Status, s.CompletedAt = signerFailed, cli.Time(r.Closed)
		if r.Error == contract.ErrorSignatureDeclined {
			s.Status, s.Reason = signerDeclined, cli.RedactTokens(r.Cause)
		} else {
			s.Error = cli.ErrorText(r.Error, cli.RedactTokens(r.Cause))
		}
	case stateTimedOut:
		s.Status = signerExpired
	case stateAborted:
		s.Status = signerStopped
	case stateWaiting:
		s.Status = signerPending
	default:
		s.Status = signerInProgress
	}
}

// fromItem adds what the signer's token-table item knows.
func fromItem(s *signerStatus, it tokenstore.Request) {
	if !it.RequestedAt.IsZero() {
		s.RequestedAt = cli.Time(it.RequestedAt)
	}
	if !it.CompletedAt.IsZero() {
		s.CompletedAt = cli.Time(it.CompletedAt)
	}
	s.ExpiresAt = cli.Time(it.ExpiresAt)
	if it.Reason != "" {
		s.Reason = it.Reason
	}
	if s.Status != "" && !s.open() {
		return // the history's outcome stands
	}
	switch it.Status {
	case contract.StatusSigned:
		s.Status = signerSigned
	case contract.StatusDeclined:
		s.Status = signerDeclined
	case contract.StatusExpired:
		s.Status = signerExpired
	case contract.StatusPending:
		s.Status = signerPending
	}
}

// stillToSign lists the signers the open run still waits on.
func stillToSign(signers []signerStatus) []string {
	out := []string{}
	for _, s := range signers {
		if s.open() {
			out = append(out, s.Signer)
		}
	}
	return out
}
