package demo

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"strings"

	"github.com/hitl-go/docsign/cmd/signctl/internal/cli"
	"github.com/hitl-go/docsign/cmd/signctl/internal/signing"
	"github.com/hitl-go/docsign/cmd/signctl/internal/verify"
	"github.com/hitl-go/docsign/internal/signature"
)

// documentFile is where the demo writes document id's bytes.
func (d *demo) documentFile(id string) string { return filepath.Join(d.dir, id+".txt") }

// upload writes document id's bytes to a file and uploads it, as
// `signctl start --file` does, and shows the version it stored.
func (d *demo) upload(ctx context.Context, id string) error {
	body := fmt.Appendf(nil, "Contract %s\n\nAlice sells Bob one bicycle for 120 EUR, due on delivery.\n", id)
	path := d.documentFile(id)
	if err := os.WriteFile(path, body, 0o644); err != nil {
		return err
	}
	doc, err := signing.Upload(ctx, d.s3, d.out, id, body)
	if err != nil {
		return err
	}
	fmt.Fprintf(d.w, "   upload   %s → PutObject s3://%s/%s → version %s, sha256 %s\n", path, doc.Bucket, doc.Key, doc.VersionID, doc.SHA256)
	return nil
}

// verify checks the signed document's signatures as `signctl verify`
// does, with its file, then shows a changed copy of the file failing.
func (d *demo) verify(ctx context.Context, id string) error {
	path := d.documentFile(id)
	rep, err := verify.Document(ctx, d.session, id, verify.Options{File: path})
	if err != nil {
		return err
	}
	var b strings.Builder
	verify.Print(&b, rep)
	fmt.Fprintf(d.w, "   verify   signctl verify %s --file %s → %s\n%s", id, path, exitWords(rep), indent(strings.TrimRight(b.String(), "\n"), "              ")+"\n")
	if !rep.Valid {
		return &cli.Error{Code: "DemoFailed", Exit: cli.ExitError, Msg: rep.Err().Msg}
	}
	changed := strings.TrimSuffix(path, ".txt") + "-changed.txt"
	data, err := os.ReadFile(path)
	if err != nil {
		return err
	}
	if err := os.WriteFile(changed, []byte(strings.Replace(string(data), "120 EUR", "12 EUR", 1)), 0o644); err != nil {
		return err
	}
	rep, err = verify.Document(ctx, d.session, id, verify.Options{File: changed})
	if err != nil {
		return err
	}
	fmt.Fprintf(d.w, "   verify   signctl verify %s --file %s (120 EUR → 12 EUR) → %s\n", id, changed, exitWords(rep))
	for _, c := range rep.Signatures {
		fmt.Fprintf(d.w, "              %s: %s: %s\n", c.Signer, c.Problem, c.Detail)
	}
	if rep.Valid || rep.File == nil || rep.File.Matches || !allAltered(rep) {
		return &cli.Error{Code: "DemoFailed", Exit: cli.ExitError, Msg: fmt.Sprintf(
			"verifying a changed copy of document %s did not fail with %q for every signer", id, signature.DocumentAltered)}
	}
	return nil
}

func allAltered(rep *verify.Report) bool {
	for _, c := range rep.Signatures {
		if c.Problem != signature.DocumentAltered {
			return false
		}
	}
	return len(rep.Signatures) > 0
}

// exitWords is how the verify command would end for rep.
func exitWords(rep *verify.Report) string {
	if err := rep.Err(); err != nil {
		return fmt.Sprintf("exit %d: %s", err.Exit, err.Msg)
	}
	return "exit 0: valid"
}
