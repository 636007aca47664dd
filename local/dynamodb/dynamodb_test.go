package dynamodb

import (
	"context"
	"errors"
	"os"
	"path/filepath"
	"slices"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	ddb "github.com/aws/aws-sdk-go-v2/service/dynamodb"
	"github.com/aws/aws-sdk-go-v2/service/dynamodb/types"

	"github.com/hitl-go/docsign/internal/dynalite"
	"github.com/hitl-go/docsign/local/cloudformation"
)

func testContext(t *testing.T) context.Context {
	ctx, cancel := context.WithTimeout(context.Background(), 60*time.Second)
	t.Cleanup(cancel)
	return ctx
}

// start runs a Service for the test, stopped when it ends. It skips when
// dynalite is not installed, unless CI is set.
func start(t *testing.T, opts Options) *Service {
	t.Helper()
	s, err := Start(testContext(t), opts)
	if errors.Is(err, dynalite.ErrNotInstalled) && os.Getenv("CI") == "" {
		t.Skipf("dynalite not available (CI unset, so skipping): %v", err)
	}
	if err != nil {
		t.Fatalf("Start: %v", err)
	}
	t.Cleanup(func() { s.Stop() })
	return s
}

func templateTables(t *testing.T) []cloudformation.Table {
	t.Helper()
	data, err := os.ReadFile("testdata/tables.template.json")
	if err != nil {
		t.Fatal(err)
	}
	stack, err := cloudformation.ParseTemplate("testdata/tables.template.json", data, "Local", cloudformation.Options{})
	if err != nil {
		t.Fatal(err)
	}
	return stack.Tables
}

// tokens is the template's TokensTable (tables are sorted by logical ID).
func tokens(t *testing.T, tables []cloudformation.Table) cloudformation.Table {
	t.Helper()
	for _, tb := range tables {
		if tb.LogicalID == "TokensTable" {
			return tb
		}
	}
	t.Fatal("no TokensTable in the template")
	return cloudformation.Table{}
}

func TestCreateTablesFromTemplate(t *testing.T) {
	s := start(t, Options{})
	ctx := testContext(t)
	tables := templateTables(t)
	began := time.Now()
	notes, err := s.CreateTables(ctx, tables)
	if err != nil {
		t.Fatal(err)
	}
	t.Logf("created %d tables in %v", len(tables), time.Since(began))
	wantNotes := []string{
		"table Global: streams are not emulated",
		`table TokensTable: time to live on "expiresAt" is not emulated (dynalite has no UpdateTimeToLive); expired items stay until deleted`,
		"table TokensTable: point-in-time recovery is not emulated",
	}
	if !slices.Equal(notes, wantNotes) {
		t.Errorf("notes = %q, want %q", notes, wantNotes)
	}
	for _, want := range tables {
		got, err := s.describe(ctx, want.Name)
		if err != nil || got == nil {
			t.Fatalf("describe %s: %v, %v", want.Name, got, err)
		}
		if got.TableStatus != types.TableStatusActive {
			t.Errorf("%s status %s, want ACTIVE", want.Name, got.TableStatus)
		}
		if err := matches(want, got); err != nil {
			t.Errorf("%s: %v", want.Name, err)
		}
		billing := types.BillingModeProvisioned
		if got.BillingModeSummary != nil {
			billing = got.BillingModeSummary.BillingMode
		}
		if string(billing) != want.BillingMode {
			t.Errorf("%s billing mode %s, want %s", want.Name, billing, want.BillingMode)
		}
	}
	indexed, _ := s.describe(ctx, "Local-indexed")
	if indexed == nil || len(indexed.GlobalSecondaryIndexes) != 1 || len(indexed.LocalSecondaryIndexes) != 1 {
		t.Fatalf("Local-indexed = %+v, want one GSI and one LSI", indexed)
	}
	gsi := indexed.GlobalSecondaryIndexes[0]
	if gsi.Projection.ProjectionType != types.ProjectionTypeInclude || !slices.Equal(gsi.Projection.NonKeyAttributes, []string{"note"}) ||
		aws.ToInt64(gsi.ProvisionedThroughput.ReadCapacityUnits) != 1 || aws.ToInt64(indexed.ProvisionedThroughput.ReadCapacityUnits) != 4 {
		t.Errorf("GSI %+v / table throughput %+v, want INCLUDE [note], 1 RCU / 4 RCU", gsi, indexed.ProvisionedThroughput)
	}

	// A second call keeps the existing tables (and their data).
	name := tokens(t, tables).Name
	put(t, s.Client(), name, "doc-1")
	if _, err := s.CreateTables(ctx, tables); err != nil {
		t.Fatalf("second CreateTables: %v", err)
	}
	if !has(t, s.Client(), name, "doc-1") {
		t.Error("item gone after a second CreateTables")
	}
}

func TestCreateTablesRefusesAChangedKeySchema(t *testing.T) {
	s := start(t, Options{})
	ctx := testContext(t)
	table := tokens(t, templateTables(t))
	if _, err := s.CreateTables(ctx, []cloudformation.Table{table}); err != nil {
		t.Fatal(err)
	}
	changed := table
	changed.KeySchema = changed.KeySchema[:1]
	_, err := s.CreateTables(ctx, []cloudformation.Table{changed})
	if err == nil {
		t.Fatal("CreateTables with a different key schema succeeded, want an error")
	}
	t.Log(err)
}

func TestRestartKeepsDataInDir(t *testing.T) {
	dir := filepath.Join(t.TempDir(), "dynamodb")
	tables := templateTables(t)
	first := start(t, Options{Dir: dir})
	if _, err := first.CreateTables(testContext(t), tables); err != nil {
		t.Fatal(err)
	}
	put(t, first.Client(), tokens(t, tables).Name, "kept")
	if err := first.Stop(); err != nil {
		t.Fatal(err)
	}
	second := start(t, Options{Dir: dir})
	if second.StaleLockCleared() {
		t.Error("StaleLockCleared after a clean stop, want false")
	}
	if _, err := second.CreateTables(testContext(t), tables); err != nil {
		t.Fatal(err)
	}
	if !has(t, second.Client(), tokens(t, tables).Name, "kept") {
		t.Error("item lost across a restart with a data directory")
	}
}

func TestInMemoryKeepsNothing(t *testing.T) {
	tables := templateTables(t)
	first := start(t, Options{})
	if _, err := first.CreateTables(testContext(t), tables); err != nil {
		t.Fatal(err)
	}
	if err := first.Stop(); err != nil {
		t.Fatal(err)
	}
	second := start(t, Options{})
	out, err := second.Client().ListTables(testContext(t), &ddb.ListTablesInput{})
	if err != nil {
		t.Fatal(err)
	}
	if len(out.TableNames) != 0 {
		t.Errorf("tables after an in-memory restart: %q, want none", out.TableNames)
	}
}

func put(t *testing.T, c *ddb.Client, table, doc string) {
	t.Helper()
	_, err := c.PutItem(testContext(t), &ddb.PutItemInput{TableName: aws.String(table), Item: map[string]types.AttributeValue{
		"documentId": &types.AttributeValueMemberS{Value: doc},
		"signer":     &types.AttributeValueMemberS{Value: "Bob"},
	}})
	if err != nil {
		t.Fatalf("PutItem %s: %v", doc, err)
	}
}

func has(t *testing.T, c *ddb.Client, table, doc string) bool {
	t.Helper()
	out, err := c.GetItem(testContext(t), &ddb.GetItemInput{TableName: aws.String(table), Key: map[string]types.AttributeValue{
		"documentId": &types.AttributeValueMemberS{Value: doc},
		"signer":     &types.AttributeValueMemberS{Value: "Bob"},
	}})
	if err != nil {
		t.Fatalf("GetItem %s: %v", doc, err)
	}
	return out.Item != nil
}
