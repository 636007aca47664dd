package e2e_test

import (
	"context"
	"fmt"
	"net/url"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/sfn"
	"github.com/chromedp/chromedp"

	"github.com/hitl-go/docsign/internal/contract"
	"github.com/hitl-go/docsign/internal/logtest"
	"github.com/hitl-go/docsign/internal/stacktest"
	"github.com/hitl-go/docsign/local/console/consoletest"
	"github.com/hitl-go/docsign/local/stack"
)

// consoleRunTimeout is the run timeout of the app the console test drives:
// minutes, not the shared app's 5 s, so that a browser on a busy machine
// always has time to press Sign before the run times out.
const consoleRunTimeout = 10 * time.Minute

// Laptop viewport of the console test, and of docs/console.png.
const laptopWidth, laptopHeight = 1366, 800

// TestConsoleEndToEnd opens the console of the real local stack (engine,
// Lambda processes, dynalite) in Chromium and plays the mission through
// the page: a document signed with the Sign button, and one declined with
// the Decline form. It checks the outcomes through the Step Functions API
// too. Screenshots go to artifacts/stack-console.
func TestConsoleEndToEnd(t *testing.T) {
	t.Parallel()
	if testing.Short() {
		t.Skip("synthesizes the CDK app, runs the local stack and a browser; not in -short mode")
	}
	b := consoletest.Start(t) // before the synth: without Chromium, skips (outside CI) at once
	root, _ := stacktest.Synthesized(t)
	cdkOut := filepath.Join(t.TempDir(), "cdk.out")
	if err := stacktest.Synth(root, cdkOut, consoleRunTimeout); err != nil {
		t.Fatal(err)
	}
	log := &logtest.Buffer{}
	st, err := stacktest.Start(t, stack.Options{CDKOut: cdkOut, Stdout: log})
	if err != nil {
		t.Fatalf("start the local stack: %v\n%s", err, log.String())
	}
	t.Cleanup(func() {
		if t.Failed() {
			t.Logf("the stack's output:\n%s", log.String())
		}
	})
	c := &consoleCase{b: b, base: st.Endpoint(), env: stacktest.NewEnv(st.Endpoint(), st.Outputs()[contract.StackName], st, log),
		artifacts: consoletest.ArtifactsDir(t, "stack-console"), timeout: 30 * time.Second}
	b.Run(t, "laptop viewport", chromedp.EmulateViewport(laptopWidth, laptopHeight))

	t.Run("sign", c.testSign)
	t.Run("decline", c.testDecline)
	if p := b.Problems(); len(p) > 0 {
		t.Errorf("browser problems: %q", p)
	}
}

// consoleCase is the console of a running local stack, open in a browser.
type consoleCase struct {
	b         *consoletest.Browser
	base      string
	env       *stacktest.Env
	artifacts string
	timeout   time.Duration
}

func (c *consoleCase) testSign(t *testing.T) {
	id := fmt.Sprintf("console-%d", time.Now().UnixNano())
	start := time.Now()
	c.upload(t, id)
	pageURL := consoletest.Scenario{BaseURL: c.base, DocumentID: id, AutoSigner: "Alice", CallbackSigner: "Bob",
		Artifacts: c.artifacts, Timeout: c.timeout}.Run(t, c.b)
	t.Logf("signed %s through the console in %s", id, time.Since(start).Round(time.Millisecond))
	ex := c.describe(t, pageURL)
	if ex.Status != "SUCCEEDED" {
		t.Fatalf("the page shows SUCCEEDED, the API says %s (%s: %s)", ex.Status, aws.ToString(ex.Error), aws.ToString(ex.Cause))
	}
	c.checkDocumentCard(t, checkSignatures(t, id, aws.ToString(ex.Output)))
}

// documentCardJS reads the execution page's "Document and signatures" card:
// the pinned document's fields and, per signer, the statement's columns and
// the validity the console's server found.
const documentCardJS = `(() => {
  const card = document.querySelector('#document');
  if (!card || card.hidden) return null;
  const field = (f) => card.querySelector('[data-field="' + f + '"]')?.textContent ?? '';
  const rows = [...card.querySelectorAll('#signatures tbody tr')].map((tr) => ({
    signer: tr.dataset.signer, signedAt: tr.cells[1].title, authenticatedBy: tr.cells[2].textContent,
    valid: tr.querySelector('[data-valid]')?.dataset.valid ?? '' }));
  return { key: field('key'), version: field('version'), sha256: field('sha256'), rows };
})()`

// checkDocumentCard checks that the page shows the pinned document and each
// signature's statement as the run's output has them, every one valid.
func (c *consoleCase) checkDocumentCard(t *testing.T, out runOutput) {
	t.Helper()
	c.b.WaitJS(t, "both signatures checked",
		`(() => { const v = [...document.querySelectorAll('#document [data-valid]')].map((e) => e.dataset.valid);
		  return v.length === 2 && !v.includes('pending'); })()`,
		`document.querySelector('#document')?.innerText`, c.timeout)
	c.viewportShot(t, "laptop-document-and-signatures")
	var card struct {
		Key, Version, SHA256 string
		Rows                 []struct{ Signer, SignedAt, AuthenticatedBy, Valid string }
	}
	c.b.Eval(t, documentCardJS, &card)
	doc := out.Document
	if card.Key != "s3://"+doc.Bucket+"/"+doc.Key || card.Version != doc.VersionID || card.SHA256 != doc.SHA256 {
		t.Errorf("the card shows %s version %s sha256 %s, want the pinned %+v", card.Key, card.Version, card.SHA256, doc)
	}
	if len(card.Rows) != len(out.Signatures) {
		t.Fatalf("the card lists %d signatures, want %d: %+v", len(card.Rows), len(out.Signatures), card.Rows)
	}
	for i, env := range out.Signatures {
		row := card.Rows[i]
		if row.Signer != env.Signer || row.SignedAt != env.Statement.SignedAt ||
			row.AuthenticatedBy != env.Statement.AuthenticatedBy || row.Valid != "true" {
			t.Errorf("the card's row %d = %+v, want %s's statement (signedAt %s, authenticatedBy %s), valid",
				i, row, env.Signer, env.Statement.SignedAt, env.Statement.AuthenticatedBy)
		}
	}
}

func (c *consoleCase) testDecline(t *testing.T) {
	id := fmt.Sprintf("console-%d", time.Now().UnixNano())
	const reason = "The amount on page 2 is wrong"
	c.startAndWaitForBob(t, id)
	c.viewportShot(t, "laptop-waiting-for-bob")
	var token string
	c.b.Eval(t, consoletest.TokenLikeJS, &token)
	if token != "" {
		t.Errorf("the execution page shows what looks like a task token: %.80q…", token)
	}

	c.b.Run(t, "decline", chromedp.Click(bobDeclines, chromedp.ByQuery),
		chromedp.SendKeys(`#sign-panel textarea[name=reason]`, reason, chromedp.ByQuery))
	c.b.Screenshot(t, c.artifacts, "04-decline-form")
	c.b.Run(t, "confirm", chromedp.Click(`#sign-panel button[data-action=confirm-decline]`, chromedp.ByQuery))
	c.b.WaitJS(t, "the run fails",
		fmt.Sprintf(`%s === 'FAILED' && %s === 'failed'`, consoletest.ExecutionStatusJS, consoletest.NodeStatusJS("Bob")),
		fmt.Sprintf(`[%s, %s, document.querySelector('#sign-panel')?.innerText]`, consoletest.ExecutionStatusJS, consoletest.NodeStatusJS("Bob")),
		c.timeout)
	c.b.Screenshot(t, c.artifacts, "05-declined")

	var notice string
	c.b.Eval(t, `document.querySelector('.exec-head .notice')?.innerText ?? ''`, &notice)
	if want := "SignatureDeclined — " + reason; notice != want {
		t.Errorf("failure notice = %q, want %q", notice, want)
	}
	var here string
	c.b.Run(t, "read the URL", chromedp.Location(&here))
	ex := c.describe(t, here)
	if ex.Status != "FAILED" || aws.ToString(ex.Error) != "SignatureDeclined" || aws.ToString(ex.Cause) != reason {
		t.Errorf("the API says %s %s %q, want FAILED SignatureDeclined %q", ex.Status, aws.ToString(ex.Error), aws.ToString(ex.Cause), reason)
	}
}

// bobDeclines is Bob's Decline button on the execution page.
const bobDeclines = `#sign-panel .signer[data-signer="Bob"] button[data-action=decline]`

// startAndWaitForBob starts a document from the executions list and waits
// until its page shows Alice signed, Bob waiting and his Decline button.
func (c *consoleCase) startAndWaitForBob(t *testing.T, id string) {
	t.Helper()
	c.upload(t, id)
	c.b.Run(t, "start "+id, chromedp.Navigate(c.base+"/#/"), chromedp.WaitVisible(`#start-form`, chromedp.ByQuery),
		chromedp.SendKeys(`#documentId`, id, chromedp.ByQuery), chromedp.Click(`#start-form button[type=submit]`, chromedp.ByQuery))
	alice, bob := consoletest.NodeStatusJS("Alice"), consoletest.NodeStatusJS("Bob")
	c.b.WaitJS(t, "Alice succeeded and Bob waiting",
		fmt.Sprintf(`%s === 'succeeded' && %s === 'waiting' && !!document.querySelector(%q)`, alice, bob, bobDeclines),
		fmt.Sprintf(`[location.hash, %s, %s, document.querySelector('#sign-panel')?.innerText]`, alice, bob), c.timeout)
}

// upload stores stacktest.DocumentBody(id) as the document the console
// then starts: a run pins documents/<id> first (lambdas/pindocument).
func (c *consoleCase) upload(t *testing.T, id string) {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	if _, err := c.env.Upload(ctx, id, stacktest.DocumentBody(id)); err != nil {
		t.Fatal(err)
	}
}

// graphInViewJS scrolls the execution page so that the graph card ends at
// the bottom of the window, as far as the execution's header stays in view.
const graphInViewJS = `(() => {
  const bottom = document.querySelector('.graph-card').getBoundingClientRect().bottom;
  const head = document.querySelector('.exec-head').getBoundingClientRect().top;
  window.scrollTo(0, window.scrollY + Math.max(0, Math.min(bottom + 16 - innerHeight, head - 16)));
  return window.scrollY;
})()`

// viewportShot saves what a laptop screen shows of the execution page, its
// graph in view, as artifacts/stack-console/name.png (docs/console.png was
// taken the same way).
func (c *consoleCase) viewportShot(t *testing.T, name string) {
	t.Helper()
	var png []byte
	c.b.Run(t, "screenshot "+name, chromedp.Evaluate(graphInViewJS, nil), chromedp.CaptureScreenshot(&png))
	path := filepath.Join(c.artifacts, name+".png")
	if err := os.MkdirAll(c.artifacts, 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(path, png, 0o644); err != nil {
		t.Fatal(err)
	}
	t.Logf("screenshot: %s", path)
}

// describe asks the Step Functions API about the execution a console URL
// (…/#/execution/<ARN>) shows.
func (c *consoleCase) describe(t *testing.T, pageURL string) *sfn.DescribeExecutionOutput {
	t.Helper()
	u, err := url.Parse(pageURL)
	if err != nil {
		t.Fatal(err)
	}
	arn, err := url.PathUnescape(strings.TrimPrefix(u.Fragment, "/execution/"))
	if err != nil || !strings.HasPrefix(arn, "arn:aws:states:") {
		t.Fatalf("console URL %s names no execution ARN", pageURL)
	}
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	out, err := c.env.SFN.DescribeExecution(ctx, &sfn.DescribeExecutionInput{ExecutionArn: aws.String(arn)})
	if err != nil {
		t.Fatalf("DescribeExecution %s: %v", arn, err)
	}
	return out
}
