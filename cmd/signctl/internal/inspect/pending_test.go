package inspect

import (
	"bytes"
	"context"
	"fmt"
	"strings"
	"testing"
	"time"

	ddbtypes "github.com/aws/aws-sdk-go-v2/service/dynamodb/types"
	"github.com/hitl-go/docsign/cmd/signctl/internal/cli"
	"github.com/hitl-go/docsign/cmd/signctl/internal/clitest"
	"github.com/hitl-go/docsign/internal/contract"
)

func TestPendingRequests(t *testing.T) {
	db := &clitest.FakeDB{Items: []map[string]ddbtypes.AttributeValue{
		clitest.Item("b", "Bob", contract.StatusPending, 30, 0, 600),
		clitest.Item("a", "Bob", contract.StatusSigned, 5, 40, 600),
		clitest.Item("c", "Bob", contract.StatusPending, 10, 0, 600),
		clitest.Item("a", "Carol", contract.StatusPending, 30, 0, 600),
		clitest.Item("old", "Bob", contract.StatusPending, 1, 0, 50), // past its deadline at now = 100s
	}}
	reqs, err := pendingRequests(context.Background(), db, clitest.Table, clitest.At(100), true)
	if err != nil {
		t.Fatal(err)
	}
	var got []string
	for _, r := range reqs {
		got = append(got, fmt.Sprintf("%s/%s@%gs expired=%v", r.DocumentID, r.Signer, time.Time(r.RequestedAt).Sub(clitest.T0).Seconds(), r.Expired))
	}
	want := []string{"old/Bob@1s expired=true", "c/Bob@10s expired=false", "a/Carol@30s expired=false", "b/Bob@30s expired=false"}
	if strings.Join(got, "\n") != strings.Join(want, "\n") {
		t.Errorf("pending:\n got %q\nwant %q", got, want)
	}
	if n := len(db.Scans); n != 4 {
		t.Errorf("Scan pages = %d, want 4 (one per pending clitest.Item)", n)
	}
}

func TestPendingScanInput(t *testing.T) {
	tests := []struct {
		includeExpired bool
		wantFilter     string
	}{
		{false, "#a2 = :pending AND #a6 > :now"},
		{true, "#a2 = :pending"},
	}
	for _, tt := range tests {
		db := &clitest.FakeDB{}
		if _, err := pendingRequests(context.Background(), db, clitest.Table, clitest.At(100), tt.includeExpired); err != nil {
			t.Fatal(err)
		}
		in := db.Scans[0]
		if got := *in.FilterExpression; got != tt.wantFilter {
			t.Errorf("includeExpired=%v: filter %q, want %q", tt.includeExpired, got, tt.wantFilter)
		}
		if n := in.ExpressionAttributeNames["#a2"]; n != "status" {
			t.Errorf("#a2 = %q, want status", n)
		}
		if n := in.ExpressionAttributeNames["#a6"]; n != "expiresAt" {
			t.Errorf("#a6 = %q, want expiresAt", n)
		}
		if now, ok := in.ExpressionAttributeValues[":now"].(*ddbtypes.AttributeValueMemberN); !tt.includeExpired && (!ok || now.Value != fmt.Sprint(clitest.At(100).Unix())) {
			t.Errorf(":now = %v, want %d", in.ExpressionAttributeValues[":now"], clitest.At(100).Unix())
		}
		for _, name := range in.ExpressionAttributeNames {
			if name == "taskToken" {
				t.Error("the Scan projects taskToken")
			}
		}
	}
}

func TestSortPending(t *testing.T) {
	mk := func(doc, signer string, sec float64) pendingRequest {
		return pendingRequest{DocumentID: doc, Signer: signer, RequestedAt: cli.Time(clitest.At(sec))}
	}
	tests := []struct {
		name string
		in   []pendingRequest
		want string
	}{
		{"oldest first", []pendingRequest{mk("x", "Bob", 9), mk("y", "Bob", 1), mk("z", "Bob", 5)}, "y z x"},
		{"ties by document then signer", []pendingRequest{mk("b", "Bob", 1), mk("a", "Dan", 1), mk("a", "Bob", 1)}, "a a b"},
		{"empty", nil, ""},
	}
	for _, tt := range tests {
		sortPending(tt.in)
		var got []string
		for _, r := range tt.in {
			got = append(got, r.DocumentID)
		}
		if strings.Join(got, " ") != tt.want {
			t.Errorf("%s: order %q, want %q", tt.name, got, tt.want)
		}
		if tt.name == "ties by document then signer" && tt.in[0].Signer != "Bob" {
			t.Errorf("ties: first signer %s, want Bob", tt.in[0].Signer)
		}
	}
}

func TestPrintPending(t *testing.T) {
	var out bytes.Buffer
	printPending(&out, nil, clitest.At(0))
	if got, want := out.String(), "No document is waiting on a signer.\n"; got != want {
		t.Errorf("empty list: %q, want %q", got, want)
	}
	out.Reset()
	printPending(&out, []pendingRequest{
		{DocumentID: "3", Signer: "Bob", RequestedAt: cli.Time(clitest.At(2)), ExpiresAt: cli.Time(clitest.At(600))},
		{DocumentID: "old", Signer: "Bob", RequestedAt: cli.Time(clitest.At(1)), ExpiresAt: cli.Time(clitest.At(50)), Expired: true},
	}, clitest.At(100))
	for _, want := range []string{
		"DOCUMENT  SIGNER  WAITING SINCE",
		"3         Bob     2026-11-22T10:00:02Z (1m38s ago)  2026-11-22T10:10:00Z (in 8m20s)",
		"old       Bob     2026-11-22T10:00:01Z (1m39s ago)  2026-11-22T10:00:50Z (expired)",
		"2 signature requests waiting.",
	} {
		if !strings.Contains(out.String(), want) {
			t.Errorf("output lacks %q:\n%s", want, out.String())
		}
	}
}
