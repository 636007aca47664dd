package signing

import (
	"encoding/json"

	"github.com/hitl-go/docsign/internal/contract"
)

// ExecutionInput is the input a document's run starts with:
// {"documentId":"<id>"}. It names the document as complete-signature's
// event does, so it is that event with the document alone.
func ExecutionInput(id string) string {
	b, _ := json.Marshal(contract.CompleteInput{DocumentID: id}) // strings only: cannot fail
	return string(b)
}
