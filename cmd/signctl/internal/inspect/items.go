package inspect

import (
	"fmt"
	"strings"

	ddbtypes "github.com/aws/aws-sdk-go-v2/service/dynamodb/types"

	"github.com/hitl-go/docsign/cmd/signctl/internal/cli"
	"github.com/hitl-go/docsign/internal/tokenstore"
)

// signctl reads token-table items projected to tokenstore.PublicAttributes:
// every attribute but the task token, so it cannot print one. The projection
// names them #a0, #a1, … (several are reserved words, e.g. "status").

// itemProjection returns the ProjectionExpression and its attribute names.
func itemProjection() (string, map[string]string) {
	names := make(map[string]string, len(tokenstore.PublicAttributes))
	refs := make([]string, len(tokenstore.PublicAttributes))
	for i, a := range tokenstore.PublicAttributes {
		refs[i] = fmt.Sprintf("#a%d", i)
		names[refs[i]] = a
	}
	return strings.Join(refs, ", "), names
}

// attrRef is the expression name of attribute a in itemProjection's names.
func attrRef(a string) string {
	for i, name := range tokenstore.PublicAttributes {
		if name == a {
			return fmt.Sprintf("#a%d", i)
		}
	}
	panic("signctl: attribute not projected: " + a)
}

// decodeItem reads a projected item (tokenstore.Decode); a decline's
// reason is scrubbed of token-shaped text.
func decodeItem(it map[string]ddbtypes.AttributeValue) (tokenstore.Request, error) {
	r, err := tokenstore.Decode(it)
	r.TaskToken = "" // never projected; cleared should a server send it anyway
	r.Reason = cli.RedactTokens(r.Reason)
	return r, err
}
