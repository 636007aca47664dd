// Package consoletest drives the console in Debian's Chromium, headless, over
// the DevTools protocol (chromedp), for tests: the page-level test in package
// console and an end-to-end test against the local stack can share it.
package consoletest

import (
	"context"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/chromedp/cdproto/log"
	"github.com/chromedp/cdproto/runtime"
	"github.com/chromedp/chromedp"
)

// ChromiumPath is where Debian's chromium package installs the browser.
const ChromiumPath = "/usr/bin/chromium"

// Browser is one headless Chromium with one tab. It records every JavaScript
// console error, uncaught exception and browser-logged error (failed loads,
// Content-Security-Policy violations) as a problem.
type Browser struct {
	ctx context.Context

	mu       sync.Mutex
	problems []string
}

// Start launches Chromium with a fresh user-data-dir and a laptop-sized
// window, and closes it when the test ends. Without Chromium the test is
// skipped, with a message saying how to install it — unless $CI is set, where
// it fails.
func Start(t testing.TB) *Browser {
	t.Helper()
	if _, err := os.Stat(ChromiumPath); err != nil {
		msg := ChromiumPath + " not found: install it with `apt-get install -y chromium` to run the browser test"
		if os.Getenv("CI") != "" {
			t.Fatal(msg)
		}
		t.Skip(msg)
	}
	opts := []chromedp.ExecAllocatorOption{
		chromedp.ExecPath(ChromiumPath),
		chromedp.UserDataDir(t.TempDir()),
		chromedp.WindowSize(1440, 900),
		chromedp.ModifyCmdFunc(func(cmd *exec.Cmd) { cmd.Env = append(os.Environ(), "TZ=UTC") }),
	}
	// The flags headless Chromium needs in a sandbox without network: without the
	// networking ones Chromium's own connections are refused and logged.
	for _, flag := range []string{"headless", "no-sandbox", "disable-gpu", "disable-quic", "no-first-run",
		"disable-background-networking", "disable-component-update", "disable-sync",
		"no-default-browser-check", "hide-scrollbars", "mute-audio"} {
		opts = append(opts, chromedp.Flag(flag, true))
	}
	allocCtx, cancelAlloc := chromedp.NewExecAllocator(context.Background(), opts...)
	ctx, cancel := chromedp.NewContext(allocCtx, chromedp.WithErrorf(func(format string, args ...any) {
		msg := fmt.Sprintf(format, args...)
		// cdproto is older than Debian's Chromium: events with enum values it
		// does not know cannot be decoded. They are network details the tests
		// do not use; anything else is worth seeing.
		if !strings.Contains(msg, "could not unmarshal event") {
			t.Logf("chromedp: %s", msg)
		}
	}))
	t.Cleanup(func() {
		// Close the browser and wait for its processes to exit, so that
		// removing the user-data-dir does not race Chromium's last writes.
		alloc := chromedp.FromContext(ctx).Allocator
		if err := chromedp.Cancel(ctx); err != nil {
			cancel()
		}
		cancelAlloc()
		if alloc != nil {
			alloc.Wait()
		}
	})
	b := &Browser{ctx: ctx}
	chromedp.ListenTarget(ctx, b.listen)
	if err := chromedp.Run(ctx, runtime.Enable(), log.Enable()); err != nil {
		t.Fatalf("start chromium: %v", err)
	}
	return b
}

func (b *Browser) listen(ev any) {
	var problem string
	switch ev := ev.(type) {
	case *runtime.EventConsoleAPICalled:
		if ev.Type == runtime.APITypeError || ev.Type == runtime.APITypeAssert {
			args := make([]string, 0, len(ev.Args))
			for _, a := range ev.Args {
				if a.Value != nil {
					args = append(args, string(a.Value))
				} else {
					args = append(args, a.Description)
				}
			}
			problem = "console." + string(ev.Type) + ": " + strings.Join(args, " ")
		}
	case *runtime.EventExceptionThrown:
		problem = "uncaught exception: " + ev.ExceptionDetails.Text
		if ev.ExceptionDetails.Exception != nil {
			problem += " " + ev.ExceptionDetails.Exception.Description
		}
	case *log.EventEntryAdded:
		if ev.Entry.Level == log.LevelError {
			problem = fmt.Sprintf("browser log (%s): %s %s", ev.Entry.Source, ev.Entry.Text, ev.Entry.URL)
		}
	}
	if problem != "" {
		b.mu.Lock()
		b.problems = append(b.problems, problem)
		b.mu.Unlock()
	}
}

// Problems returns the JavaScript and browser errors seen so far.
func (b *Browser) Problems() []string {
	b.mu.Lock()
	defer b.mu.Unlock()
	return append([]string(nil), b.problems...)
}

// ForgetProblems drops the problems seen so far, for a step whose expected
// error answers the browser logs (an AWS API error is a 4xx response, which
// Chromium reports as "Failed to load resource").
func (b *Browser) ForgetProblems() []string {
	b.mu.Lock()
	defer b.mu.Unlock()
	p := b.problems
	b.problems = nil
	return p
}

// Run runs chromedp actions in the tab, failing the test on error.
func (b *Browser) Run(t testing.TB, what string, actions ...chromedp.Action) {
	t.Helper()
	ctx, cancel := context.WithTimeout(b.ctx, 30*time.Second)
	defer cancel()
	if err := chromedp.Run(ctx, actions...); err != nil {
		t.Fatalf("%s: %v (browser problems: %q)", what, err, b.Problems())
	}
}

// WaitJS waits until the JavaScript expression is true, failing the test
// after timeout with the value of describe (an expression) to show why.
func (b *Browser) WaitJS(t testing.TB, what, expr, describe string, timeout time.Duration) {
	t.Helper()
	ctx, cancel := context.WithTimeout(b.ctx, timeout+5*time.Second)
	defer cancel()
	var ok bool
	err := chromedp.Run(ctx, chromedp.Poll(expr, &ok, chromedp.WithPollingTimeout(timeout), chromedp.WithPollingInterval(100*time.Millisecond)))
	if err == nil && ok {
		return
	}
	var state any
	_ = chromedp.Run(b.ctx, chromedp.Evaluate(describe, &state))
	t.Fatalf("%s: not within %s (%v); page state: %v; browser problems: %q", what, timeout, err, state, b.Problems())
}

// Eval evaluates a JavaScript expression into res.
func (b *Browser) Eval(t testing.TB, expr string, res any) {
	t.Helper()
	b.Run(t, "evaluate "+expr, chromedp.Evaluate(expr, res))
}

// Screenshot saves a full-page PNG as dir/name.png and returns its path.
func (b *Browser) Screenshot(t testing.TB, dir, name string) string {
	t.Helper()
	var png []byte
	b.Run(t, "screenshot "+name, chromedp.FullScreenshot(&png, 100))
	if err := os.MkdirAll(dir, 0o755); err != nil {
		t.Fatal(err)
	}
	path := filepath.Join(dir, name+".png")
	if err := os.WriteFile(path, png, 0o644); err != nil {
		t.Fatal(err)
	}
	t.Logf("screenshot: %s", path)
	return path
}

// ArtifactsDir returns <module root>/artifacts/<sub> (gitignored), where
// tests leave screenshots for people to look at.
func ArtifactsDir(t testing.TB, sub string) string {
	t.Helper()
	dir, err := os.Getwd()
	if err != nil {
		t.Fatal(err)
	}
	for {
		if _, err := os.Stat(filepath.Join(dir, "go.mod")); err == nil {
			return filepath.Join(dir, "artifacts", sub)
		}
		parent := filepath.Dir(dir)
		if parent == dir {
			t.Fatalf("no go.mod above %s", dir)
		}
		dir = parent
	}
}
