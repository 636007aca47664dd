//go:build linux

package e2e_test

import (
	"context"
	"net/url"
	"slices"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/lambda"
	"github.com/aws/aws-sdk-go-v2/service/sfn"
	sfntypes "github.com/aws/aws-sdk-go-v2/service/sfn/types"
	"golang.org/x/sync/errgroup"

	"github.com/hitl-go/docsign/internal/stacktest"
)

// TestFaults (Linux: it finds and kills processes through /proc) runs the
// app on the local stack through faults of its functions, dynalite and the
// stack itself, and checks that every request stays completable or
// completes exactly once, and that no run outlives its timeout. The faults
// come from outside (SIGKILL, and the proxy of faults_proxy_test.go, which
// only the test's copy of the cloud assembly points the functions at), so
// none can reach a deployed stack.
func TestFaults(t *testing.T) {
	t.Parallel()
	_, cdkOut := stacktest.Synthesized(t)
	t.Run("complete-signature", func(t *testing.T) {
		t.Parallel()
		testCompletionFaults(t, cdkOut)
	})
	t.Run("dynalite killed and restarted", func(t *testing.T) {
		t.Parallel()
		testDynaliteRestart(t, cdkOut)
	})
	t.Run("signctl local killed and restarted", func(t *testing.T) {
		t.Parallel()
		testStackRestart(t, cdkOut)
	})
}

// completionFault is a fault on complete-signature's first attempt to
// complete a document.
type completionFault struct {
	name  string
	fault sendFault
	kill  bool     // SIGKILL the function process while its send is held
	first []string // what the first completion may answer: a status or an errorType
	// leased: the first completion leaves the request claimed, so a retry
	// answers SignatureServiceUnavailable until the claim's lease ends.
	leased bool
	sends  int // SendTaskSuccess attempts that reach the engine; it accepts one
}

var completionFaults = []completionFault{
	{name: "SendTaskSuccess throttled once: the SDK's retry completes it",
		fault: throttleOnce, first: []string{"SIGNED"}, sends: 1},
	{name: "SendTaskSuccess unavailable on every attempt: completable after the lease",
		fault: unavailableUntilEnd, first: []string{"SignatureServiceUnavailable"}, leased: true, sends: 1},
	{name: "SendTaskSuccess accepted, answer lost past the deadline: settled as SIGNED after the lease",
		fault: holdAfterEngine, first: []string{"SignatureServiceUnavailable"}, leased: true, sends: 2},
	{name: "SendTaskSuccess accepted, connection dropped: settled as SIGNED at once",
		fault: dropAfterEngine, first: []string{"SIGNED"}, sends: 2},
	{name: "process killed before its SendTaskSuccess reached the engine",
		fault: holdBeforeEngine, kill: true, first: []string{"Runtime.ExitError", "Sandbox.Timedout"}, leased: true, sends: 1},
	{name: "process killed after the engine accepted its SendTaskSuccess",
		fault: holdAfterEngine, kill: true, first: []string{"Runtime.ExitError", "Sandbox.Timedout"}, leased: true, sends: 2},
}

func testCompletionFaults(t *testing.T, cdkOut string) {
	proxy := newFaultProxy(t)
	e := stacktest.StartApp(t, faultAssembly(t, cdkOut, proxy.URL()), t.TempDir(), true)
	proxy.setUpstream(e.Endpoint)
	lease := claimLease(t, e)
	t.Run("faults", func(t *testing.T) {
		for _, fc := range completionFaults {
			t.Run(fc.name, func(t *testing.T) {
				t.Parallel()
				testCompletionFault(t, e, proxy, fc, lease)
			})
		}
		t.Run("50 concurrent completions of one document", func(t *testing.T) {
			t.Parallel()
			testConcurrentCompletions(t, e, proxy, 50)
		})
		t.Run("request-signature killed after storing the token", func(t *testing.T) {
			t.Parallel()
			testRequestKilled(t, e, proxy)
		})
		t.Run("complete-signature killed and never retried: the run times out", func(t *testing.T) {
			t.Parallel()
			testAbandoned(t, e, proxy)
		})
	})
	t.Run("no run is still running", func(t *testing.T) { checkNoneRunning(t, e) })
	t.Run("the log holds no task token", func(t *testing.T) { testNoTokenInLog(t, e) })
}

// claimLease reads complete-signature's claim lease from the running
// function's configuration and checks that it is the fault tests' setting.
func claimLease(t *testing.T, e *stacktest.Env) time.Duration {
	t.Helper()
	cfg, err := e.Lambda.GetFunctionConfiguration(context.Background(),
		&lambda.GetFunctionConfigurationInput{FunctionName: aws.String(e.Complete)})
	if err != nil {
		t.Fatal(err)
	}
	seconds, err := strconv.Atoi(cfg.Environment.Variables["CLAIM_LEASE_SECONDS"])
	lease := time.Duration(seconds) * time.Second
	timeout := time.Duration(aws.ToInt32(cfg.Timeout)) * time.Second
	if err != nil || lease != faultLease || timeout != faultFunctionTimeout {
		t.Fatalf("complete-signature runs with CLAIM_LEASE_SECONDS %q and timeout %s, want %s and %s",
			cfg.Environment.Variables["CLAIM_LEASE_SECONDS"], timeout, faultLease, faultFunctionTimeout)
	}
	return lease
}

func testCompletionFault(t *testing.T, e *stacktest.Env, proxy *faultProxy, fc completionFault, lease time.Duration) {
	ctx, cancel := context.WithTimeout(context.Background(), faultTimeout+30*time.Second)
	defer cancel()
	id := stacktest.NewDocumentID("fault")
	arn, err := startDocument(ctx, e, id)
	if err != nil {
		t.Fatal(err)
	}
	plan := proxy.plan(id, fc.fault)
	defer plan.end()
	claimedFrom := time.Now()
	first := completeAsync(ctx, e, id)
	if fc.kill {
		killHeldCaller(t, proxy, plan, e.Complete)
	}
	got := <-first
	plan.end()
	t.Logf("first completion after %s: %s", time.Since(claimedFrom).Round(time.Millisecond), got)
	if !slices.Contains(fc.first, got) {
		t.Fatalf("first completion = %s, want one of %v", got, fc.first)
	}
	if fc.leased {
		completeAfterLease(t, ctx, e, id, claimedFrom, lease)
	}
	checkSignedOnce(t, ctx, e, id, arn)
	checkSends(t, proxy.sendsFor(id), fc.sends)
}

// killHeldCaller waits until the proxy holds a request of function's, then
// kills the function process that sent it.
func killHeldCaller(t *testing.T, proxy *faultProxy, plan *faultPlan, function string) {
	t.Helper()
	var caller string
	select {
	case caller = <-plan.held:
	case <-time.After(30 * time.Second):
		t.Fatalf("%s sent no request for the proxy to hold within 30 s", function)
	}
	u, _ := url.Parse(proxy.URL())
	port, _ := strconv.ParseUint(u.Port(), 10, 16)
	p, err := connOwner(caller, uint16(port))
	if err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(p.Cmdline, "/"+function+"/") {
		t.Fatalf("the held request came from process %d (%s), not %s", p.PID, p.Cmdline, function)
	}
	if err := kill9(p); err != nil {
		t.Fatal(err)
	}
	t.Logf("killed %s process %d mid-invocation", function, p.PID)
}

// completeAfterLease checks that a retry is told to retry while the failed
// completion's claim lasts, that the claim lasts the lease, and that once it
// has passed a retry completes the request.
func completeAfterLease(t *testing.T, ctx context.Context, e *stacktest.Env, id string, claimedFrom time.Time, lease time.Duration) {
	t.Helper()
	if got, err := complete(ctx, e, completion(id)); err != nil || got != "SignatureServiceUnavailable" {
		t.Fatalf("retry during the claim = %q, %v; want SignatureServiceUnavailable", got, err)
	}
	it := mustItem(t, ctx, e, id)
	until := epochOf(t, it, "claimExpiresAt")
	if it["status"] != "PENDING" || it["taskToken"] == "" ||
		until.Before(claimedFrom.Add(lease)) || until.After(time.Now().Add(lease+time.Second)) {
		t.Fatalf("Bob's request after the failed completion = %v, want PENDING with its token, claimed for %s",
			redactItem(it), lease)
	}
	if err := stacktest.Sleep(ctx, time.Until(until)); err != nil {
		t.Fatal(err)
	}
	if got, err := complete(ctx, e, completion(id)); err != nil || got != "SIGNED" {
		t.Fatalf("retry after the lease = %q, %v; want SIGNED", got, err)
	}
}

// checkSends checks how many SendTaskSuccess attempts reached the engine:
// the engine accepted exactly one and answered any other TaskTimedOut (the
// task was closed), which complete-signature settles from the history.
func checkSends(t *testing.T, sends []sendRecord, want int) {
	t.Helper()
	forwarded, accepted, closed := 0, 0, 0
	for _, s := range sends {
		switch {
		case !s.forwarded:
		case s.engineError == "":
			accepted++
		case s.engineError == "TaskTimedOut":
			closed++
		}
		if s.forwarded {
			forwarded++
		}
	}
	if forwarded != want || accepted != 1 || accepted+closed != forwarded {
		t.Errorf("SendTaskSuccess attempts %+v: %d reached the engine, %d accepted, %d answered TaskTimedOut; want %d, 1 and the rest",
			sends, forwarded, accepted, closed, want)
	}
}

// testConcurrentCompletions completes one document n times at once through
// the Lambda API: exactly one completion signs it, the others are told it is
// already completed or to retry, and one send reaches the engine.
func testConcurrentCompletions(t *testing.T, e *stacktest.Env, proxy *faultProxy, n int) {
	ctx, cancel := context.WithTimeout(context.Background(), faultTimeout)
	defer cancel()
	id := stacktest.NewDocumentID("concurrent")
	arn, err := startDocument(ctx, e, id)
	if err != nil {
		t.Fatal(err)
	}
	answers := make([]string, n)
	var g errgroup.Group
	for i := range n {
		g.Go(func() (err error) {
			answers[i], err = complete(ctx, e, completion(id))
			return err
		})
	}
	if err := g.Wait(); err != nil {
		t.Fatal(err)
	}
	tally := map[string]int{}
	for _, a := range answers {
		tally[a]++
	}
	t.Logf("%d concurrent completions: %v", n, tally)
	if tally["SIGNED"] != 1 || tally["SIGNED"]+tally["SignatureAlreadyCompleted"]+tally["SignatureServiceUnavailable"] != n {
		t.Errorf("answers = %v, want one SIGNED, the others SignatureAlreadyCompleted or SignatureServiceUnavailable", tally)
	}
	checkSignedOnce(t, ctx, e, id, arn)
	checkSends(t, proxy.sendsFor(id), 1)
}

// checkNoneRunning checks that no run of the stack is still RUNNING once
// every fault test has completed its document.
func checkNoneRunning(t *testing.T, e *stacktest.Env) {
	out, err := e.SFN.ListExecutions(context.Background(), &sfn.ListExecutionsInput{
		StateMachineArn: aws.String(e.Machine), StatusFilter: sfntypes.ExecutionStatusRunning})
	if err != nil {
		t.Fatal(err)
	}
	for _, ex := range out.Executions {
		t.Errorf("run %s is still RUNNING", aws.ToString(ex.Name))
	}
}
