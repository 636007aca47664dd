package verify

import (
	"context"
	"crypto/ecdsa"
	"encoding/json"
	"errors"
	"fmt"
	"slices"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/sfn"
	sfntypes "github.com/aws/aws-sdk-go-v2/service/sfn/types"

	"github.com/hitl-go/docsign/cmd/signctl/internal/cli"
	"github.com/hitl-go/docsign/internal/contract"
	"github.com/hitl-go/docsign/internal/signature"
	"github.com/hitl-go/docsign/internal/tokenstore"
)

// runReader lists the Step Functions calls of `signctl verify`.
type runReader interface {
	DescribeExecution(context.Context, *sfn.DescribeExecutionInput, ...func(*sfn.Options)) (*sfn.DescribeExecutionOutput, error)
	GetExecutionHistory(context.Context, *sfn.GetExecutionHistoryInput, ...func(*sfn.Options)) (*sfn.GetExecutionHistoryOutput, error)
}

// Options say what to verify a document's signatures with.
type Options struct {
	// File, when set, is a file that must be the pinned document.
	File string
	// PublicKey is the signing key's public half given offline; nil asks
	// KMS (GetPublicKey of the SigningKeyArn output).
	PublicKey *ecdsa.PublicKey
	// ExportPublicKey, when set, is where to write the key KMS returns (PEM).
	ExportPublicKey string
}

// Report is what `signctl verify` finds, and prints with --json.
type Report struct {
	DocumentID string              `json:"documentId"`
	Document   *signature.Document `json:"document"` // the pinned version; null when no run or item names one
	Valid      bool                `json:"valid"`
	Signatures []Check             `json:"signatures"`
	File       *FileCheck          `json:"file,omitempty"`
	// ExecutionARN is the document's run, which every statement must name.
	ExecutionARN string `json:"executionArn"`
	// RunStatus is "" when the run is gone (its history expired): the
	// table alone then says who signed.
	RunStatus string `json:"runStatus,omitempty"`
	KeyARN    string `json:"keyArn,omitempty"` // the kid every JWS must carry; "" accepts any (offline, no output)
	keySource string // for people: "KMS GetPublicKey" or the PEM file
}

// Check is one signer's signature, verified or not.
type Check struct {
	Signer  string            `json:"signer"`
	Valid   bool              `json:"valid"`
	Problem signature.Problem `json:"problem,omitempty"`
	Detail  string            `json:"detail,omitempty"`
	// Statement is what the JWS says, verified or not; null without one.
	Statement *signature.Statement `json:"statement"`
}

// FileCheck compares a file with the pinned document.
type FileCheck struct {
	Path    string `json:"path"`
	SHA256  string `json:"sha256"`
	Matches bool   `json:"matches"`
}

// run is what the document's run (while it exists) says.
type run struct {
	status  sfntypes.ExecutionStatus
	signers []string            // signer states the run entered, in order
	pinned  *signature.Document // from a SUCCEEDED run's output
}

// check verifies the envelopes in items against pub and the run, and the
// file's SHA-256 (fileSHA, "" without a file) against the pinned document.
func check(r *Report, items []tokenstore.Request, ran *run, pub *ecdsa.PublicKey, fileSHA string) {
	bySigner := map[string]tokenstore.Request{}
	var signers []string
	if ran != nil {
		signers = append(signers, ran.signers...)
	}
	for _, it := range items {
		bySigner[it.Signer] = it
		if !slices.Contains(signers, it.Signer) {
			signers = append(signers, it.Signer)
		}
	}
	r.Document = pinnedDocument(ran, items)
	want := signature.Expected{KeyARN: r.KeyARN, DocumentID: r.DocumentID, ExecutionARN: r.ExecutionARN}
	if r.Document != nil {
		want.Document = *r.Document
	}
	r.Signatures = []Check{}
	for _, name := range signers {
		it, found := bySigner[name]
		c := checkSigner(name, it, found, pub, want)
		if c.Valid && r.Document != nil && it.Document != *r.Document {
			c = failed(c, signature.OtherDocument, "the table's item pins %s version %s (sha256 %s), the run %s version %s (sha256 %s)",
				it.Document.Key, it.Document.VersionID, it.Document.SHA256, r.Document.Key, r.Document.VersionID, r.Document.SHA256)
		}
		if c.Valid && fileSHA != "" && fileSHA != want.Document.SHA256 {
			c = failed(c, signature.DocumentAltered, "signs sha256 %s; the file has sha256 %s", want.Document.SHA256, fileSHA)
		}
		r.Signatures = append(r.Signatures, c)
	}
	if fileSHA != "" {
		r.File.Matches = r.Document != nil && fileSHA == r.Document.SHA256
	}
	r.Valid = r.Document != nil && len(r.Signatures) > 0 && (r.File == nil || r.File.Matches)
	for _, c := range r.Signatures {
		r.Valid = r.Valid && c.Valid
	}
}

// checkSigner verifies one signer's envelope, stored in their item.
func checkSigner(name string, it tokenstore.Request, found bool, pub *ecdsa.PublicKey, want signature.Expected) Check {
	c := Check{Signer: name}
	switch {
	case !found:
		return failed(c, signature.MissingSigner, "the run reached %s, but the table holds no signature of theirs", name)
	case it.JWS == "":
		return failed(c, signature.MissingSigner, "has not signed (status %s)", it.Status)
	}
	env := signature.Envelope{Signer: name, JWS: it.JWS}
	if opened, _, err := signature.Open(it.JWS); err == nil {
		env.Statement = opened.Statement
		c.Statement = &opened.Statement
	}
	if _, err := signature.Verify(env, pub, want); err != nil {
		var ve *signature.VerifyError
		if errors.As(err, &ve) {
			return failed(c, ve.Problem, "%s", ve.Detail)
		}
		return failed(c, signature.Malformed, "%v", err)
	}
	c.Valid = true
	return c
}

func failed(c Check, p signature.Problem, format string, args ...any) Check {
	c.Valid, c.Problem, c.Detail = false, p, cli.RedactTokens(fmt.Sprintf(format, args...))
	return c
}

// pinnedDocument is the version the run pinned: its output says so once it
// SUCCEEDED; before, or once the run is gone, its signers' items do (the
// first that names one: the others are checked against it).
func pinnedDocument(ran *run, items []tokenstore.Request) *signature.Document {
	if ran != nil && ran.pinned != nil {
		return ran.pinned
	}
	for _, it := range items {
		if it.Document != (signature.Document{}) {
			doc := it.Document
			return &doc
		}
	}
	return nil
}

// readRun reads the document's run: nil when it does not exist (never
// started, or its history expired 90 days after it ended).
func readRun(ctx context.Context, api runReader, arn string) (*run, error) {
	d, err := api.DescribeExecution(ctx, &sfn.DescribeExecutionInput{ExecutionArn: aws.String(arn)})
	var missing *sfntypes.ExecutionDoesNotExist
	if errors.As(err, &missing) {
		return nil, nil
	}
	if err != nil {
		return nil, fmt.Errorf("describe run %s: %w", arn, err)
	}
	r := &run{status: d.Status}
	var out struct {
		Document *signature.Document `json:"document"`
	}
	if d.Status == sfntypes.ExecutionStatusSucceeded && json.Unmarshal([]byte(aws.ToString(d.Output)), &out) == nil {
		r.pinned = out.Document
	}
	r.signers, err = signerStates(ctx, api, arn)
	return r, err
}

// signerStates lists the signers whose states the run entered (a Parallel
// enters every branch at once), read from its history without execution
// data: names only.
func signerStates(ctx context.Context, api runReader, arn string) ([]string, error) {
	pages := sfn.NewGetExecutionHistoryPaginator(api, &sfn.GetExecutionHistoryInput{
		ExecutionArn: aws.String(arn), IncludeExecutionData: aws.Bool(false)})
	var signers []string
	for pages.HasMorePages() {
		page, err := pages.NextPage(ctx)
		if err != nil {
			return nil, fmt.Errorf("read the history of %s: %w", arn, err)
		}
		for _, e := range page.Events {
			if e.StateEnteredEventDetails == nil {
				continue
			}
			if name, ok := contract.SignerOfState(aws.ToString(e.StateEnteredEventDetails.Name)); ok && !slices.Contains(signers, name) {
				signers = append(signers, name)
			}
		}
	}
	return signers, nil
}
