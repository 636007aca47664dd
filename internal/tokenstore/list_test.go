package tokenstore_test

import (
	"context"
	"fmt"
	"slices"
	"strings"
	"testing"

	"github.com/aws/aws-sdk-go-v2/service/dynamodb"

	"github.com/hitl-go/docsign/internal/contract"
	"github.com/hitl-go/docsign/internal/signature"
	"github.com/hitl-go/docsign/internal/tokenstore"
)

// pageRecorder passes Query through and keeps each page as DynamoDB sent it.
type pageRecorder struct {
	db    tokenstore.Querier
	pages []*dynamodb.QueryOutput
}

func (p *pageRecorder) Query(ctx context.Context, in *dynamodb.QueryInput, opts ...func(*dynamodb.Options)) (*dynamodb.QueryOutput, error) {
	out, err := p.db.Query(ctx, in, opts...)
	if err == nil {
		p.pages = append(p.pages, out)
	}
	return out, err
}

// testList reads a document's requests: every signer's, no other
// document's, and never a task token or a link code's hash off the wire.
func testList(t *testing.T, store *tokenstore.Store, db *dynamodb.Client, table string) {
	doc := signature.Document{Bucket: "b", Key: "documents/list", VersionID: "v1", SHA256: "ab"}
	alice := tokenstore.Request{Key: tokenstore.Key{DocumentID: "list", Signer: "Alice"}, ExecutionARN: run1,
		Document: doc, CompletedAt: t0, Decision: contract.DecisionSign, JWS: "h.p.s"}
	if err := store.Record(t.Context(), alice); err != nil {
		t.Fatal(err)
	}
	bob := pending("list", "secret-token", run1)
	bob.CodeHash = contract.HashCode("code")
	bob.Document = doc
	mustPut(t, store, bob)
	carol := pending("list", "carol-token", run1)
	carol.Signer = "Carol"
	mustPut(t, store, carol)
	if _, err := store.Claim(t.Context(), carol.Key, "c1", t0, lease, ""); err != nil {
		t.Fatal(err)
	}
	declined := tokenstore.Outcome{Status: contract.StatusDeclined, Decision: contract.DecisionDecline, Reason: "wrong amount", At: t0}
	if err := store.Finish(t.Context(), carol.Key, "c1", declined); err != nil {
		t.Fatal(err)
	}
	mustPut(t, store, pending("list-other", "other-token", run2))

	rec := &pageRecorder{db: db}
	got, err := tokenstore.ListTable(t.Context(), rec, table, "list")
	if err != nil {
		t.Fatalf("ListTable = %v", err)
	}
	var signers []string
	for _, r := range got {
		signers = append(signers, r.Signer)
	}
	if !slices.Equal(signers, []string{"Alice", "Bob", "Carol"}) {
		t.Fatalf("signers = %v, want [Alice Bob Carol] (signer order, no other document's)", signers)
	}
	alice.Status = contract.StatusSigned
	bob.TaskToken, bob.CodeHash, bob.Status = "", "", contract.StatusPending
	if got[0] != alice || got[1] != bob {
		t.Errorf("listed\n%+v\n%+v\nwant\n%+v\n%+v", got[0], got[1], alice, bob)
	}
	if c := got[2]; c.Status != contract.StatusDeclined || c.Reason != "wrong amount" || !c.CompletedAt.Equal(t0) || c.ClaimID != "" {
		t.Errorf("Carol = %+v, want DECLINED with the reason, completed at t0", c)
	}
	for _, page := range rec.pages {
		for _, it := range page.Items {
			for _, hidden := range []string{contract.AttrTaskToken, contract.AttrCodeHash, "claimId"} {
				if _, ok := it[hidden]; ok {
					t.Errorf("DynamoDB sent %s of %v: the projection must keep it out", hidden, it[contract.AttrSigner])
				}
			}
		}
	}
	if got, err := store.List(t.Context(), "absent"); err != nil || len(got) != 0 {
		t.Errorf("List(absent) = %v, %v; want nothing", got, err)
	}
	testListPages(t, store, db, table)
}

// testListPages: a document whose items pass DynamoDB's 1 MB page is read
// whole, over several pages.
func testListPages(t *testing.T, store *tokenstore.Store, db *dynamodb.Client, table string) {
	const signers = 4
	big := strings.Repeat("j", 300<<10) // 4 × 300 KiB > one 1 MB page
	for i := range signers {
		r := tokenstore.Request{Key: tokenstore.Key{DocumentID: "list-big", Signer: fmt.Sprint("S", i)},
			ExecutionARN: run1, CompletedAt: t0, Decision: contract.DecisionSign, JWS: big}
		if err := store.Record(t.Context(), r); err != nil {
			t.Fatal(err)
		}
	}
	rec := &pageRecorder{db: db}
	got, err := tokenstore.ListTable(t.Context(), rec, table, "list-big")
	if err != nil || len(got) != signers {
		t.Fatalf("ListTable = %d requests, %v; want %d", len(got), err, signers)
	}
	if len(rec.pages) < 2 {
		t.Errorf("read in %d page(s), want several: the test did not exercise pagination", len(rec.pages))
	}
}
