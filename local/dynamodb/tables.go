package dynamodb

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	ddb "github.com/aws/aws-sdk-go-v2/service/dynamodb"
	"github.com/aws/aws-sdk-go-v2/service/dynamodb/types"

	"github.com/hitl-go/docsign/local/cloudformation"
)

// defaultCapacity is used for a PROVISIONED table or index whose template
// gives no throughput (dynalite requires one; CDK's default is 5/5).
const defaultCapacity = 5

// activePoll is how often CreateTables checks whether a table is ACTIVE.
const activePoll = 50 * time.Millisecond

// CreateTables creates each table the template defines — keys, attribute
// definitions, indexes, billing mode — and waits until all are ACTIVE. A
// table left by an earlier run is kept, with its data, if its keys and
// indexes still match. It returns one note per setting the local stack does
// not emulate (TTL, point-in-time recovery, streams).
func (s *Service) CreateTables(ctx context.Context, tables []cloudformation.Table) ([]string, error) {
	var notes []string
	for _, t := range tables {
		notes = append(notes, notEmulated(t)...)
		existing, err := s.describe(ctx, t.Name)
		if err != nil {
			return notes, err
		}
		if existing != nil {
			if err := matches(t, existing); err != nil {
				return notes, fmt.Errorf("table %s (%s) exists from an earlier run but %w; remove it or the data directory", t.Name, t.LogicalID, err)
			}
			continue
		}
		_, err = s.client.CreateTable(ctx, createTableInput(t))
		var inUse *types.ResourceInUseException
		if err != nil && !errors.As(err, &inUse) {
			return notes, fmt.Errorf("create table %s (%s): %w", t.Name, t.LogicalID, err)
		}
	}
	for _, t := range tables {
		if err := s.waitActive(ctx, t.Name); err != nil {
			return notes, err
		}
	}
	return notes, nil
}

func notEmulated(t cloudformation.Table) []string {
	var notes []string
	if t.TTL != nil && t.TTL.Enabled {
		notes = append(notes, fmt.Sprintf("table %s: time to live on %q is not emulated (dynalite has no UpdateTimeToLive); expired items stay until deleted",
			t.LogicalID, t.TTL.AttributeName))
	}
	if t.PointInTimeRecovery {
		notes = append(notes, fmt.Sprintf("table %s: point-in-time recovery is not emulated", t.LogicalID))
	}
	if t.StreamARN != "" {
		notes = append(notes, fmt.Sprintf("table %s: streams are not emulated", t.LogicalID))
	}
	return notes
}

// describe returns the table's description, or nil if it does not exist.
func (s *Service) describe(ctx context.Context, name string) (*types.TableDescription, error) {
	out, err := s.client.DescribeTable(ctx, &ddb.DescribeTableInput{TableName: aws.String(name)})
	var notFound *types.ResourceNotFoundException
	if errors.As(err, &notFound) {
		return nil, nil
	}
	if err != nil {
		return nil, fmt.Errorf("describe table %s: %w", name, err)
	}
	return out.Table, nil
}

// waitActive polls until the table and its global indexes are ACTIVE.
func (s *Service) waitActive(ctx context.Context, name string) error {
	tick := time.NewTicker(activePoll)
	defer tick.Stop()
	for {
		t, err := s.describe(ctx, name)
		if err != nil {
			return err
		}
		if t != nil && active(t) {
			return nil
		}
		select {
		case <-ctx.Done():
			return fmt.Errorf("table %s not ACTIVE: %w", name, ctx.Err())
		case <-tick.C:
		}
	}
}

func active(t *types.TableDescription) bool {
	if t.TableStatus != types.TableStatusActive {
		return false
	}
	for _, ix := range t.GlobalSecondaryIndexes {
		if ix.IndexStatus != types.IndexStatusActive {
			return false
		}
	}
	return true
}

// matches reports, as an error, how an existing table differs from the
// template in what cannot change in place: keys and index names.
func matches(want cloudformation.Table, got *types.TableDescription) error {
	if w, g := keyStrings(keySchema(want.KeySchema)), keyStrings(got.KeySchema); !slices.Equal(w, g) {
		return fmt.Errorf("its key schema is %v, the template's %v", g, w)
	}
	var wantIx, gotIx []string
	for _, ix := range append(slices.Clone(want.GlobalSecondaryIndexes), want.LocalSecondaryIndexes...) {
		wantIx = append(wantIx, ix.IndexName)
	}
	for _, ix := range got.GlobalSecondaryIndexes {
		gotIx = append(gotIx, aws.ToString(ix.IndexName))
	}
	for _, ix := range got.LocalSecondaryIndexes {
		gotIx = append(gotIx, aws.ToString(ix.IndexName))
	}
	slices.Sort(wantIx)
	slices.Sort(gotIx)
	if !slices.Equal(wantIx, gotIx) {
		return fmt.Errorf("its indexes are %q, the template's %q", gotIx, wantIx)
	}
	return nil
}

func keyStrings(ks []types.KeySchemaElement) []string {
	var out []string
	for _, k := range ks {
		out = append(out, aws.ToString(k.AttributeName)+" "+string(k.KeyType))
	}
	return out
}
