package tokenstoretest

import (
	"testing"

	ddb "github.com/aws/aws-sdk-go-v2/service/dynamodb/types"
)

func TestDescribe(t *testing.T) {
	const secret = "tok-AQCE=="
	tests := []struct {
		name  string
		items []map[string]ddb.AttributeValue
		want  string
	}{
		{"none", nil, ""},
		{"sorted and masked", []map[string]ddb.AttributeValue{{
			"taskToken":  &ddb.AttributeValueMemberS{Value: secret},
			"expiresAt":  &ddb.AttributeValueMemberN{Value: "42"},
			"documentId": &ddb.AttributeValueMemberS{Value: "3"},
			"note":       &ddb.AttributeValueMemberS{Value: "was " + secret + "!"},
			"done":       &ddb.AttributeValueMemberBOOL{Value: true},
		}}, "{documentId=3 done=*types.AttributeValueMemberBOOL expiresAt=42 note=was [token]! taskToken=[token]}"},
		{"two items", []map[string]ddb.AttributeValue{
			{"signer": &ddb.AttributeValueMemberS{Value: "Bob"}},
			{"signer": &ddb.AttributeValueMemberS{Value: "Carol"}},
		}, "{signer=Bob} {signer=Carol}"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := Describe(tt.items, secret); got != tt.want {
				t.Errorf("Describe = %q, want %q", got, tt.want)
			}
		})
	}
}
