package verify

import (
	"context"
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/rand"
	"crypto/sha256"
	"crypto/x509"
	"encoding/base64"
	"encoding/hex"
	"encoding/json"
	"encoding/pem"
	"errors"
	"maps"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws"
	ddbtypes "github.com/aws/aws-sdk-go-v2/service/dynamodb/types"
	sfntypes "github.com/aws/aws-sdk-go-v2/service/sfn/types"

	"github.com/hitl-go/docsign/cmd/signctl/internal/cli"
	"github.com/hitl-go/docsign/cmd/signctl/internal/clitest"
	"github.com/hitl-go/docsign/internal/contract"
	"github.com/hitl-go/docsign/internal/jws"
	"github.com/hitl-go/docsign/internal/signature"
)

const document = "hello" // the pinned version's bytes

// fixture is a stack's signing key and a document "3" pinned at version v1.
type fixture struct {
	key, other *ecdsa.PrivateKey
	doc        signature.Document
}

func newFixture(t *testing.T) *fixture {
	t.Helper()
	sum := sha256.Sum256([]byte(document))
	return &fixture{key: newKey(t), other: newKey(t),
		doc: signature.Document{Bucket: clitest.Bucket, Key: "documents/3", VersionID: "v1", SHA256: hex.EncodeToString(sum[:])}}
}

func newKey(t *testing.T) *ecdsa.PrivateKey {
	t.Helper()
	k, err := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	if err != nil {
		t.Fatal(err)
	}
	return k
}

// statement is signer's statement over the pinned document in run "3".
func (f *fixture) statement(signer string) signature.Statement {
	by := contract.AuthenticatedByLink
	if signer == "Alice" {
		by = contract.AuthenticatedByService
	}
	return signature.NewStatement("3", f.doc, signer, clitest.ARN("3"), by, clitest.At(10))
}

// seal signs st with k (as KMS does: DER) under the kid kid.
func seal(t *testing.T, k *ecdsa.PrivateKey, kid string, st signature.Statement) string {
	t.Helper()
	s := jws.SignerFunc(func(_ context.Context, digest []byte) ([]byte, error) { return ecdsa.SignASN1(rand.Reader, k, digest) })
	env, err := signature.Seal(t.Context(), s, kid, st)
	if err != nil {
		t.Fatal(err)
	}
	return env.JWS
}

// signed is signer's SIGNED item holding jws and the pinned document doc.
func signed(signer, jws string, doc signature.Document) map[string]ddbtypes.AttributeValue {
	return clitest.WithSignature(clitest.Item("3", signer, contract.StatusSigned, 1, 10, 0), jws, doc)
}

// tamper replaces the JWS's payload with st, keeping the signature.
func tamper(t *testing.T, compact string, st signature.Statement) string {
	t.Helper()
	payload, err := json.Marshal(st)
	if err != nil {
		t.Fatal(err)
	}
	parts := strings.Split(compact, ".")
	return parts[0] + "." + base64.RawURLEncoding.EncodeToString(payload) + "." + parts[2]
}

func (f *fixture) publicDER(t *testing.T) []byte {
	t.Helper()
	der, err := x509.MarshalPKIXPublicKey(&f.key.PublicKey)
	if err != nil {
		t.Fatal(err)
	}
	return der
}

// succeeded records run "3" SUCCEEDED with both signers' states and the
// pinned document in its output.
func (f *fixture) succeeded(sf *clitest.FakeSFN) {
	sf.SetRun("3", sfntypes.ExecutionStatusSucceeded, 30, clitest.SignedHistory())
	sf.Execs[clitest.ARN("3")].Output = aws.String(clitest.MustJSON(map[string]any{"documentId": "3", "document": f.doc}))
}

// signedRun is run "3" SUCCEEDED and both signers' valid items.
func (f *fixture) signedRun(t *testing.T) (*clitest.FakeSFN, *clitest.FakeDB) {
	t.Helper()
	sf := clitest.NewFakeSFN()
	f.succeeded(sf)
	return sf, &clitest.FakeDB{Items: []map[string]ddbtypes.AttributeValue{
		signed("Alice", seal(t, f.key, clitest.KeyARN, f.statement("Alice")), f.doc),
		signed("Bob", seal(t, f.key, clitest.KeyARN, f.statement("Bob")), f.doc),
	}}
}

// waiting records run "3" RUNNING, Bob's request pending.
func waiting(sf *clitest.FakeSFN) {
	h, _ := clitest.SigningHistory()
	sf.SetRun("3", sfntypes.ExecutionStatusRunning, 0, h.Events)
}

// verifyCase is one verification through the command line.
type verifyCase struct {
	name  string
	items func(f *fixture) []map[string]ddbtypes.AttributeValue
	run   func(f *fixture, sf *clitest.FakeSFN) // nil: the run is gone
	file  string                                // bytes of a file to pass with --file; "" none
	want  map[string]signature.Problem          // signer → problem ("" valid)
	code  int
}

func TestVerify(t *testing.T) {
	both := func(f *fixture) (alice, bob string) {
		return seal(t, f.key, clitest.KeyARN, f.statement("Alice")), seal(t, f.key, clitest.KeyARN, f.statement("Bob"))
	}
	withBob := func(bob func(f *fixture) map[string]ddbtypes.AttributeValue) func(f *fixture) []map[string]ddbtypes.AttributeValue {
		return func(f *fixture) []map[string]ddbtypes.AttributeValue {
			alice, _ := both(f)
			return []map[string]ddbtypes.AttributeValue{signed("Alice", alice, f.doc), bob(f)}
		}
	}
	bobSays := func(edit func(f *fixture, st *signature.Statement)) func(f *fixture) map[string]ddbtypes.AttributeValue {
		return func(f *fixture) map[string]ddbtypes.AttributeValue {
			st := f.statement("Bob")
			edit(f, &st)
			return signed("Bob", seal(t, f.key, clitest.KeyARN, st), f.doc)
		}
	}
	valid := map[string]signature.Problem{"Alice": "", "Bob": ""}
	bobFails := func(p signature.Problem) map[string]signature.Problem {
		return map[string]signature.Problem{"Alice": "", "Bob": p}
	}
	tests := []verifyCase{
		{name: "both signed", items: withBob(func(f *fixture) map[string]ddbtypes.AttributeValue {
			_, bob := both(f)
			return signed("Bob", bob, f.doc)
		}),
			run: (*fixture).succeeded, want: valid},
		{name: "after the history expired: the table alone",
			items: withBob(func(f *fixture) map[string]ddbtypes.AttributeValue {
				_, bob := both(f)
				return signed("Bob", bob, f.doc)
			}), want: valid},
		{name: "the file is the pinned document", file: document, run: (*fixture).succeeded, want: valid,
			items: withBob(func(f *fixture) map[string]ddbtypes.AttributeValue {
				_, bob := both(f)
				return signed("Bob", bob, f.doc)
			})},
		{name: "a changed file", file: document + ".", run: (*fixture).succeeded, code: cli.ExitInvalid,
			items: withBob(func(f *fixture) map[string]ddbtypes.AttributeValue {
				_, bob := both(f)
				return signed("Bob", bob, f.doc)
			}),
			want: map[string]signature.Problem{"Alice": signature.DocumentAltered, "Bob": signature.DocumentAltered}},
		{name: "a tampered JWS: its statement rewritten", run: (*fixture).succeeded, code: cli.ExitInvalid, want: bobFails(signature.BadSignature),
			items: withBob(func(f *fixture) map[string]ddbtypes.AttributeValue {
				_, bob := both(f)
				st := f.statement("Bob")
				st.SignedAt = "2027-01-01T00:00:00Z"
				return signed("Bob", tamper(t, bob, st), f.doc)
			})},
		{name: "signed by another key under the stack key's kid", run: (*fixture).succeeded, code: cli.ExitInvalid, want: bobFails(signature.BadSignature),
			items: withBob(func(f *fixture) map[string]ddbtypes.AttributeValue {
				return signed("Bob", seal(t, f.other, clitest.KeyARN, f.statement("Bob")), f.doc)
			})},
		{name: "signed by another key, its own kid", run: (*fixture).succeeded, code: cli.ExitInvalid, want: bobFails(signature.OtherKey),
			items: withBob(func(f *fixture) map[string]ddbtypes.AttributeValue {
				return signed("Bob", seal(t, f.other, clitest.KeyARN+"-other", f.statement("Bob")), f.doc)
			})},
		{name: "a statement for another version", run: (*fixture).succeeded, code: cli.ExitInvalid, want: bobFails(signature.OtherDocument),
			items: withBob(bobSays(func(_ *fixture, st *signature.Statement) { st.Document.VersionID = "v0" }))},
		{name: "a statement for another document", run: (*fixture).succeeded, code: cli.ExitInvalid, want: bobFails(signature.OtherDocument),
			items: withBob(bobSays(func(_ *fixture, st *signature.Statement) { st.DocumentID = "4" }))},
		{name: "a statement made in another run", run: (*fixture).succeeded, code: cli.ExitInvalid, want: bobFails(signature.OtherRun),
			items: withBob(bobSays(func(_ *fixture, st *signature.Statement) { st.ExecutionARN = clitest.ARN("3") + "-old" }))},
		{name: "Bob's signature stored as Alice's", run: (*fixture).succeeded, code: cli.ExitInvalid,
			want: map[string]signature.Problem{"Alice": signature.Mismatch, "Bob": ""},
			items: func(f *fixture) []map[string]ddbtypes.AttributeValue {
				_, bob := both(f)
				return []map[string]ddbtypes.AttributeValue{signed("Alice", bob, f.doc), signed("Bob", bob, f.doc)}
			}},
		{name: "not a JWS", run: (*fixture).succeeded, code: cli.ExitInvalid, want: bobFails(signature.Malformed),
			items: withBob(func(f *fixture) map[string]ddbtypes.AttributeValue { return signed("Bob", "nope", f.doc) })},
		{name: "the table's item pins another version", run: (*fixture).succeeded, code: cli.ExitInvalid, want: bobFails(signature.OtherDocument),
			items: withBob(func(f *fixture) map[string]ddbtypes.AttributeValue {
				_, bob := both(f)
				d := f.doc
				d.VersionID = "v2"
				return signed("Bob", bob, d)
			})},
		{name: "a missing signer: Bob has not signed", run: func(_ *fixture, sf *clitest.FakeSFN) { waiting(sf) }, code: cli.ExitInvalid,
			want: bobFails(signature.MissingSigner),
			items: withBob(func(*fixture) map[string]ddbtypes.AttributeValue {
				return clitest.Item("3", "Bob", contract.StatusPending, 2, 0, 900)
			})},
		{name: "a missing signer: the run asked Bob, the table has nothing of his", run: (*fixture).succeeded, code: cli.ExitInvalid,
			want: bobFails(signature.MissingSigner),
			items: func(f *fixture) []map[string]ddbtypes.AttributeValue {
				alice, _ := both(f)
				return []map[string]ddbtypes.AttributeValue{signed("Alice", alice, f.doc)}
			}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) { runVerifyCase(t, tt) })
	}
}

func runVerifyCase(t *testing.T, tt verifyCase) {
	f := newFixture(t)
	sf, db := clitest.NewFakeSFN(), &clitest.FakeDB{Items: tt.items(f)}
	if tt.run != nil {
		tt.run(f, sf)
	}
	args := []string{"verify", "3", "--json"}
	if tt.file != "" {
		path := filepath.Join(t.TempDir(), "doc.txt")
		if err := os.WriteFile(path, []byte(tt.file), 0o644); err != nil {
			t.Fatal(err)
		}
		args = append(args, "--file", path)
	}
	a := clitest.WithStorage(clitest.App(sf, db, nil), nil, &clitest.FakeKMS{PublicKey: f.publicDER(t)})
	out, errOut, code := clitest.Run(cli.NewRoot(NewCmd(a)), args...)
	if code != tt.code {
		t.Fatalf("exit %d, want %d\nstdout: %s\nstderr: %s", code, tt.code, out, errOut)
	}
	var rep Report
	if err := json.Unmarshal([]byte(out), &rep); err != nil {
		t.Fatalf("stdout is not one report: %v\n%s", err, out)
	}
	got := map[string]signature.Problem{}
	for _, c := range rep.Signatures {
		got[c.Signer] = c.Problem
		if c.Valid != (c.Problem == "") {
			t.Errorf("%s: valid %t with problem %q", c.Signer, c.Valid, c.Problem)
		}
	}
	if !maps.Equal(got, tt.want) {
		t.Errorf("problems = %v, want %v\n%s", got, tt.want, out)
	}
	if rep.Valid != (tt.code == 0) || rep.Document == nil || *rep.Document != f.doc {
		t.Errorf("valid %t, document %+v; want valid %t, document %+v", rep.Valid, rep.Document, tt.code == 0, f.doc)
	}
	if tt.file != "" && (rep.File == nil || rep.File.Matches != (tt.file == document)) {
		t.Errorf("file = %+v, want matches %t", rep.File, tt.file == document)
	}
	if tt.code != 0 && !strings.Contains(errOut, "signctl: document 3 does not verify: ") {
		t.Errorf("stderr = %q, want it to say the document does not verify", errOut)
	}
}

// TestVerifyJSONShape: the report's keys, one document on stdout also when
// it fails, and a signer without a signature has a null statement.
func TestVerifyJSONShape(t *testing.T) {
	f := newFixture(t)
	sf := clitest.NewFakeSFN()
	waiting(sf)
	db := &clitest.FakeDB{Items: []map[string]ddbtypes.AttributeValue{
		signed("Alice", seal(t, f.key, clitest.KeyARN, f.statement("Alice")), f.doc),
		clitest.Item("3", "Bob", contract.StatusPending, 2, 0, 900),
	}}
	path := filepath.Join(t.TempDir(), "doc.txt")
	if err := os.WriteFile(path, []byte(document), 0o644); err != nil {
		t.Fatal(err)
	}
	a := clitest.WithStorage(clitest.App(sf, db, nil), nil, &clitest.FakeKMS{PublicKey: f.publicDER(t)})
	out, _, code := clitest.Run(cli.NewRoot(NewCmd(a)), "verify", "3", "--json", "--file", path)
	var rep map[string]json.RawMessage
	if err := json.Unmarshal([]byte(out), &rep); err != nil || code != cli.ExitInvalid {
		t.Fatalf("exit %d, stdout %s: %v; want exit 8 and one JSON object", code, out, err)
	}
	if got, want := slices.Sorted(maps.Keys(rep)), []string{"document", "documentId", "executionArn", "file", "keyArn", "runStatus", "signatures", "valid"}; !slices.Equal(got, want) {
		t.Errorf("keys = %q, want %q", got, want)
	}
	var sigs []map[string]any
	json.Unmarshal(rep["signatures"], &sigs)
	if len(sigs) != 2 || sigs[0]["statement"] == nil || sigs[1]["statement"] != nil || sigs[1]["problem"] != "missing signer" ||
		sigs[1]["detail"] != "has not signed (status PENDING)" {
		t.Errorf("signatures = %v, want Alice's with a statement, Bob's a missing signer without one", sigs)
	}
	if got := string(rep["file"]); !strings.Contains(got, `"matches": true`) {
		t.Errorf("file = %s, want it to match", got)
	}
}

// TestVerifyText: the report in words, each failing signer named.
func TestVerifyText(t *testing.T) {
	f := newFixture(t)
	sf := clitest.NewFakeSFN()
	f.succeeded(sf)
	db := &clitest.FakeDB{Items: []map[string]ddbtypes.AttributeValue{
		signed("Alice", seal(t, f.key, clitest.KeyARN, f.statement("Alice")), f.doc),
		signed("Bob", seal(t, f.other, clitest.KeyARN, f.statement("Bob")), f.doc),
	}}
	a := clitest.WithStorage(clitest.App(sf, db, nil), nil, &clitest.FakeKMS{PublicKey: f.publicDER(t)})
	out, errOut, code := clitest.Run(cli.NewRoot(NewCmd(a)), "verify", "3")
	for _, want := range []string{
		"Document 3: pinned s3://" + clitest.Bucket + "/documents/3 version v1, sha256 " + f.doc.SHA256,
		"Run: " + clitest.ARN("3") + " (SUCCEEDED)", "Key: " + clitest.KeyARN + " (KMS GetPublicKey)",
		"Alice   yes       2026-11-22T10:00:10Z  service", "Bob     NO        2026-11-22T10:00:10Z  link              bad signature: ",
	} {
		if !strings.Contains(out, want) {
			t.Errorf("stdout lacks %q:\n%s", want, out)
		}
	}
	if want := "signctl: document 3 does not verify: Bob: bad signature\n"; code != cli.ExitInvalid || errOut != want {
		t.Errorf("exit %d, stderr %q; want exit 8, %q", code, errOut, want)
	}
}

// TestVerifyKeys: the key from KMS, exported as PEM, verifies offline
// without asking KMS; bad key files and flags are usage errors.
func TestVerifyKeys(t *testing.T) {
	f := newFixture(t)
	sf, db := f.signedRun(t)
	dir := t.TempDir()
	pemFile := filepath.Join(dir, "key.pem")
	kms := &clitest.FakeKMS{PublicKey: f.publicDER(t)}
	run := func(k *clitest.FakeKMS, args ...string) (string, string, int) {
		return clitest.Run(cli.NewRoot(NewCmd(clitest.WithStorage(clitest.App(sf, db, nil), nil, k))), append([]string{"verify", "3"}, args...)...)
	}
	if out, errOut, code := run(kms, "--export-public-key", pemFile); code != 0 || kms.Calls != 1 {
		t.Fatalf("export: exit %d, %d KMS calls\n%s%s", code, kms.Calls, out, errOut)
	}
	data, _ := os.ReadFile(pemFile)
	if block, _ := pem.Decode(data); block == nil || block.Type != "PUBLIC KEY" || string(block.Bytes) != string(f.publicDER(t)) {
		t.Fatalf("exported %q, want the DER public key in a PUBLIC KEY block", data)
	}
	offline := &clitest.FakeKMS{Err: errors.New("KMS must not be called offline")}
	if out, errOut, code := run(offline, "--public-key", pemFile); code != 0 || offline.Calls != 0 ||
		!strings.Contains(out, "(public key from "+pemFile+")") {
		t.Errorf("offline: exit %d, %d KMS calls\n%s%s", code, offline.Calls, out, errOut)
	}
	otherPEM := filepath.Join(dir, "other.pem")
	der, _ := x509.MarshalPKIXPublicKey(&f.other.PublicKey)
	os.WriteFile(otherPEM, pem.EncodeToMemory(&pem.Block{Type: "PUBLIC KEY", Bytes: der}), 0o644)
	if _, errOut, code := run(offline, "--public-key", otherPEM); code != cli.ExitInvalid ||
		!strings.Contains(errOut, "Alice: bad signature; Bob: bad signature") {
		t.Errorf("another public key: exit %d, stderr %q; want exit 8, both bad signatures", code, errOut)
	}
	notPEM := filepath.Join(dir, "not.pem")
	os.WriteFile(notPEM, []byte("hello"), 0o644)
	for _, tt := range []struct {
		args    []string
		code    int
		wantErr string
	}{
		{[]string{"--public-key", notPEM}, cli.ExitUsage, `not a PEM "PUBLIC KEY" block`},
		{[]string{"--public-key", filepath.Join(dir, "gone.pem")}, cli.ExitUsage, "--public-key " + filepath.Join(dir, "gone.pem") + ": open"},
		{[]string{"--public-key", pemFile, "--export-public-key", otherPEM}, cli.ExitUsage, "cannot be used with --public-key"},
		{[]string{"--file", dir}, cli.ExitUsage, "--file " + dir + ": is a directory"},
		{[]string{"--file", filepath.Join(dir, "gone.pdf")}, cli.ExitUsage, "no such file"},
		{[]string{"--export-public-key", filepath.Join(dir, "no", "such", "dir.pem")}, cli.ExitError, "--export-public-key: open"},
	} {
		if _, errOut, code := run(kms, tt.args...); code != tt.code || !strings.Contains(errOut, tt.wantErr) {
			t.Errorf("verify 3 %q: exit %d, stderr %q; want exit %d and %q", tt.args, code, errOut, tt.code, tt.wantErr)
		}
	}
}

// TestVerifyNotFound: a document with neither a run nor a signature.
func TestVerifyNotFound(t *testing.T) {
	f := newFixture(t)
	a := clitest.WithStorage(clitest.App(clitest.NewFakeSFN(), &clitest.FakeDB{}, nil), nil, &clitest.FakeKMS{PublicKey: f.publicDER(t)})
	_, errOut, code := clitest.Run(cli.NewRoot(NewCmd(a)), "verify", "9")
	if want := "signctl: document 9 has no run and no signatures in table Tokens: start it with `signctl start 9 --file …`\n"; code != cli.ExitNotFound || errOut != want {
		t.Errorf("exit %d, stderr %q; want exit 3, %q", code, errOut, want)
	}
}

// TestVerifyNeedsKeyOutput: asking KMS needs the SigningKeyArn output;
// verifying offline does not.
func TestVerifyNeedsKeyOutput(t *testing.T) {
	f := newFixture(t)
	sf, db := f.signedRun(t)
	a := clitest.App(sf, db, nil)
	connect := a.Connect
	a.Connect = func(ctx context.Context, o *cli.Options) (*cli.Session, error) {
		s, err := connect(ctx, o)
		s.Outputs.File, s.Outputs.SigningKeyARN = "old.json", ""
		return s, err
	}
	_, errOut, code := clitest.Run(cli.NewRoot(NewCmd(a)), "verify", "3")
	if code != cli.ExitError || !strings.Contains(errOut, "outputs file old.json: DocumentSigningStack lacks output SigningKeyArn") {
		t.Errorf("exit %d, stderr %q; want exit 1 naming SigningKeyArn", code, errOut)
	}
	pemFile := filepath.Join(t.TempDir(), "key.pem")
	os.WriteFile(pemFile, pem.EncodeToMemory(&pem.Block{Type: "PUBLIC KEY", Bytes: f.publicDER(t)}), 0o644)
	if out, errOut, code := clitest.Run(cli.NewRoot(NewCmd(a)), "verify", "3", "--public-key", pemFile); code != 0 || !strings.Contains(out, "Key: any kid") {
		t.Errorf("offline without the output: exit %d\n%s%s", code, out, errOut)
	}
}

// TestDocumentInProcess: the demo's way in, a session of its own.
func TestDocumentInProcess(t *testing.T) {
	f := newFixture(t)
	sf, db := f.signedRun(t)
	s := clitest.Session(sf, db)
	rep, err := Document(context.Background(), s, "3", Options{PublicKey: &f.key.PublicKey})
	if err != nil || !rep.Valid || rep.Err() != nil {
		t.Fatalf("Document = %+v, %v; want valid", rep, err)
	}
	var b strings.Builder
	Print(&b, rep)
	if !strings.Contains(b.String(), "Valid: 2 signature(s) verify, over the pinned document.") {
		t.Errorf("Print = %s", b.String())
	}
}
