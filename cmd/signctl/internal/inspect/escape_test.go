package inspect

import (
	"encoding/json"
	"strings"
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws"
	ddbtypes "github.com/aws/aws-sdk-go-v2/service/dynamodb/types"
	sfntypes "github.com/aws/aws-sdk-go-v2/service/sfn/types"

	"github.com/hitl-go/docsign/cmd/signctl/internal/clitest"
	"github.com/hitl-go/docsign/internal/contract"
)

// hostileReason would retitle and clear the operator's terminal, ring its
// bell, and reverse the text after it (U+202E), or hide it (U+2066).
const hostileReason = "\x1b]0;pwned\x07\x1b[2J\u202ereversed\u2066"

// TestHostileReasonIsEscaped: a decline reason, in the run's cause, the
// history and the table, reaches neither status, watch nor the error line
// raw; JSON output stays valid and keeps the reason as sent.
func TestHostileReasonIsEscaped(t *testing.T) {
	for _, args := range [][]string{
		{"status", "3"}, {"status", "3", "--json"}, {"watch", "3"}, {"watch", "3", "--json"},
	} {
		f := clitest.NewFakeSFN()
		f.Definition = clitest.SigningDefinition
		h, s := clitest.SigningHistory()
		failed := h.TaskFailed(s.BobSubmitted, 40, contract.ErrorSignatureDeclined, hostileReason)
		parFailed := h.Add(failed, 40, sfntypes.HistoryEventTypeParallelStateFailed, nil)
		h.Add(parFailed, 40, sfntypes.HistoryEventTypeExecutionFailed, nil)
		f.SetRun("3", sfntypes.ExecutionStatusFailed, 40, h.Events)
		d := f.Execs[clitest.ARN("3")]
		d.Error, d.Cause = aws.String(contract.ErrorSignatureDeclined), aws.String(hostileReason)
		db := &clitest.FakeDB{Items: []map[string]ddbtypes.AttributeValue{
			clitest.WithReason(clitest.Item("3", "Bob", contract.StatusDeclined, 2, 40, 600), hostileReason)}}
		stdout, stderr, _ := clitest.Run(root(clitest.App(f, db, nil)), args...)
		if strings.ContainsAny(stdout+stderr, "\x1b\x07\u202e\u2066") {
			t.Errorf("%v: the reason reaches the terminal raw:\nstdout %q\nstderr %q", args, stdout, stderr)
		}
		if !strings.Contains(stdout+stderr, `\u001b]0;pwned\u0007\u001b[2J\u202ereversed\u2066`) {
			t.Errorf("%v: the reason is not shown escaped:\nstdout %q\nstderr %q", args, stdout, stderr)
		}
		if args[0] == "watch" && !strings.Contains(stderr, `signctl: document 3 was not signed: its run ended FAILED (declined, reason: \u001b]0;pwned`) {
			t.Errorf("%v: the error line %q does not show the escaped reason", args, stderr)
		}
		if args[len(args)-1] == "--json" {
			var v map[string]any // status prints the run; watch, the error with the run as detail
			err := json.Unmarshal([]byte(stdout), &v)
			if e, ok := v["error"].(map[string]any); ok {
				v, _ = e["detail"].(map[string]any)
			}
			if err != nil || v["cause"] != hostileReason {
				t.Errorf("%v: %v; cause %q, want valid JSON with the reason as sent\n%s", args, err, v["cause"], stdout)
			}
		}
	}
}
