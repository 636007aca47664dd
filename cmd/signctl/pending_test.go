package main

import (
	"bytes"
	"context"
	"fmt"
	"strings"
	"testing"
	"time"

	ddbtypes "github.com/aws/aws-sdk-go-v2/service/dynamodb/types"
)

func TestPendingRequests(t *testing.T) {
	db := &fakeDB{items: []map[string]ddbtypes.AttributeValue{
		item("b", "Bob", itemPending, 30, 0, 600),
		item("a", "Bob", itemSigned, 5, 40, 600),
		item("c", "Bob", itemPending, 10, 0, 600),
		item("a", "Carol", itemPending, 30, 0, 600),
		item("old", "Bob", itemPending, 1, 0, 50), // past its deadline at now = 100s
	}}
	reqs, err := pendingRequests(context.Background(), db, testTable, at(100), true)
	if err != nil {
		t.Fatal(err)
	}
	var got []string
	for _, r := range reqs {
		got = append(got, fmt.Sprintf("%s/%s@%gs expired=%v", r.DocumentID, r.Signer, time.Time(r.RequestedAt).Sub(t0).Seconds(), r.Expired))
	}
	want := []string{"old/Bob@1s expired=true", "c/Bob@10s expired=false", "a/Carol@30s expired=false", "b/Bob@30s expired=false"}
	if strings.Join(got, "\n") != strings.Join(want, "\n") {
		t.Errorf("pending:\n got %q\nwant %q", got, want)
	}
	if n := len(db.scans); n != 4 {
		t.Errorf("Scan pages = %d, want 4 (one per pending item)", n)
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
		db := &fakeDB{}
		if _, err := pendingRequests(context.Background(), db, testTable, at(100), tt.includeExpired); err != nil {
			t.Fatal(err)
		}
		in := db.scans[0]
		if got := *in.FilterExpression; got != tt.wantFilter {
			t.Errorf("includeExpired=%v: filter %q, want %q", tt.includeExpired, got, tt.wantFilter)
		}
		if n := in.ExpressionAttributeNames["#a2"]; n != "status" {
			t.Errorf("#a2 = %q, want status", n)
		}
		if n := in.ExpressionAttributeNames["#a6"]; n != "expiresAt" {
			t.Errorf("#a6 = %q, want expiresAt", n)
		}
		if now, ok := in.ExpressionAttributeValues[":now"].(*ddbtypes.AttributeValueMemberN); !tt.includeExpired && (!ok || now.Value != fmt.Sprint(at(100).Unix())) {
			t.Errorf(":now = %v, want %d", in.ExpressionAttributeValues[":now"], at(100).Unix())
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
		return pendingRequest{DocumentID: doc, Signer: signer, RequestedAt: jsonTime(at(sec))}
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
	printPending(&out, nil, at(0))
	if got, want := out.String(), "No document is waiting on a signer.\n"; got != want {
		t.Errorf("empty list: %q, want %q", got, want)
	}
	out.Reset()
	printPending(&out, []pendingRequest{
		{DocumentID: "3", Signer: "Bob", RequestedAt: jsonTime(at(2)), ExpiresAt: jsonTime(at(600))},
		{DocumentID: "old", Signer: "Bob", RequestedAt: jsonTime(at(1)), ExpiresAt: jsonTime(at(50)), Expired: true},
	}, at(100))
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
