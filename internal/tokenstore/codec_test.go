package tokenstore

import (
	"slices"
	"testing"
	"time"

	ddb "github.com/aws/aws-sdk-go-v2/service/dynamodb/types"

	"github.com/hitl-go/docsign/internal/contract"
	"github.com/hitl-go/docsign/internal/signature"
)

// TestCodecNamesTheContract checks the struct tags against the contract's
// attribute names, and the time encodings.
func TestCodecNamesTheContract(t *testing.T) {
	at := time.Unix(1_900_000_000, 125_000_000)
	full := Request{
		Key: Key{DocumentID: "3", Signer: "Bob"}, TaskToken: "tok", Status: contract.StatusSigned, ExecutionARN: "arn:x",
		RequestedAt: at, ExpiresAt: at, ClaimID: "c", ClaimExpiresAt: at, CompletedAt: at, Decision: "decline", Reason: "r",
		Document: signature.Document{Bucket: "b", Key: "documents/3", VersionID: "v", SHA256: "00"}, JWS: "h.p.s",
		CodeHash: contract.HashCode("code"),
	}
	item := full.item()
	var got []string
	for name := range item {
		got = append(got, name)
	}
	want := append(slices.Clone(PublicAttributes), contract.AttrTaskToken, contract.AttrCodeHash, attrClaimID, attrClaimExpiresAt)
	slices.Sort(got)
	slices.Sort(want)
	if !slices.Equal(got, want) {
		t.Errorf("attributes = %v, want %v", got, want)
	}
	tests := []struct{ attr, want string }{
		{contract.AttrRequestedAt, "1900000000.125"}, // milliseconds order attempts
		{contract.AttrExpiresAt, "1900000000"},       // whole seconds: the TTL attribute
		{contract.AttrCompletedAt, "1900000000"},
	}
	for _, tt := range tests {
		if n, ok := item[tt.attr].(*ddb.AttributeValueMemberN); !ok || n.Value != tt.want {
			t.Errorf("%s = %#v, want N %s", tt.attr, item[tt.attr], tt.want)
		}
	}
	back, err := Decode(item)
	if err != nil || !back.RequestedAt.Equal(at) || back.ExpiresAt.Unix() != at.Unix() || back.TaskToken != "tok" {
		t.Errorf("Decode = %+v, %v; want the request back", back, err)
	}
	if empty := (Request{Key: full.Key, Status: contract.StatusPending}).item(); len(empty) != 3 {
		t.Errorf("a request without times or token has attributes %v, want only the key and status", empty)
	}
	bad := full.item()
	bad[contract.AttrExpiresAt] = &ddb.AttributeValueMemberN{Value: "soon"}
	if _, err := Decode(bad); err == nil {
		t.Error("Decode of a non-numeric expiresAt succeeded, want an error")
	}
}
