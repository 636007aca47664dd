package inspect

import (
	"cmp"
	"context"
	"fmt"
	"io"
	"slices"
	"strconv"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/dynamodb"
	ddbtypes "github.com/aws/aws-sdk-go-v2/service/dynamodb/types"
	"github.com/spf13/cobra"

	"github.com/hitl-go/docsign/cmd/signctl/internal/cli"
	"github.com/hitl-go/docsign/internal/contract"
	"github.com/hitl-go/docsign/internal/tokenstore"
)

// tableScanner lists the DynamoDB call of `signctl pending`.
type tableScanner interface {
	Scan(context.Context, *dynamodb.ScanInput, ...func(*dynamodb.Options)) (*dynamodb.ScanOutput, error)
}

// pendingRequest is one signer a document waits on.
type pendingRequest struct {
	DocumentID   string   `json:"documentId"`
	Signer       string   `json:"signer"`
	RequestedAt  cli.Time `json:"requestedAt,omitzero"`
	ExpiresAt    cli.Time `json:"expiresAt,omitzero"`
	ExecutionARN string   `json:"executionArn,omitempty"`
	// Expired is set (with --include-expired) on a request whose run's
	// deadline has passed: nobody can complete it any more.
	Expired bool `json:"expired,omitempty"`
}

func NewPendingCmd(a *cli.App) *cobra.Command {
	var opts cli.Options
	var asJSON, includeExpired bool
	cmd := &cobra.Command{
		Use:     "pending",
		GroupID: cli.GroupInspect,
		Short:   "List documents waiting on a signer, oldest first",
		Long: `List the signature requests still waiting on a signer, oldest first: the
token table's PENDING items whose run deadline has not passed (with
--include-expired, also those whose has; they are marked expired). A request
whose run was stopped by hand stays listed until its deadline.`,
		Example: `  signctl pending
  signctl pending --json | jq -r '.pending[].documentId'`,
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			s, err := a.Connect(cmd.Context(), &opts)
			if err != nil {
				return err
			}
			now := a.Now()
			reqs, err := pendingRequests(cmd.Context(), s.DB, s.Outputs.TableName, now, includeExpired)
			if err != nil {
				return err
			}
			return cli.Output(cmd, asJSON, map[string]any{"pending": reqs}, func(w io.Writer) { printPending(w, reqs, now) })
		},
	}
	opts.AddFlags(cmd)
	cmd.Flags().BoolVar(&includeExpired, "include-expired", false, "also list PENDING requests whose run deadline has passed")
	cmd.Flags().BoolVar(&asJSON, "json", false, "print the list as JSON")
	return cmd
}

// pendingRequests scans the table for PENDING items (all pages) and returns
// them oldest first.
func pendingRequests(ctx context.Context, db tableScanner, table string, now time.Time, includeExpired bool) ([]pendingRequest, error) {
	projection, names := tokenstore.PublicProjection()
	filter := tokenstore.PublicRef(contract.AttrStatus) + " = :pending"
	values := map[string]ddbtypes.AttributeValue{":pending": &ddbtypes.AttributeValueMemberS{Value: string(contract.StatusPending)}}
	if !includeExpired {
		filter += " AND " + tokenstore.PublicRef(contract.AttrExpiresAt) + " > :now"
		values[":now"] = &ddbtypes.AttributeValueMemberN{Value: strconv.FormatInt(now.Unix(), 10)}
	}
	pages := dynamodb.NewScanPaginator(db, &dynamodb.ScanInput{
		TableName:                 aws.String(table),
		FilterExpression:          aws.String(filter),
		ProjectionExpression:      aws.String(projection),
		ExpressionAttributeNames:  names,
		ExpressionAttributeValues: values,
		ConsistentRead:            aws.Bool(true),
	})
	reqs := []pendingRequest{}
	for pages.HasMorePages() {
		page, err := pages.NextPage(ctx)
		if err != nil {
			return nil, fmt.Errorf("scan table %s for pending signature requests: %w", table, err)
		}
		for _, raw := range page.Items {
			it, err := cli.DecodeItem(raw)
			if err != nil {
				return nil, err
			}
			reqs = append(reqs, pendingRequest{
				DocumentID: it.DocumentID, Signer: it.Signer, ExecutionARN: it.ExecutionARN,
				RequestedAt: cli.Time(it.RequestedAt), ExpiresAt: cli.Time(it.ExpiresAt),
				Expired: !it.ExpiresAt.IsZero() && !it.ExpiresAt.After(now),
			})
		}
	}
	sortPending(reqs)
	return reqs, nil
}

// sortPending orders requests oldest first, then by document and signer.
func sortPending(reqs []pendingRequest) {
	slices.SortFunc(reqs, func(a, b pendingRequest) int {
		return cmp.Or(
			time.Time(a.RequestedAt).Compare(time.Time(b.RequestedAt)),
			cmp.Compare(a.DocumentID, b.DocumentID),
			cmp.Compare(a.Signer, b.Signer),
		)
	})
}

func printPending(w io.Writer, reqs []pendingRequest, now time.Time) {
	if len(reqs) == 0 {
		fmt.Fprintln(w, "No document is waiting on a signer.")
		return
	}
	rows := [][]string{{"DOCUMENT", "SIGNER", "WAITING SINCE", "EXPIRES"}}
	for _, r := range reqs {
		since, expires := time.Time(r.RequestedAt), time.Time(r.ExpiresAt)
		exp := cli.Timestamp(expires)
		if r.Expired {
			exp += " (expired)"
		} else if !expires.IsZero() {
			exp += " (" + cli.Relative(expires, now) + ")"
		}
		rows = append(rows, []string{r.DocumentID, r.Signer, cli.Timestamp(since) + " (" + cli.Relative(since, now) + ")", exp})
	}
	cli.WriteTable(w, rows)
	noun := "requests"
	if len(reqs) == 1 {
		noun = "request"
	}
	fmt.Fprintf(w, "%d signature %s waiting.\n", len(reqs), noun)
}
