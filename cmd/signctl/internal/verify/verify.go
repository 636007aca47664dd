// Package verify holds `signctl verify`: a document's signatures checked
// as anyone holding the signing key's public half can check them — every
// signer's envelope from the token table, the JWS verified with the key
// (from KMS, or offline from a PEM file), each statement naming the pinned
// document and the run, and optionally a file against the pinned SHA-256.
//
// It imports nothing from the local stand-in (local/…): it works against
// AWS as against the local stack, and after the run's history has expired.
package verify

import (
	"context"
	"fmt"
	"io"
	"strings"

	"github.com/spf13/cobra"

	"github.com/hitl-go/docsign/cmd/signctl/internal/cli"
	"github.com/hitl-go/docsign/internal/contract"
	"github.com/hitl-go/docsign/internal/documents"
)

// NewCmd is `signctl verify`.
func NewCmd(a *cli.App) *cobra.Command {
	var opts cli.Options
	var o Options
	var keyFile string
	var asJSON bool
	cmd := &cobra.Command{
		Use:     "verify <documentId> [--file PATH] [--public-key PEM] [--export-public-key PATH] [--json]",
		GroupID: cli.GroupInspect,
		Short:   "Verify a document's signatures, and that a file is the signed document",
		Long: `Verify every signature of a document. Each signer's envelope is read from the
token table, where it is kept after the run's history expires; while the run
exists, its history also names the signers it asked. Every envelope's JWS must
verify with the stack's signing key (ES256, kid = the SigningKeyArn output) and
its statement must name this document, the version the run pinned and this run.

The key's public half comes from KMS (GetPublicKey), or offline from a PEM file
(--public-key: a SubjectPublicKeyInfo "PUBLIC KEY" block, as
--export-public-key writes it from KMS). With --file, the file's SHA-256 must
be the pinned version's.

Exit 0 only if every signer's signature verifies (and the file is the pinned
document); otherwise each failing signer is named with its problem — bad
signature, other key, other document, other run, missing signer, document
altered, malformed — and the exit code is 8. --json prints
{"documentId","document","valid","signatures":[{"signer","valid","problem","detail","statement"}],"file"}
in both cases.`,
		Example: `  signctl verify 3
  signctl verify 3 --file contract.pdf
  signctl verify 3 --export-public-key signing-key.pem
  signctl verify 3 --public-key signing-key.pem --json`,
		Args: cli.OneDocumentID,
		RunE: func(cmd *cobra.Command, args []string) error {
			if keyFile != "" && o.ExportPublicKey != "" {
				return cli.UsageError("--export-public-key writes the key KMS returns: it cannot be used with --public-key")
			}
			if keyFile != "" {
				var err error
				if o.PublicKey, err = ReadPublicKey(keyFile); err != nil {
					return err
				}
			}
			s, err := a.Connect(cmd.Context(), &opts)
			if err != nil {
				return err
			}
			rep, err := Document(cmd.Context(), s, args[0], o)
			if err != nil {
				return err
			}
			if keyFile != "" {
				rep.keySource = "public key from " + keyFile
			}
			if err := cli.Output(cmd, asJSON, rep, func(w io.Writer) { Print(w, rep) }); err != nil {
				return err
			}
			if err := rep.Err(); err != nil {
				err.Reported = asJSON
				return err
			}
			return nil
		},
	}
	opts.AddFlags(cmd)
	f := cmd.Flags()
	f.StringVar(&o.File, "file", "", "check that this file is the pinned document (its SHA-256)")
	f.StringVar(&keyFile, "public-key", "", "verify offline with this PEM public key instead of asking KMS")
	f.StringVar(&o.ExportPublicKey, "export-public-key", "", "write the signing key's public half from KMS to this PEM file")
	f.BoolVar(&asJSON, "json", false, "print the report as JSON")
	return cmd
}

// Document verifies document id's signatures with the session's clients:
// the token table's items, the run while it exists, the key from KMS unless
// o gives one. A document with neither a run nor items is not found.
func Document(ctx context.Context, s *cli.Session, id string, o Options) (*Report, error) {
	var fileSHA string
	if o.File != "" {
		f, _, err := cli.OpenFile("--file", o.File)
		if err != nil {
			return nil, err
		}
		fileSHA, err = documents.Hash(f)
		f.Close()
		if err != nil {
			return nil, cli.UsageError(fmt.Sprintf("--file %s: cannot be read: %v", o.File, err))
		}
	}
	arn, err := s.Outputs.RunARN(id)
	if err != nil {
		return nil, err
	}
	rep := &Report{DocumentID: id, ExecutionARN: arn, KeyARN: s.Outputs.SigningKeyARN, keySource: "KMS GetPublicKey"}
	pub := o.PublicKey
	if pub != nil {
		rep.keySource = "public key given offline"
	} else {
		if rep.KeyARN, err = s.Outputs.Require(contract.OutputSigningKeyARN); err != nil {
			return nil, err
		}
		if pub, err = kmsPublicKey(ctx, s.KMS, rep.KeyARN, o.ExportPublicKey); err != nil {
			return nil, err
		}
	}
	items, err := cli.QueryItems(ctx, s.DB, s.Outputs.TableName, id)
	if err != nil {
		return nil, err
	}
	ran, err := readRun(ctx, s.SFN, arn)
	if err != nil {
		return nil, err
	}
	if ran == nil && len(items) == 0 {
		return nil, cli.NotFoundError(fmt.Sprintf("document %s has no run and no signatures in table %s: start it with `signctl start %s --file …`",
			id, s.Outputs.TableName, id), nil)
	}
	if ran != nil {
		rep.RunStatus = string(ran.status)
	}
	if o.File != "" {
		rep.File = &FileCheck{Path: o.File, SHA256: fileSHA}
	}
	check(rep, items, ran, pub, fileSHA)
	return rep, nil
}

// Err is nil when the report is valid, else an error naming each failure
// (exit cli.ExitInvalid).
func (r *Report) Err() *cli.Error {
	if r.Valid {
		return nil
	}
	var why []string
	for _, c := range r.Signatures {
		if !c.Valid {
			why = append(why, fmt.Sprintf("%s: %s", c.Signer, c.Problem))
		}
	}
	switch {
	case r.Document == nil:
		why = append(why, "no pinned document is known (did the run fail before pinning it?)")
	case len(r.Signatures) == 0:
		why = append(why, "no signer has signed yet")
	}
	if r.File != nil && !r.File.Matches {
		why = append(why, fmt.Sprintf("the file %s is not the pinned document (%s)", r.File.Path, "document altered"))
	}
	return &cli.Error{Code: "SignaturesInvalid", Exit: cli.ExitInvalid, Detail: r,
		Msg: fmt.Sprintf("document %s does not verify: %s", r.DocumentID, strings.Join(why, "; "))}
}

// Print reports in words.
func Print(w io.Writer, r *Report) {
	fmt.Fprintf(w, "Document %s", r.DocumentID)
	if d := r.Document; d != nil {
		fmt.Fprintf(w, ": pinned s3://%s/%s version %s, sha256 %s", d.Bucket, d.Key, d.VersionID, d.SHA256)
	}
	fmt.Fprintf(w, "\nRun: %s", r.ExecutionARN)
	if r.RunStatus == "" {
		fmt.Fprint(w, " (gone: its history has expired; the signers are the table's)")
	} else {
		fmt.Fprintf(w, " (%s)", r.RunStatus)
	}
	key := r.KeyARN
	if key == "" {
		key = "any kid"
	}
	fmt.Fprintf(w, "\nKey: %s (%s)\n\n", key, r.keySource)
	rows := [][]string{{"SIGNER", "VERIFIED", "SIGNED AT", "AUTHENTICATED BY", "PROBLEM"}}
	for _, c := range r.Signatures {
		verified, at, by, problem := "yes", "-", "-", ""
		if !c.Valid {
			verified, problem = "NO", string(c.Problem)+": "+c.Detail
		}
		if c.Statement != nil {
			at, by = c.Statement.SignedAt, c.Statement.AuthenticatedBy
		}
		rows = append(rows, []string{c.Signer, verified, at, by, problem})
	}
	cli.WriteTable(w, rows)
	if f := r.File; f != nil {
		verdict := "the pinned document"
		if !f.Matches {
			verdict = "NOT the pinned document (document altered)"
		}
		fmt.Fprintf(w, "\nFile %s: sha256 %s — %s\n", f.Path, f.SHA256, verdict)
	}
	if r.Valid {
		fmt.Fprintf(w, "\nValid: %d signature(s) verify, over the pinned document.\n", len(r.Signatures))
	}
}
