package e2e_test

import (
	"bytes"
	"crypto/ecdsa"
	"crypto/sha256"
	"encoding/base64"
	"encoding/json"
	"math/big"
	"reflect"
	"strings"
	"testing"
	"time"

	"github.com/hitl-go/docsign/internal/contract"
	"github.com/hitl-go/docsign/internal/jws"
	"github.com/hitl-go/docsign/internal/signature"
	"github.com/hitl-go/docsign/internal/stacktest"
)

// TestEndToEndDocuments plays the documents-and-signatures contract on the
// local stack, once through aws-sdk-go-v2 and once through the real AWS
// CLI: a run signs the version it pinned when it started, every signature
// is an ES256 JWS that verifies with the public half of the stack's KMS key
// (fetched with GetPublicKey) and is kept in the token table, a missing
// document fails the run, and a signer refuses a pinned version that is gone.
func TestEndToEndDocuments(t *testing.T) {
	e := stacktest.Shared(t)
	t.Run("sdk", func(t *testing.T) { runDocumentScenarios(t, e, sdkDriver{e}) })
	t.Run("aws cli", func(t *testing.T) { runDocumentScenarios(t, e, cliDriver{newAWSCLI(t, e.Endpoint), e}) })
}

// docDriver is how a documents scenario reaches the stack.
type docDriver interface {
	upload(t *testing.T, id string, body []byte) (versionID string)
	deleteVersion(t *testing.T, id, versionID string)
	start(t *testing.T, id string) (executionARN string) // uploads nothing
	waitPending(t *testing.T, id string)                 // until Bob's request holds its token
	item(t *testing.T, id, signer string) tableItem      // zero when there is none
	complete(t *testing.T, id string) string             // Bob signs: the status, or the errorType
	describe(t *testing.T, arn string) runEnd
	waitDone(t *testing.T, arn string, timeout time.Duration) runEnd
	publicKey(t *testing.T, keyARN string) (der []byte, keySpec string)
}

// runEnd is what DescribeExecution says of a run.
type runEnd struct{ Status, Output, Error, Cause string }

// tableItem is a token table item: its string and number attributes, and
// the pinned document it records.
type tableItem struct {
	Attrs    map[string]string
	Document signature.Document
}

var documentScenarios = []struct {
	name string
	run  func(t *testing.T, e *stacktest.Env, d docDriver)
}{
	{"uploaded and signed: both envelopes verify with the key's public half and are in the table", testEnvelopesVerify},
	{"no document: the run FAILS DocumentNotFound", testDocumentMissing},
	{"a new version while Bob is asked: Bob signs the pinned one", testNewVersionWhileWaiting},
	{"the pinned version deleted: Bob's completion is DocumentChanged and changes nothing", testPinnedVersionDeleted},
}

func runDocumentScenarios(t *testing.T, e *stacktest.Env, d docDriver) {
	for _, sc := range documentScenarios {
		t.Run(sc.name, func(t *testing.T) {
			t.Parallel()
			sc.run(t, e, d)
		})
	}
}

// wantAuthenticatedBy is how each signer of the app is authenticated when
// Bob signs by invoking complete-signature.
var wantAuthenticatedBy = map[string]string{
	"Alice": contract.AuthenticatedByService,
	"Bob":   contract.AuthenticatedByLambdaInvoke,
}

func testEnvelopesVerify(t *testing.T, e *stacktest.Env, d docDriver) {
	id := stacktest.NewDocumentID("verified")
	version := d.upload(t, id, stacktest.DocumentBody(id))
	arn, out := signAll(t, d, id)
	got := checkSignatures(t, id, out.Output)
	if got.Document.Bucket != e.Bucket || got.Document.VersionID != version {
		t.Errorf("pinned %+v, want s3://%s version %s (the upload)", got.Document, e.Bucket, version)
	}
	verifyAll(t, e, d, got, arn)
	for _, env := range got.Signatures {
		it := d.item(t, id, env.Signer)
		if it.Attrs[contract.AttrStatus] != string(contract.StatusSigned) || it.Attrs[contract.AttrJWS] != env.JWS ||
			it.Document != got.Document {
			t.Errorf("%s's table item = %v %+v, want SIGNED with the output's jws and pinned document", env.Signer, redactItem(it.Attrs), it.Document)
		}
	}
}

func testDocumentMissing(t *testing.T, e *stacktest.Env, d docDriver) {
	id := stacktest.NewDocumentID("missing")
	end := d.waitDone(t, d.start(t, id), 20*time.Second)
	where := "s3://" + e.Bucket + "/" + contract.DocumentKey(id)
	if end.Status != "FAILED" || end.Error != contract.ErrorDocumentNotFound || !strings.Contains(end.Cause, where) {
		t.Errorf("run = %s %s %q, want FAILED %s with a cause naming %s", end.Status, end.Error, end.Cause, contract.ErrorDocumentNotFound, where)
	}
	if it := d.item(t, id, "Bob"); it.Attrs != nil {
		t.Errorf("Bob's request = %v, want none: the run failed before asking", redactItem(it.Attrs))
	}
}

func testNewVersionWhileWaiting(t *testing.T, e *stacktest.Env, d docDriver) {
	id := stacktest.NewDocumentID("new-version")
	first := stacktest.DocumentBody(id)
	pinned := d.upload(t, id, first)
	arn := d.start(t, id)
	d.waitPending(t, id)
	if again := d.upload(t, id, append(bytes.Clone(first), "Amended: page 2 replaced.\n"...)); again == pinned {
		t.Fatalf("the second upload got the first one's version %s", pinned)
	}
	if got := d.complete(t, id); got != string(contract.StatusSigned) {
		t.Fatalf("Bob's completion after a new upload = %s, want SIGNED", got)
	}
	end := d.waitDone(t, arn, 20*time.Second)
	if end.Status != "SUCCEEDED" {
		t.Fatalf("run = %s (%s: %s), want SUCCEEDED", end.Status, end.Error, end.Cause)
	}
	got := checkEnvelopes(t, id, end.Output, stacktest.SHA256(first))
	if got.Document.VersionID != pinned {
		t.Errorf("the signatures name version %s, want the pinned first version %s", got.Document.VersionID, pinned)
	}
	verifyAll(t, e, d, got, arn)
}

func testPinnedVersionDeleted(t *testing.T, e *stacktest.Env, d docDriver) {
	id := stacktest.NewDocumentID("deleted")
	pinned := d.upload(t, id, stacktest.DocumentBody(id))
	arn := d.start(t, id)
	d.waitPending(t, id)
	before := d.item(t, id, "Bob")
	d.deleteVersion(t, id, pinned)
	if got := d.complete(t, id); got != contract.ErrorDocumentChanged {
		t.Errorf("Bob's completion with the pinned version deleted = %s, want %s", got, contract.ErrorDocumentChanged)
	}
	if after := d.item(t, id, "Bob"); after.Attrs[contract.AttrStatus] != string(contract.StatusPending) || !reflect.DeepEqual(after, before) {
		t.Errorf("Bob's request after the refusal = %v, want it unchanged: %v", redactItem(after.Attrs), redactItem(before.Attrs))
	}
	if got := d.describe(t, arn); got.Status != "RUNNING" {
		t.Errorf("run after the refusal = %s (%s), want still RUNNING", got.Status, got.Error)
	}
	// Nothing can sign it now: the run waits for Bob until its timeout.
	if end := d.waitDone(t, arn, stacktest.SynthTimeout+20*time.Second); end.Status != "TIMED_OUT" {
		t.Errorf("run = %s (%s), want TIMED_OUT", end.Status, end.Error)
	}
}

// signAll starts the uploaded document's run, has Bob sign it and waits
// for it to succeed.
func signAll(t *testing.T, d docDriver, id string) (string, runEnd) {
	t.Helper()
	arn := d.start(t, id)
	d.waitPending(t, id)
	if got := d.complete(t, id); got != string(contract.StatusSigned) {
		t.Fatalf("Bob's completion = %s, want SIGNED", got)
	}
	end := d.waitDone(t, arn, 20*time.Second)
	if end.Status != "SUCCEEDED" {
		t.Fatalf("run = %s (%s: %s), want SUCCEEDED", end.Status, end.Error, end.Cause)
	}
	return arn, end
}

// verifyAll checks every envelope of the run against the public half of the
// stack's signing key, as KMS GetPublicKey gives it: with package signature,
// and independently with crypto/ecdsa.
func verifyAll(t *testing.T, e *stacktest.Env, d docDriver, out runOutput, arn string) {
	t.Helper()
	der, spec := d.publicKey(t, e.SigningKey)
	pub, err := jws.PublicKeyFromDER(der)
	if err != nil || spec != "ECC_NIST_P256" {
		t.Fatalf("GetPublicKey %s = %s key: %v; want an ECC_NIST_P256 key", e.SigningKey, spec, err)
	}
	want := signature.Expected{KeyARN: e.SigningKey, DocumentID: out.DocumentID, Document: out.Document, ExecutionARN: arn}
	for _, env := range out.Signatures {
		st, err := signature.Verify(env, pub, want)
		if err != nil {
			t.Errorf("signature.Verify: %v", err)
			continue
		}
		if st.AuthenticatedBy != wantAuthenticatedBy[env.Signer] {
			t.Errorf("%s's statement is authenticated by %q, want %q", env.Signer, st.AuthenticatedBy, wantAuthenticatedBy[env.Signer])
		}
		verifyES256(t, env, pub, e.SigningKey)
	}
}

// verifyES256 checks a compact JWS without package jws: the protected
// header is exactly {"alg":"ES256","kid":keyARN}, the payload is the
// envelope's statement, and the 64-byte signature r‖s verifies with
// crypto/ecdsa over SHA-256 of the signing input (RFC 7518 section 3.4).
func verifyES256(t *testing.T, env signature.Envelope, pub *ecdsa.PublicKey, keyARN string) {
	t.Helper()
	parts := strings.Split(env.JWS, ".")
	if len(parts) != 3 {
		t.Fatalf("%s's jws has %d parts, want 3", env.Signer, len(parts))
	}
	b64 := base64.RawURLEncoding.Strict()
	header, err1 := b64.DecodeString(parts[0])
	payload, err2 := b64.DecodeString(parts[1])
	sig, err3 := b64.DecodeString(parts[2])
	if err1 != nil || err2 != nil || err3 != nil || len(sig) != 64 {
		t.Fatalf("%s's jws: %v, %v, %v, signature of %d bytes; want base64url parts and 64 bytes", env.Signer, err1, err2, err3, len(sig))
	}
	if want := `{"alg":"ES256","kid":"` + keyARN + `"}`; string(header) != want {
		t.Errorf("%s's header = %s, want %s", env.Signer, header, want)
	}
	var st signature.Statement
	if err := json.Unmarshal(payload, &st); err != nil || st != env.Statement {
		t.Errorf("%s's payload %s: %v; want the envelope's statement %+v", env.Signer, payload, err, env.Statement)
	}
	digest := sha256.Sum256([]byte(parts[0] + "." + parts[1]))
	r, s := new(big.Int).SetBytes(sig[:32]), new(big.Int).SetBytes(sig[32:])
	if !ecdsa.Verify(pub, digest[:], r, s) {
		t.Errorf("crypto/ecdsa does not verify %s's jws with the key's public half", env.Signer)
	}
}
