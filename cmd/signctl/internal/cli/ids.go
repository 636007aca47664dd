package cli

import (
	"errors"
	"fmt"
	"regexp"
	"strconv"
	"strings"

	"github.com/spf13/cobra"

	"github.com/hitl-go/docsign/internal/contract"
)

// CheckDocumentID checks a document id against contract.CheckDocumentID
// and says what is wrong in signctl's words (a usage error).
func CheckDocumentID(id string) error {
	var bad *contract.DocumentIDError
	if err := contract.CheckDocumentID(id); !errors.As(err, &bad) {
		return err
	}
	switch {
	case bad.Length == 0:
		return UsageError(fmt.Sprintf("the document id is empty; it is 1–%d characters of letters, digits, '-' and '_'", contract.MaxDocumentIDLength))
	case bad.Bad == 0:
		return UsageError(fmt.Sprintf("the document id is %d characters long; it may have at most %d", bad.Length, contract.MaxDocumentIDLength))
	}
	return UsageError(fmt.Sprintf("the document id %q contains %q; use only letters, digits, '-' and '_'", id, bad.Bad))
}

// OneDocumentID is the Args check of commands taking a document id.
func OneDocumentID(cmd *cobra.Command, args []string) error {
	if len(args) != 1 {
		return UsageError(fmt.Sprintf("%s takes one document id, got %d arguments; see `%s --help`",
			cmd.CommandPath(), len(args), cmd.CommandPath()))
	}
	return CheckDocumentID(args[0])
}

// arnField is field i (0 = "arn") of an ARN, or "".
func arnField(arn string, i int) string {
	parts := strings.SplitN(arn, ":", i+2)
	if len(parts) < i+2 || parts[0] != "arn" {
		return ""
	}
	return parts[i]
}

// ARNPartition is the partition field of an ARN, or "".
func ARNPartition(arn string) string { return arnField(arn, 1) }

// ARNRegion is the region field of an ARN, or "".
func ARNRegion(arn string) string { return arnField(arn, 3) }

// ARNAccount is the account field of an ARN, or "".
func ARNAccount(arn string) string { return arnField(arn, 4) }

var versionSuffix = regexp.MustCompile(`^(.*)-v([0-9]+)$`)

// NextVersionID suggests the id of a new signing of the same document: 3 →
// 3-v2, 3-v2 → 3-v3, kept within the length limit.
func NextVersionID(id string) string {
	base, n := id, 2
	if m := versionSuffix.FindStringSubmatch(id); m != nil {
		if v, err := strconv.Atoi(m[2]); err == nil {
			base, n = m[1], v+1
		}
	}
	suffix := "-v" + strconv.Itoa(n)
	if len(base)+len(suffix) > contract.MaxDocumentIDLength {
		base = base[:contract.MaxDocumentIDLength-len(suffix)]
	}
	return base + suffix
}
