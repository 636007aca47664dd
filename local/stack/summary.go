package stack

import (
	"fmt"
	"path/filepath"
	"strings"

	"github.com/hitl-go/docsign/internal/contract"
)

// printSummary tells the user what runs where.
func (s *Stack) printSummary(root string) {
	w := s.opts.Stdout
	fmt.Fprintf(w, "local stack for %s on %s (region %s, account %s)\n",
		s.opts.CDKOut, s.endpoint, s.opts.Region, s.opts.AccountID)
	for _, st := range s.assembly.Stacks {
		fmt.Fprintf(w, "stack %s\n", st.Name)
		for _, sm := range st.StateMachines {
			fmt.Fprintf(w, "  Step Functions  %s\n", sm.ARN)
		}
		for _, fn := range st.Functions {
			fmt.Fprintf(w, "  Lambda          %s  (%s, timeout %s)\n", fn.Name, fn.GoPackage, fn.Timeout)
		}
		for _, t := range st.Tables {
			fmt.Fprintf(w, "  DynamoDB        %s\n", t.Name)
		}
		for _, b := range st.Buckets {
			versioning := "unversioned"
			if b.Versioned {
				versioning = "versioned"
			}
			fmt.Fprintf(w, "  S3              %s  (%s)\n", b.Name, versioning)
		}
		for _, k := range st.Keys {
			fmt.Fprintf(w, "  KMS             %s  (%s, %s)\n", k.ARN, k.KeySpec, k.KeyUsage)
		}
		for _, t := range st.Topics {
			fmt.Fprintf(w, "  SNS             %s  (%s)\n", t.ARN, count(len(t.Subscriptions), "email subscription"))
		}
		for _, a := range st.HTTPAPIs {
			fmt.Fprintf(w, "  API Gateway     %s  (HTTP API %s, %s)\n", apiURL(s.endpoint, a.ID), a.LogicalID, count(len(a.Routes), "route"))
		}
	}
	fmt.Fprintf(w, "DynamoDB: dynalite on socket %s, data %s\n", s.dynamo.Socket(), s.dataPlace(root, "dynamodb"))
	fmt.Fprintf(w, "S3 (path-style: %s/<bucket>/<key>): data %s\n", s.endpoint, s.dataPlace(root, "s3"))
	fmt.Fprintf(w, "KMS: keys %s\n", s.dataPlace(root, "kms"))
	fmt.Fprintf(w, "SNS: mail is kept, not sent: outbox %s (signctl outbox, or GET %s%s)\n",
		s.dataPlace(root, "sns"), s.endpoint, contract.OutboxPath)
	for _, n := range s.notes {
		fmt.Fprintf(w, "note: %s\n", n)
	}
	fmt.Fprintf(w, "console: %s/\n", s.endpoint)
	fmt.Fprintf(w, "outputs: %s\n", s.opts.OutputsFile)
	fmt.Fprintf(w, "ready: export AWS_ENDPOINT_URL=%s AWS_ACCESS_KEY_ID=%s AWS_SECRET_ACCESS_KEY=%s AWS_DEFAULT_REGION=%s\n",
		s.endpoint, dummyAccessKeyID, dummySecretAccessKey, s.opts.Region)
}

// count is "1 route", "2 routes".
func count(n int, noun string) string {
	if n == 1 {
		return "1 " + noun
	}
	return fmt.Sprintf("%d %ss", n, noun)
}

// dataPlace says where a service keeps its data, for the summary.
func (s *Stack) dataPlace(root, service string) string {
	if s.opts.InMemory {
		return "in memory"
	}
	return "in " + relTo(root, filepath.Join(s.opts.DataDir, service))
}

// relTo shows path relative to root when it is inside it.
func relTo(root, path string) string {
	if rel, err := filepath.Rel(root, path); err == nil && !strings.HasPrefix(rel, "..") {
		return rel
	}
	return path
}
