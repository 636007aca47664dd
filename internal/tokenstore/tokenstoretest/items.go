package tokenstoretest

import (
	"fmt"
	"reflect"
	"sort"
	"strings"
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/dynamodb"
	ddb "github.com/aws/aws-sdk-go-v2/service/dynamodb/types"
)

// Items reads every item of table with a strongly consistent scan, for a
// test to compare the table before and after a request.
func Items(t testing.TB, db *dynamodb.Client, table string) []map[string]ddb.AttributeValue {
	t.Helper()
	out, err := db.Scan(t.Context(), &dynamodb.ScanInput{TableName: aws.String(table), ConsistentRead: aws.Bool(true)})
	if err != nil {
		t.Fatalf("scan %s: %v", table, err)
	}
	return out.Items
}

// Unchanged fails t unless table still holds exactly the items before, as
// Items read them; the failure shows both, secret masked.
func Unchanged(t testing.TB, db *dynamodb.Client, table string, before []map[string]ddb.AttributeValue, secret string) {
	t.Helper()
	if after := Items(t, db, table); !reflect.DeepEqual(after, before) {
		t.Errorf("table changed:\nbefore %s\nafter  %s", Describe(before, secret), Describe(after, secret))
	}
}

// Describe renders items for a failure message, one {name=value …} per
// item with its attributes sorted; every occurrence of secret (a task
// token) in a string attribute is shown as [token].
func Describe(items []map[string]ddb.AttributeValue, secret string) string {
	var out []string
	for _, item := range items {
		var attrs []string
		for name, v := range item {
			switch v := v.(type) {
			case *ddb.AttributeValueMemberS:
				attrs = append(attrs, name+"="+strings.ReplaceAll(v.Value, secret, "[token]"))
			case *ddb.AttributeValueMemberN:
				attrs = append(attrs, name+"="+v.Value)
			default:
				attrs = append(attrs, fmt.Sprintf("%s=%T", name, v))
			}
		}
		sort.Strings(attrs)
		out = append(out, "{"+strings.Join(attrs, " ")+"}")
	}
	return strings.Join(out, " ")
}
