package inspect

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"strings"
	"testing"
	"time"

	ddbtypes "github.com/aws/aws-sdk-go-v2/service/dynamodb/types"
	sfntypes "github.com/aws/aws-sdk-go-v2/service/sfn/types"
	"github.com/hitl-go/docsign/cmd/signctl/internal/cli"
	"github.com/hitl-go/docsign/cmd/signctl/internal/clitest"
	"github.com/hitl-go/docsign/internal/contract"
)

// signerLine summarises a signer for comparison.
func signerLine(s signerStatus) string {
	line := fmt.Sprintf("%s|%s|%s", s.Signer, s.Mode, s.Status)
	for _, t := range []cli.Time{s.RequestedAt, s.CompletedAt, s.ExpiresAt} {
		if t.IsZero() {
			line += "|-"
		} else {
			line += fmt.Sprintf("|%gs", time.Time(t).Sub(clitest.T0).Seconds())
		}
	}
	if s.Reason != "" {
		line += "|reason=" + s.Reason
	}
	if s.Error != "" {
		line += "|error=" + s.Error
	}
	return line
}

func TestStatusOf(t *testing.T) {
	running, _ := clitest.SigningHistory()
	tests := []struct {
		name        string
		status      sfntypes.ExecutionStatus
		events      []sfntypes.HistoryEvent
		items       []map[string]ddbtypes.AttributeValue
		wantSigners []string
		wantPending []string
	}{
		{
			name: "Alice signed, Bob pending", status: sfntypes.ExecutionStatusRunning, events: running.Events,
			items:       []map[string]ddbtypes.AttributeValue{clitest.Item("3", "Bob", contract.StatusPending, 2, 0, 600)},
			wantSigners: []string{"Alice|auto|SIGNED|0.2s|1s|-", "Bob|callback|PENDING|2s|-|600s"},
			wantPending: []string{"Bob"},
		},
		{
			name: "Bob's request stored, TaskSubmitted not yet in the history", status: sfntypes.ExecutionStatusRunning,
			events:      running.Events[:len(running.Events)-1],
			items:       []map[string]ddbtypes.AttributeValue{clitest.Item("3", "Bob", contract.StatusPending, 2, 0, 600)},
			wantSigners: []string{"Alice|auto|SIGNED|0.2s|1s|-", "Bob|callback|PENDING|2s|-|600s"},
			wantPending: []string{"Bob"},
		},
		{
			name: "Bob signed; the table knows before the history", status: sfntypes.ExecutionStatusRunning, events: running.Events,
			items:       []map[string]ddbtypes.AttributeValue{clitest.Item("3", "Bob", contract.StatusSigned, 2, 30, 600)},
			wantSigners: []string{"Alice|auto|SIGNED|0.2s|1s|-", "Bob|callback|SIGNED|2s|30s|600s"},
			wantPending: []string{},
		},
		{
			name: "everyone signed", status: sfntypes.ExecutionStatusSucceeded, events: clitest.SignedHistory(),
			items:       []map[string]ddbtypes.AttributeValue{clitest.Item("3", "Bob", contract.StatusSigned, 2, 30, 600)},
			wantSigners: []string{"Alice|auto|SIGNED|0.2s|1s|-", "Bob|callback|SIGNED|2s|30s|600s"},
			wantPending: []string{},
		},
		{
			name: "Bob declined", status: sfntypes.ExecutionStatusFailed, events: clitest.DeclinedHistory(),
			items:       []map[string]ddbtypes.AttributeValue{clitest.WithReason(clitest.Item("3", "Bob", contract.StatusDeclined, 2, 40, 600), "wrong amount")},
			wantSigners: []string{"Alice|auto|SIGNED|0.2s|1s|-", "Bob|callback|DECLINED|2s|40s|600s|reason=wrong amount"},
			wantPending: []string{},
		},
		{
			name: "timed out; the table still says PENDING", status: sfntypes.ExecutionStatusTimedOut, events: clitest.TimedOutHistory(),
			items:       []map[string]ddbtypes.AttributeValue{clitest.Item("3", "Bob", contract.StatusPending, 2, 0, 60)},
			wantSigners: []string{"Alice|auto|SIGNED|0.2s|1s|-", "Bob|callback|EXPIRED|2s|-|60s"},
			wantPending: []string{},
		},
		{
			name: "Alice failed, Bob's task stopped", status: sfntypes.ExecutionStatusFailed, events: aliceFailsHistory(),
			items:       []map[string]ddbtypes.AttributeValue{clitest.Item("3", "Bob", contract.StatusPending, 1, 0, 600)},
			wantSigners: []string{"Alice|auto|FAILED|0.2s|5s|-|error=States.TaskFailed: boom", "Bob|callback|STOPPED|1s|-|600s"},
			wantPending: []string{},
		},
		{
			name: "an item of another run of the same id is ignored", status: sfntypes.ExecutionStatusRunning, events: running.Events,
			items:       []map[string]ddbtypes.AttributeValue{clitest.WithARN(clitest.Item("3", "Bob", contract.StatusSigned, 2, 30, 600), "arn:aws:states:us-east-1:000000000000:execution:Old:3")},
			wantSigners: []string{"Alice|auto|SIGNED|0.2s|1s|-", "Bob|callback|PENDING|0.2s|-|-"},
			wantPending: []string{"Bob"},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			f, db := clitest.NewFakeSFN(), &clitest.FakeDB{Items: tt.items}
			f.SetRun("3", tt.status, 60, tt.events)
			s := clitest.Session(f, db)
			st, err := statusOf(context.Background(), s, "3")
			if err != nil {
				t.Fatal(err)
			}
			var got []string
			for _, s := range st.Signers {
				got = append(got, signerLine(s))
			}
			if strings.Join(got, "\n") != strings.Join(tt.wantSigners, "\n") {
				t.Errorf("signers:\n got %q\nwant %q", got, tt.wantSigners)
			}
			if strings.Join(st.Pending, ",") != strings.Join(tt.wantPending, ",") {
				t.Errorf("pending = %q, want %q", st.Pending, tt.wantPending)
			}
			if got, want := st.Status, string(tt.status); got != want {
				t.Errorf("status = %s, want %s", got, want)
			}
		})
	}
}

func TestStatusQueriesWithoutTaskToken(t *testing.T) {
	f, db := clitest.NewFakeSFN(), &clitest.FakeDB{Items: []map[string]ddbtypes.AttributeValue{clitest.Item("3", "Bob", contract.StatusPending, 2, 0, 600)}}
	running, _ := clitest.SigningHistory()
	f.SetRun("3", sfntypes.ExecutionStatusRunning, 0, running.Events)
	s := clitest.Session(f, db)
	st, err := statusOf(context.Background(), s, "3")
	if err != nil {
		t.Fatal(err)
	}
	if len(db.Queries) == 0 {
		t.Fatal("no Query made")
	}
	q := db.Queries[0]
	for _, name := range q.ExpressionAttributeNames {
		if name == "taskToken" {
			t.Errorf("the Query projects taskToken: %v", q.ExpressionAttributeNames)
		}
	}
	if q.ConsistentRead == nil || !*q.ConsistentRead {
		t.Error("the Query is not a consistent read")
	}
	var out bytes.Buffer
	printStatus(&out, st, clitest.At(90))
	cli.WriteJSON(&out, st)
	if strings.Contains(out.String(), clitest.Token) {
		t.Errorf("the output shows the task token:\n%s", out.String())
	}
}

func TestPrintStatus(t *testing.T) {
	f, db := clitest.NewFakeSFN(), &clitest.FakeDB{Items: []map[string]ddbtypes.AttributeValue{clitest.WithReason(clitest.Item("3", "Bob", contract.StatusDeclined, 2, 40, 600), "wrong amount")}}
	f.SetRun("3", sfntypes.ExecutionStatusFailed, 40, clitest.DeclinedHistory())
	f.Execs[clitest.ARN("3")].Error, f.Execs[clitest.ARN("3")].Cause = clitest.Ptr(contract.ErrorSignatureDeclined), clitest.Ptr("wrong amount")
	s := clitest.Session(f, db)
	st, err := statusOf(context.Background(), s, "3")
	if err != nil {
		t.Fatal(err)
	}
	var out bytes.Buffer
	printStatus(&out, st, clitest.At(100))
	for _, want := range []string{
		"Document 3: FAILED — started 2026-11-22T10:00:00Z (1m40s ago), ended 2026-11-22T10:00:40Z after 40.0s",
		"Console: https://us-east-1.console.aws.amazon.com/states/home?region=us-east-1#/v2/executions/details/" + clitest.ARN("3"),
		"Alice   auto      SIGNED",
		"Bob     callback  DECLINED  2026-11-22T10:00:02Z  2026-11-22T10:00:40Z  2026-11-22T10:10:00Z  reason: wrong amount",
		"Declined (reason: wrong amount).",
	} {
		if !strings.Contains(out.String(), want) {
			t.Errorf("status output lacks %q:\n%s", want, out.String())
		}
	}
}

func TestStatusOfUnknownDocument(t *testing.T) {
	s := clitest.Session(clitest.NewFakeSFN(), &clitest.FakeDB{})
	_, err := statusOf(context.Background(), s, "nope")
	var ce *cli.Error
	if !errors.As(err, &ce) || ce.Exit != cli.ExitNotFound {
		t.Fatalf("err = %v, want a not-found cli.Error", err)
	}
	if want := "document nope has no run: start it with `signctl start nope`"; ce.Msg != want {
		t.Errorf("message = %q, want %q", ce.Msg, want)
	}
}
