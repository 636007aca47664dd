package clitest

import (
	"bytes"
	"context"
	"io"
	"time"

	"github.com/spf13/cobra"

	"github.com/hitl-go/docsign/cmd/signctl/internal/cli"
)

// App runs commands against the fakes, at 100 s after T0, never on a terminal.
func App(f *FakeSFN, db *FakeDB, l *FakeLambda) *cli.App {
	return &cli.App{
		Connect: func(context.Context, *cli.Options) (*cli.Session, error) {
			s := &cli.Session{Outputs: cli.Outputs{StateMachineARN: SM, TableName: Table, CompleteSignatureFunctionName: Fn,
				DocumentBucketName: Bucket, SigningKeyARN: KeyARN}}
			// Typed nils would not be nil interfaces.
			if f != nil {
				s.SFN = f
			}
			if db != nil {
				s.DB = db
			}
			if l != nil {
				s.Lambda = l
			}
			return s, nil
		},
		Now:          func() time.Time { return At(100) },
		IsTerminal:   func(io.Writer) bool { return false },
		PollInterval: time.Millisecond,
	}
}

// WithStorage makes a's sessions reach the document bucket s and the
// signing key k (either may be nil).
func WithStorage(a *cli.App, s *FakeS3, k *FakeKMS) *cli.App {
	connect := a.Connect
	a.Connect = func(ctx context.Context, o *cli.Options) (*cli.Session, error) {
		sess, err := connect(ctx, o)
		if err != nil {
			return nil, err
		}
		if s != nil {
			sess.S3 = s
		}
		if k != nil {
			sess.KMS = k
		}
		return sess, nil
	}
	return a
}

// Session is the session App connects to.
func Session(f *FakeSFN, db *FakeDB) *cli.Session {
	s, _ := App(f, db, nil).Connect(context.Background(), nil)
	return s
}

// Run executes the command line args on root and returns what it printed
// and its exit code.
func Run(root *cobra.Command, args ...string) (stdout, stderr string, code int) {
	var out, errOut bytes.Buffer
	code = cli.Execute(context.Background(), root, args, &out, &errOut)
	return out.String(), errOut.String(), code
}
