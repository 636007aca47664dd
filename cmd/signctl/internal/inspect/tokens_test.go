package inspect

import (
	"context"
	"errors"
	"strings"
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/dynamodb"
	ddbtypes "github.com/aws/aws-sdk-go-v2/service/dynamodb/types"
	sfntypes "github.com/aws/aws-sdk-go-v2/service/sfn/types"
	"github.com/spf13/cobra"

	"github.com/hitl-go/docsign/cmd/signctl/internal/cli"
	"github.com/hitl-go/docsign/cmd/signctl/internal/clitest"
	"github.com/hitl-go/docsign/internal/contract"
)

// Task tokens shaped as AWS's (hundreds of base64 characters) and as the
// local engine's (64 base64url characters), and one under a key named like
// a token but shaped like neither.
var (
	awsToken    = strings.Repeat("AQB4+/aZ09", 30) + "="
	engineToken = "Xq3_9fK2-LmN0pQrStUvWxYz1234567890abcdefGHIJKLmnopqrstuvwxyzAB_-"
	otherToken  = "other-secret-0002-do-not-print"
)

func root(a *cli.App) *cobra.Command {
	return cli.NewRoot(NewStatusCmd(a), NewWatchCmd(a), NewPendingCmd(a))
}

// queryFailure is a token table whose Query fails with a message quoting a token.
type queryFailure struct{ *clitest.FakeDB }

func (queryFailure) Query(context.Context, *dynamodb.QueryInput, ...func(*dynamodb.Options)) (*dynamodb.QueryOutput, error) {
	return nil, errors.New("query refused for token " + engineToken)
}

// TestNoTaskTokenRead: status and watch read the history without execution
// data, so the token the history passed to the callback task never reaches
// signctl; the table's token is never projected.
func TestNoTaskTokenRead(t *testing.T) {
	for _, args := range [][]string{{"status", "3"}, {"status", "3", "--json"}, {"watch", "3", "--json"}} {
		f := clitest.NewFakeSFN()
		f.Definition = clitest.SigningDefinition
		f.SetRun("3", sfntypes.ExecutionStatusFailed, 40, clitest.DeclinedHistory()) // Bob's task got clitest.Token
		db := &clitest.FakeDB{Items: []map[string]ddbtypes.AttributeValue{clitest.Item("3", "Bob", contract.StatusDeclined, 2, 40, 600)}}
		stdout, stderr, _ := clitest.Run(root(clitest.App(f, db, nil)), args...)
		if len(f.HistoryReads) == 0 {
			t.Fatalf("%v: no history read", args)
		}
		for _, in := range f.HistoryReads {
			if in.IncludeExecutionData == nil || *in.IncludeExecutionData {
				t.Errorf("%v: the history is read with execution data (task parameters hold the token)", args)
			}
		}
		if strings.Contains(stdout+stderr, clitest.Token) {
			t.Errorf("%v: the output shows the task token:\n%s%s", args, stdout, stderr)
		}
	}
}

// TestTokensInRunDataNeverPrinted: a task token that shows up in what
// signctl still reads — the run's output under any key, a cause, an error —
// is hidden, in words and in JSON.
func TestTokensInRunDataNeverPrinted(t *testing.T) {
	tests := []struct {
		name   string
		status sfntypes.ExecutionStatus
		output string
		cause  string
		failDB bool
		args   []string
	}{
		{name: "output under myKey, JSON", status: sfntypes.ExecutionStatusSucceeded,
			output: `{"documentId":"3","Payload":{"myKey":"` + awsToken + `"},"token":"` + otherToken + `"}`, args: []string{"status", "3", "--json"}},
		{name: "cause, words", status: sfntypes.ExecutionStatusFailed, cause: "callback " + engineToken + " failed", args: []string{"status", "3"}},
		{name: "cause, JSON", status: sfntypes.ExecutionStatusFailed, cause: `{"token":"` + otherToken + `","note":"` + awsToken + `"}`,
			args: []string{"status", "3", "--json"}},
		{name: "error, words", status: sfntypes.ExecutionStatusRunning, failDB: true, args: []string{"status", "3"}},
		{name: "error, JSON", status: sfntypes.ExecutionStatusRunning, failDB: true, args: []string{"status", "3", "--json"}},
		{name: "watch, JSON", status: sfntypes.ExecutionStatusFailed, cause: "callback " + engineToken + " failed", args: []string{"watch", "3", "--json"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			f := clitest.NewFakeSFN()
			f.Definition = clitest.SigningDefinition
			h, _ := clitest.TasksScheduled()
			f.SetRun("3", tt.status, 40, h.Events)
			d := f.Execs[clitest.ARN("3")]
			if tt.output != "" {
				d.Output = aws.String(tt.output)
			}
			if tt.cause != "" {
				d.Error, d.Cause = aws.String("States.TaskFailed"), aws.String(tt.cause)
			}
			db := &clitest.FakeDB{Items: []map[string]ddbtypes.AttributeValue{clitest.Item("3", "Bob", contract.StatusPending, 2, 0, 600)}}
			a := clitest.App(f, db, nil)
			if tt.failDB {
				connect := a.Connect
				a.Connect = func(ctx context.Context, o *cli.Options) (*cli.Session, error) {
					s, err := connect(ctx, o)
					s.DB = queryFailure{db}
					return s, err
				}
			}
			stdout, stderr, _ := clitest.Run(root(a), tt.args...)
			for _, secret := range []string{awsToken, engineToken, otherToken} {
				if strings.Contains(stdout+stderr, secret) {
					t.Errorf("output shows %s:\nstdout: %s\nstderr: %s", secret, stdout, stderr)
				}
			}
			if !strings.Contains(stdout+stderr, cli.Redacted) {
				t.Errorf("nothing was redacted:\nstdout: %s\nstderr: %s", stdout, stderr)
			}
		})
	}
}
