package dynalite_test

import (
	"context"
	"errors"
	"net"
	"os"
	"strings"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/dynamodb"
	ddbtypes "github.com/aws/aws-sdk-go-v2/service/dynamodb/types"

	"github.com/hitl-go/docsign/internal/dynalite"
	"github.com/hitl-go/docsign/internal/dynalite/dynalitetest"
	"github.com/hitl-go/docsign/internal/nodemodules"
	"github.com/hitl-go/docsign/internal/proctest"
)

func TestStartServesDynamoDBAndStopEndsProcess(t *testing.T) {
	s := dynalitetest.Start(t)
	if got := s.Endpoint(); !strings.HasPrefix(got, "http://127.0.0.1:") {
		t.Errorf("Endpoint() = %q, want http://127.0.0.1:PORT", got)
	}
	ctx := t.Context()
	db := dynalitetest.Client(s)
	createTable(t, db, "table1")
	putItem(t, db, "table1", "k1")
	if got := getItem(t, db, "table1", "k1"); !got {
		t.Fatalf("item k1 not found after PutItem")
	}
	pid := s.Pid()
	if err := s.Stop(); err != nil {
		t.Fatalf("Stop() = %v, want nil", err)
	}
	select {
	case <-s.Done():
	default:
		t.Fatal("Done() not closed after Stop")
	}
	if proctest.Alive(pid) {
		t.Errorf("process %d still alive after Stop", pid)
	}
	if err := s.Stop(); err != nil {
		t.Errorf("second Stop() = %v, want nil", err)
	}
	if _, err := db.ListTables(ctx, &dynamodb.ListTablesInput{}); err == nil {
		t.Error("ListTables after Stop succeeded, want connection error")
	}
}

func TestDirPersistsAcrossRestarts(t *testing.T) {
	dir := t.TempDir() + "/data"
	start := func() *dynalite.Server {
		s, err := dynalite.Start(t.Context(), dynalite.Options{Dir: dir})
		if errors.Is(err, dynalite.ErrNotInstalled) && os.Getenv("CI") == "" {
			t.Skip(err)
		}
		if err != nil {
			t.Fatal(err)
		}
		t.Cleanup(func() { s.Stop() })
		return s
	}
	s := start()
	db := dynalitetest.Client(s)
	createTable(t, db, "table1")
	putItem(t, db, "table1", "kept")
	if err := s.Stop(); err != nil {
		t.Fatal(err)
	}
	if got := getItem(t, dynalitetest.Client(start()), "table1", "kept"); !got {
		t.Error("item written before restart not found after restart")
	}
}

func TestConcurrentStartsGetDistinctPorts(t *testing.T) {
	const n = 3
	endpoints := make(chan string, n)
	for range n {
		go func() {
			s, err := dynalite.Start(t.Context(), dynalite.Options{})
			if err != nil {
				endpoints <- "error: " + err.Error()
				return
			}
			t.Cleanup(func() { s.Stop() })
			endpoints <- s.Endpoint()
		}()
	}
	seen := map[string]bool{}
	for range n {
		e := <-endpoints
		if strings.HasPrefix(e, "error: ") {
			t.Fatal(e)
		}
		if seen[e] {
			t.Errorf("endpoint %s handed out twice", e)
		}
		seen[e] = true
	}
}

func TestStartFailsOnTakenAddress(t *testing.T) {
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer l.Close()
	_, err = dynalite.Start(t.Context(), dynalite.Options{Addr: l.Addr().String()})
	if errors.Is(err, dynalite.ErrNotInstalled) && os.Getenv("CI") == "" {
		t.Skip(err)
	}
	if err == nil || !strings.Contains(err.Error(), "EADDRINUSE") {
		t.Errorf("Start on a taken address: err = %v, want one naming EADDRINUSE", err)
	}
}

func TestStartRejectsNonLoopbackAddr(t *testing.T) {
	for _, addr := range []string{"0.0.0.0:4567", "10.1.2.3:0", "example.com:80", "127.0.0.1", "127.0.0.1:x"} {
		if _, err := dynalite.Start(t.Context(), dynalite.Options{Addr: addr}); err == nil {
			t.Errorf("Start(Addr %q) succeeded, want an error", addr)
		}
	}
}

func TestStartWithoutDynaliteNamesNpmCI(t *testing.T) {
	t.Setenv(nodemodules.Env, t.TempDir())
	_, err := dynalite.Start(t.Context(), dynalite.Options{})
	if !errors.Is(err, dynalite.ErrNotInstalled) {
		t.Fatalf("err = %v, want ErrNotInstalled", err)
	}
	if !strings.Contains(err.Error(), "npm ci") {
		t.Errorf("err = %q, want it to name npm ci", err)
	}
}

func TestStartHonoursContext(t *testing.T) {
	ctx, cancel := context.WithCancel(t.Context())
	cancel()
	if s, err := dynalite.Start(ctx, dynalite.Options{}); err == nil {
		s.Stop()
		t.Error("Start with a cancelled context succeeded, want an error")
	}
}

func createTable(t *testing.T, db *dynamodb.Client, name string) {
	t.Helper()
	_, err := db.CreateTable(t.Context(), &dynamodb.CreateTableInput{
		TableName:            aws.String(name),
		BillingMode:          ddbtypes.BillingModePayPerRequest,
		AttributeDefinitions: []ddbtypes.AttributeDefinition{{AttributeName: aws.String("k"), AttributeType: ddbtypes.ScalarAttributeTypeS}},
		KeySchema:            []ddbtypes.KeySchemaElement{{AttributeName: aws.String("k"), KeyType: ddbtypes.KeyTypeHash}},
	})
	if err != nil {
		t.Fatalf("CreateTable: %v", err)
	}
	w := dynamodb.NewTableExistsWaiter(db, func(o *dynamodb.TableExistsWaiterOptions) { o.MinDelay = 50 * time.Millisecond })
	if err := w.Wait(t.Context(), &dynamodb.DescribeTableInput{TableName: aws.String(name)}, 10*time.Second); err != nil {
		t.Fatalf("wait for table: %v", err)
	}
}

func putItem(t *testing.T, db *dynamodb.Client, table, key string) {
	t.Helper()
	_, err := db.PutItem(t.Context(), &dynamodb.PutItemInput{
		TableName: aws.String(table),
		Item:      map[string]ddbtypes.AttributeValue{"k": &ddbtypes.AttributeValueMemberS{Value: key}},
	})
	if err != nil {
		t.Fatalf("PutItem: %v", err)
	}
}

func getItem(t *testing.T, db *dynamodb.Client, table, key string) bool {
	t.Helper()
	out, err := db.GetItem(t.Context(), &dynamodb.GetItemInput{
		TableName: aws.String(table),
		Key:       map[string]ddbtypes.AttributeValue{"k": &ddbtypes.AttributeValueMemberS{Value: key}},
	})
	if err != nil {
		t.Fatalf("GetItem: %v", err)
	}
	return out.Item != nil
}
