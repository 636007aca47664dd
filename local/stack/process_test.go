//go:build linux

package stack_test

import (
	"context"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/hitl-go/docsign/internal/proctest"
	"github.com/hitl-go/docsign/internal/stacktest"
)

// TestSignctlLocalLeavesNoProcessBehind (Linux: it reads /proc) runs
// `signctl local` as a child, makes it start dynalite and function
// processes, stops it — politely or with SIGKILL — and checks that none of
// its children outlives it. After SIGKILL it starts again on the same data:
// the stale DynamoDB lock is cleared and the data kept.
func TestSignctlLocalLeavesNoProcessBehind(t *testing.T) {
	t.Parallel()
	_, cdkOut := stacktest.Synthesized(t)
	tests := []struct {
		signal   syscall.Signal
		wantExit int // -1: killed
	}{
		{syscall.SIGINT, 0},
		{syscall.SIGTERM, 0},
		{syscall.SIGKILL, -1},
	}
	for _, tt := range tests {
		t.Run(tt.signal.String(), func(t *testing.T) {
			t.Parallel()
			dir := t.TempDir()
			local := stacktest.StartSignctl(t, cdkOut, dir)
			id := runOneDocument(t, local.Env)
			children := proctest.Children(local.Cmd.Process.Pid)
			proctest.WantChildren(t, children, "dynalite", "bootstrap")
			if err := local.Cmd.Process.Signal(tt.signal); err != nil {
				t.Fatal(err)
			}
			err := local.Cmd.Wait()
			if code := local.Cmd.ProcessState.ExitCode(); code != tt.wantExit {
				t.Errorf("signctl local after %s: exit code %d (%v), want %d\n%s", tt.signal, code, err, tt.wantExit, local.Out.String())
			}
			proctest.WaitEnded(t, 10*time.Second, children...)
			if tt.signal == syscall.SIGKILL {
				again := stacktest.StartSignctl(t, cdkOut, dir)
				if !strings.Contains(again.Out.String(), "cleared the DynamoDB lock") {
					t.Errorf("restart after SIGKILL did not report the stale lock:\n%s", again.Out.String())
				}
				ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
				defer cancel()
				if err := again.Env.WaitForRequest(ctx, id); err != nil {
					t.Errorf("after the restart, the data is gone: %v", err)
				}
			}
		})
	}
}

// runOneDocument starts a document on the stack and waits for Bob's
// request, so that function processes run; it returns the document id.
func runOneDocument(t *testing.T, e *stacktest.Env) string {
	t.Helper()
	id := stacktest.NewDocumentID("process")
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	if _, err := e.StartDocument(ctx, id); err != nil {
		t.Fatal(err)
	}
	if err := e.WaitForRequest(ctx, id); err != nil {
		t.Fatal(err)
	}
	return id
}
