package main

import (
	"fmt"
	"regexp"
	"strconv"
	"strings"

	"github.com/spf13/cobra"
)

// maxDocumentIDLength is the longest document id (DESIGN.md contract: 1–80
// characters of [A-Za-z0-9_-], names CloudWatch logging accepts).
const maxDocumentIDLength = 80

// validateDocumentID checks a document id against the contract, in words.
func validateDocumentID(id string) error {
	switch {
	case id == "":
		return usageError("the document id is empty; it is 1–80 characters of letters, digits, '-' and '_'")
	case len(id) > maxDocumentIDLength:
		return usageError(fmt.Sprintf("the document id is %d characters long; it may have at most %d", len(id), maxDocumentIDLength))
	}
	for _, r := range id {
		if !(r >= 'a' && r <= 'z' || r >= 'A' && r <= 'Z' || r >= '0' && r <= '9' || r == '-' || r == '_') {
			return usageError(fmt.Sprintf("the document id %q contains %q; use only letters, digits, '-' and '_'", id, r))
		}
	}
	return nil
}

// executionARN is the ARN of the execution named name of the state machine
// stateMachineARN ("arn:P:states:R:A:stateMachine:SM" → "arn:P:states:R:A:execution:SM:name").
func executionARN(stateMachineARN, name string) (string, error) {
	parts := strings.Split(stateMachineARN, ":")
	if len(parts) != 7 || parts[0] != "arn" || parts[2] != "states" || parts[5] != "stateMachine" || parts[6] == "" {
		return "", fmt.Errorf("%q is not a state machine ARN", stateMachineARN)
	}
	parts[5] = "execution"
	return strings.Join(parts, ":") + ":" + name, nil
}

// arnRegion is the region field of an ARN, or "".
func arnRegion(arn string) string {
	parts := strings.SplitN(arn, ":", 5)
	if len(parts) < 5 || parts[0] != "arn" {
		return ""
	}
	return parts[3]
}

// arnAccount is the account field of an ARN, or "".
func arnAccount(arn string) string {
	parts := strings.SplitN(arn, ":", 6)
	if len(parts) < 6 || parts[0] != "arn" {
		return ""
	}
	return parts[4]
}

// arnPartition is the partition field of an ARN, or "".
func arnPartition(arn string) string {
	parts := strings.SplitN(arn, ":", 3)
	if len(parts) < 3 || parts[0] != "arn" {
		return ""
	}
	return parts[1]
}

var versionSuffix = regexp.MustCompile(`^(.*)-v([0-9]+)$`)

// nextVersionID suggests the id of a new signing of the same document: 3 →
// 3-v2, 3-v2 → 3-v3, kept within the length limit.
func nextVersionID(id string) string {
	base, n := id, 2
	if m := versionSuffix.FindStringSubmatch(id); m != nil {
		if v, err := strconv.Atoi(m[2]); err == nil {
			base, n = m[1], v+1
		}
	}
	suffix := "-v" + strconv.Itoa(n)
	if len(base)+len(suffix) > maxDocumentIDLength {
		base = base[:maxDocumentIDLength-len(suffix)]
	}
	return base + suffix
}

// oneDocumentID is the Args check of commands taking a document id.
func oneDocumentID(cmd *cobra.Command, args []string) error {
	if len(args) != 1 {
		return usageError(fmt.Sprintf("%s takes one document id, got %d arguments; see `%s --help`",
			cmd.CommandPath(), len(args), cmd.CommandPath()))
	}
	return validateDocumentID(args[0])
}
